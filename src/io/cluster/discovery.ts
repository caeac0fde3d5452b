/**
 * @module The API server's resources (discovery: `/api/v1` and every version of every group under
 * `/apis`), as the table the engine resolves policy kinds with. A group version that fails to
 * answer (an aggregated API that is down) is left out and named, so one broken extension does not
 * stop the webhooks from being written.
 */
import type { DiscoveredResource } from '../../engine/index.js';
import type { KubeRest } from './kube-rest.js';

interface ApiResourceList {
  readonly groupVersion?: string;
  readonly resources?: readonly { name: string; kind: string; namespaced: boolean }[];
}

interface ApiGroupList {
  readonly groups?: readonly {
    name: string;
    versions?: readonly { groupVersion: string; version: string }[];
  }[];
}

export interface Discovery {
  readonly resources: readonly DiscoveredResource[];
  /** Group versions that could not be read, with why. */
  readonly failed: readonly { readonly groupVersion: string; readonly error: string }[];
}

function table(group: string, version: string, list: ApiResourceList): DiscoveredResource[] {
  return (list.resources ?? []).map((r) => ({
    group,
    version,
    kind: r.kind,
    resource: r.name,
    namespaced: r.namespaced,
  }));
}

export async function discoverResources(rest: KubeRest): Promise<Discovery> {
  const resources: DiscoveredResource[] = table('', 'v1', await rest.get<ApiResourceList>('/api/v1'));
  const groups = await rest.get<ApiGroupList>('/apis');
  const failed: { groupVersion: string; error: string }[] = [];
  const versions = (groups.groups ?? []).flatMap((g) =>
    (g.versions ?? []).map((v) => ({ group: g.name, ...v })),
  );
  const lists = await Promise.all(
    versions.map(async (v) => {
      try {
        return table(v.group, v.version, await rest.get<ApiResourceList>(`/apis/${v.groupVersion}`));
      } catch (err) {
        failed.push({
          groupVersion: v.groupVersion,
          error: err instanceof Error ? err.message : String(err),
        });
        return [];
      }
    }),
  );
  for (const list of lists) resources.push(...list);
  return { resources, failed };
}
