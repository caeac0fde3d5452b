/**
 * @module The resources the API server serves at their preferred versions, with their verbs (the
 * cleanup and TTL controllers list and delete by resource): `/api/v1` and each group's preferred
 * version under `/apis`. Subresources are left out. A group version that fails to answer is skipped
 * and named, as in discovery.ts.
 */
import type { KubeRest } from './kube-rest.js';

export interface ServedResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural, e.g. `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface ApiResourceList {
  readonly resources?: readonly { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface ApiGroupList {
  readonly groups?: readonly {
    name: string;
    preferredVersion?: { version: string };
    versions?: readonly { version: string }[];
  }[];
}

export interface ServedResources {
  readonly resources: readonly ServedResource[];
  readonly failed: readonly { readonly groupVersion: string; readonly error: string }[];
}

function rows(group: string, version: string, list: ApiResourceList): ServedResource[] {
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      group,
      version,
      kind: r.kind,
      resource: r.name,
      namespaced: r.namespaced,
      verbs: r.verbs ?? [],
    }));
}

/** Reads the preferred version of every group. */
export async function servedResources(rest: KubeRest): Promise<ServedResources> {
  const out: ServedResource[] = rows('', 'v1', await rest.get<ApiResourceList>('/api/v1'));
  const failed: { groupVersion: string; error: string }[] = [];
  const groups = (await rest.get<ApiGroupList>('/apis')).groups ?? [];
  const lists = await Promise.all(
    groups.map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (version === undefined) return [];
      try {
        return rows(g.name, version, await rest.get<ApiResourceList>(`/apis/${g.name}/${version}`));
      } catch (err) {
        failed.push({
          groupVersion: `${g.name}/${version}`,
          error: err instanceof Error ? err.message : String(err),
        });
        return [];
      }
    }),
  );
  for (const l of lists) out.push(...l);
  return { resources: out, failed };
}

/** The collection path of a resource, in `namespace` when it is namespaced and one is given. */
export function collectionPath(r: ServedResource, namespace?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns =
    r.namespaced && namespace !== undefined && namespace !== ''
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${base}${ns}/${r.resource}`;
}

export const apiVersionOf = (r: ServedResource): string =>
  r.group === '' ? r.version : `${r.group}/${r.version}`;
