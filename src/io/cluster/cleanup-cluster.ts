/**
 * @module What the cleanup and TTL controllers do to the cluster (docs/decisions/0017): list the
 * cleanup policies of the four kinds at whatever version the server serves them, write their
 * `status.lastExecutionTime`, resolve the kinds and resource rules they name to served resources,
 * list objects page by page, and delete with a propagation policy. The resource table is read again
 * at most every 30 s, or when a kind is not found (a CRD installed later).
 */
import type { KubeObject, PropagationPolicy } from '../../engine/index.js';
import { wildcardMatch } from '../../engine/index.js';
import { isConflict, isNotFound, type KubeRest } from './kube-rest.js';
import { apiVersionOf, collectionPath, type ServedResource, servedResources } from './served-resources.js';

export const CLEANUP_POLICY_RESOURCES = [
  { group: 'kyverno.io', resource: 'clustercleanuppolicies' },
  { group: 'kyverno.io', resource: 'cleanuppolicies' },
  { group: 'policies.kyverno.io', resource: 'deletingpolicies' },
  { group: 'policies.kyverno.io', resource: 'namespaceddeletingpolicies' },
] as const;

export interface ResourceRule {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly resources?: readonly string[];
}

export interface CleanupCluster {
  /** Every cleanup policy (ClusterCleanupPolicy, CleanupPolicy, DeletingPolicy, NamespacedDeletingPolicy) served. */
  listPolicies(): Promise<KubeObject[]>;
  /** Records a run in `status.lastExecutionTime` (status subresource; a conflict re-reads and retries once). */
  writeLastExecution(policy: KubeObject, at: Date): Promise<void>;
  /** The resources a legacy kind selector names: `Pod`, `v1/Pod`, `apps/v1/Deployment`, `*`. */
  resourcesForKind(selector: string): Promise<readonly ServedResource[]>;
  /** The resources CEL `resourceRules` name (wildcards allowed; subresources ignored). */
  resourcesForRules(rules: readonly ResourceRule[]): Promise<readonly ServedResource[]>;
  /** Resources that can be listed, watched and deleted (TTL candidates). */
  deletableResources(): Promise<readonly ServedResource[]>;
  /** Every object of a resource (in `namespace` when given), apiVersion and kind set. */
  list(resource: ServedResource, namespace?: string, labelSelector?: string): Promise<KubeObject[]>;
  namespace(name: string): Promise<KubeObject | undefined>;
  /** Deletes; resolves false when the object was already gone. */
  delete(
    resource: ServedResource,
    namespace: string | undefined,
    name: string,
    propagation?: PropagationPolicy,
  ): Promise<boolean>;
}

const REFRESH_MS = 30_000;
const PAGE = 500;

export function cleanupCluster(rest: KubeRest, now: () => number = () => performance.now()): CleanupCluster {
  let table: readonly ServedResource[] | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  const resources = async (force = false): Promise<readonly ServedResource[]> => {
    if (table === undefined || now() - readAt > REFRESH_MS || (force && now() - readAt > 5000)) {
      table = (await servedResources(rest)).resources;
      readAt = now();
    }
    return table;
  };
  const find = (t: readonly ServedResource[], group: string, resource: string) =>
    t.find((r) => r.group === group && r.resource === resource);
  const kindMatches = async (selector: string, t: readonly ServedResource[]) => {
    const parts = selector.split('/');
    const kind = parts.at(-1) ?? '';
    const group = parts.length === 3 ? parts[0] : parts.length === 2 ? '' : undefined;
    const version = parts.length >= 2 ? parts.at(-2) : undefined;
    const hits = t.filter(
      (r) =>
        wildcardMatch(kind, r.kind) &&
        (group === undefined || wildcardMatch(group, r.group)) &&
        (version === undefined || wildcardMatch(version, r.version)) &&
        r.verbs.includes('list') &&
        r.verbs.includes('delete'),
    );
    // A bare kind served by several groups (Event) is the core group's, as Kyverno resolves it.
    const core = hits.filter((r) => r.group === '');
    return group === undefined && core.length > 0 && !kind.includes('*') ? core : hits;
  };
  const policyPath = (policy: KubeObject): string | undefined => {
    const [group] = String(policy.apiVersion ?? '').split('/');
    const r = CLEANUP_POLICY_RESOURCES.map((p) => find(table ?? [], p.group, p.resource)).find(
      (x) => x !== undefined && x.group === group && x.kind === policy.kind,
    );
    if (r === undefined) return undefined;
    return `${collectionPath(r, policy.metadata?.namespace)}/${encodeURIComponent(String(policy.metadata?.name ?? ''))}`;
  };
  const list = async (resource: ServedResource, namespace?: string, labelSelector?: string) => {
    const out: KubeObject[] = [];
    let next: string | undefined;
    do {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (labelSelector !== undefined && labelSelector !== '') q.set('labelSelector', labelSelector);
      if (next !== undefined) q.set('continue', next);
      const page = await rest.get<{ items?: KubeObject[]; metadata?: { continue?: string } }>(
        `${collectionPath(resource, namespace)}?${q}`,
      );
      for (const o of page.items ?? [])
        out.push({ apiVersion: apiVersionOf(resource), kind: resource.kind, ...o });
      next = page.metadata?.continue || undefined;
    } while (next !== undefined);
    return out;
  };

  return {
    async listPolicies() {
      const t = await resources();
      const out: KubeObject[] = [];
      for (const p of CLEANUP_POLICY_RESOURCES) {
        const r = find(t, p.group, p.resource);
        if (r !== undefined) out.push(...(await list(r)));
      }
      return out;
    },
    async writeLastExecution(policy, at) {
      await resources();
      const path = policyPath(policy);
      if (path === undefined) return;
      const write = (o: KubeObject) =>
        rest.put(`${path}/status`, {
          ...o,
          status: {
            ...((o.status as Record<string, unknown> | undefined) ?? {}),
            lastExecutionTime: at.toISOString().replace(/\.\d+Z$/, 'Z'),
          },
        });
      try {
        await write(policy);
      } catch (err) {
        if (!isConflict(err)) throw err;
        await write(await rest.get<KubeObject>(path));
      }
    },
    async resourcesForKind(selector) {
      let hits = await kindMatches(selector, await resources());
      if (hits.length === 0) hits = await kindMatches(selector, await resources(true));
      return hits;
    },
    async resourcesForRules(rules) {
      const t = await resources();
      const has = (list: readonly string[] | undefined, v: string) =>
        (list ?? []).some((x) => x === '*' || x === v);
      return t.filter(
        (r) =>
          r.verbs.includes('list') &&
          r.verbs.includes('delete') &&
          rules.some(
            (rule) =>
              has(rule.apiGroups, r.group) &&
              has(rule.apiVersions, r.version) &&
              has(rule.resources, r.resource),
          ),
      );
    },
    async deletableResources() {
      return (await resources()).filter((r) => ['list', 'watch', 'delete'].every((v) => r.verbs.includes(v)));
    },
    list,
    async namespace(name) {
      try {
        return await rest.get<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(name)}`);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async delete(resource, namespace, name, propagation) {
      const q = propagation !== undefined ? `?propagationPolicy=${propagation}` : '';
      try {
        await rest.delete(`${collectionPath(resource, namespace)}/${encodeURIComponent(name)}${q}`);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
  };
}
