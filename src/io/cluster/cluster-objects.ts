/**
 * @module Objects of any kind in the cluster, by apiVersion and kind: get, list (with a label
 * selector), create, server-side apply, update (subresources too) and delete. The resource path comes from discovery, read once
 * and again when a kind is not found (a CRD installed later). What the background controllers
 * write with, and the engine's asynchronous cluster port (clone sources) reads through.
 */
import type { AsyncClusterReader, KubeObject, PortResult } from '../../engine/index.js';
import { discoverResources } from './discovery.js';
import { isNotFound, KubeApiError, type KubeRest } from './kube-rest.js';

interface Resource {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

export interface ClusterObjects {
  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined>;
  /** Every object of the kind (in `namespace` when given), each with apiVersion and kind set. */
  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]>;
  create(object: KubeObject): Promise<KubeObject>;
  /** Server-side apply as `fieldManager`, conflicts forced. */
  apply(object: KubeObject, fieldManager: string): Promise<KubeObject>;
  /**
   * Replaces the object (or its `subresource`, e.g. `status`) as read: its resourceVersion makes a
   * concurrent change a 409 Conflict (KubeApiError), which the caller answers by reading again.
   */
  update(object: KubeObject, subresource?: string): Promise<KubeObject>;
  /** Resolves also when the object is already gone. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void>;
  /**
   * The kinds served for CEL `resourceRules` (apiGroups, apiVersions, resources; `*` matches any),
   * e.g. a GeneratingPolicy's triggers. Absent: the caller cannot list by resource rules.
   */
  kindsFor?(rules: readonly ResourceRuleRef[]): Promise<{ apiVersion: string; kind: string }[]>;
}

export interface ResourceRuleRef {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly resources?: readonly string[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const at = apiVersion.indexOf('/');
  return at < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, at), version: apiVersion.slice(at + 1) };
}

/** How long a kind discovery did not know stays unknown before discovery is read again. */
const REDISCOVER_MS = 5000;

export function clusterObjects(rest: KubeRest): ClusterObjects {
  let table: readonly Resource[] | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  const discover = async (): Promise<readonly Resource[]> => {
    table = (await discoverResources(rest)).resources.filter((r) => !r.resource.includes('/'));
    readAt = performance.now();
    return table;
  };
  /** The resource of a kind; an empty apiVersion takes the core group first, then any. */
  const find = (resources: readonly Resource[], apiVersion: string, kind: string): Resource | undefined => {
    const named = resources.filter((r) => r.kind === kind);
    if (apiVersion === '') return named.find((r) => r.group === '') ?? named[0];
    const { group, version } = splitApiVersion(apiVersion);
    return named.find((r) => r.group === group && r.version === version);
  };
  const resolve = async (apiVersion: string, kind: string): Promise<Resource & { apiVersion: string }> => {
    let hit = find(table ?? (await discover()), apiVersion, kind);
    if (hit === undefined && performance.now() - readAt > REDISCOVER_MS)
      hit = find(await discover(), apiVersion, kind);
    if (hit === undefined)
      throw new KubeApiError(404, `the server does not serve ${apiVersion || '*'}/${kind}`, 'NotFound');
    return { ...hit, apiVersion: hit.group === '' ? hit.version : `${hit.group}/${hit.version}` };
  };
  const pathOf = (r: Resource, namespace: string | undefined, name?: string): string => {
    const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
    const ns =
      r.namespaced && namespace !== undefined && namespace !== ''
        ? `/namespaces/${encodeURIComponent(namespace)}`
        : '';
    return `${base}${ns}/${r.resource}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
  };
  const typed = (o: KubeObject, apiVersion: string, kind: string): KubeObject => ({ apiVersion, kind, ...o });

  return {
    async kindsFor(rules) {
      const has = (list: readonly string[] | undefined, v: string) =>
        (list ?? []).some((x) => x === '*' || x === v);
      const out = new Map<string, { apiVersion: string; kind: string }>();
      for (const r of table ?? (await discover()))
        if (
          rules.some(
            (x) => has(x.apiGroups, r.group) && has(x.apiVersions, r.version) && has(x.resources, r.resource),
          )
        )
          out.set(`${r.group}/${r.version}/${r.kind}`, {
            apiVersion: r.group === '' ? r.version : `${r.group}/${r.version}`,
            kind: r.kind,
          });
      return [...out.values()];
    },
    async get(apiVersion, kind, namespace, name) {
      const r = await resolve(apiVersion, kind);
      try {
        return typed(await rest.get<KubeObject>(pathOf(r, namespace, name)), r.apiVersion, kind);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async list(apiVersion, kind, namespace, labelSelector) {
      const r = await resolve(apiVersion, kind);
      const query =
        labelSelector !== undefined && labelSelector !== ''
          ? `?labelSelector=${encodeURIComponent(labelSelector)}`
          : '';
      const out = await rest.get<{ items?: KubeObject[] }>(`${pathOf(r, namespace)}${query}`);
      return (out.items ?? []).map((o) => typed(o, r.apiVersion, kind));
    },
    async create(object) {
      const r = await resolve(str(object.apiVersion), str(object.kind));
      return rest.post<KubeObject>(pathOf(r, str(object.metadata?.namespace)), object);
    },
    async apply(object, fieldManager) {
      const r = await resolve(str(object.apiVersion), str(object.kind));
      const path = pathOf(r, str(object.metadata?.namespace), str(object.metadata?.name));
      return rest.apply<KubeObject>(path, object, fieldManager);
    },
    async update(object, subresource) {
      const r = await resolve(str(object.apiVersion), str(object.kind));
      const path = pathOf(r, str(object.metadata?.namespace), str(object.metadata?.name));
      const sub =
        subresource !== undefined && subresource !== '' ? `/${encodeURIComponent(subresource)}` : '';
      return rest.put<KubeObject>(`${path}${sub}`, object);
    },
    async delete(apiVersion, kind, namespace, name) {
      const r = await resolve(apiVersion, kind);
      try {
        await rest.delete(pathOf(r, namespace, name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };
}

function failure<T>(err: unknown): PortResult<T> {
  const status = err instanceof KubeApiError ? err.status : 0;
  const code =
    status === 404
      ? 'not-found'
      : status === 403
        ? 'forbidden'
        : status >= 500 || status === 0
          ? 'unavailable'
          : 'failed';
  return { ok: false, code, message: err instanceof Error ? err.message : String(err) };
}

/**
 * The engine's asynchronous cluster port over `objects`. `hidden` objects read as absent: the
 * generate controller hides its own downstream so that the engine computes the whole desired object
 * (it reports only what it would create), and decides create, update or leave itself.
 */
export function asyncClusterReader(
  objects: ClusterObjects,
  hidden: (object: KubeObject) => boolean = () => false,
): AsyncClusterReader {
  return {
    async get(apiVersion, kind, namespace, name) {
      try {
        const o = await objects.get(apiVersion, kind, namespace, name);
        return { ok: true, value: o !== undefined && !hidden(o) ? o : undefined };
      } catch (err) {
        if (isNotFound(err)) return { ok: true, value: undefined };
        return failure(err);
      }
    },
    async list(apiVersion, kind, namespace) {
      try {
        return {
          ok: true,
          value: (await objects.list(apiVersion, kind, namespace)).filter((o) => !hidden(o)),
        };
      } catch (err) {
        return failure(err);
      }
    },
  };
}
