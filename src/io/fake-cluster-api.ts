/**
 * @module The Kubernetes API paths of `apply`'s fake cluster. Kyverno's `apply` (without
 * `--cluster`) serves every loaded resource, target and parameter resource from a fake client
 * (`createFakeClientFromResources`), and `context.apiCall` `urlPath` entries read it through
 * `rawAbsPathForFakeClient` (pkg/clients/dclient/client.go): a path names a group, version,
 * namespace, plural resource and name; without a name it is a list of that resource, with one a
 * get. Only GET is served.
 */
import type { ApiCaller, ApiCallRequest, ApiCallResponse, KubeObject } from '../engine/index.js';

interface Gvr {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

const gvrKey = (g: Gvr): string => `${g.group}/${g.version}/${g.resource}`;

/** apimachinery's `UnsafeGuessKindToResource`: the lower-cased kind, pluralised naively. */
export function guessResource(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular === '') return '';
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** The fake discovery's `inferKindFromResourceName`: `ies` → `y`, else one `es` or `s` dropped. */
export function inferKind(resource: string): string {
  let kind = resource;
  if (kind.endsWith('ies')) kind = `${kind.slice(0, -3)}y`;
  else if (kind.endsWith('es')) kind = kind.slice(0, -2);
  else if (kind.endsWith('s')) kind = kind.slice(0, -1);
  return kind === '' ? kind : kind[0]!.toUpperCase() + kind.slice(1);
}

/** The fake discovery's resources it knows without any object (`NewFakeDiscoveryClient`). */
const PREREGISTERED: readonly Gvr[] = [
  ...['configmaps', 'endpoints', 'namespaces', 'resourcequotas', 'secrets', 'serviceaccounts'].map(
    (resource) => ({ group: '', version: 'v1', resource }),
  ),
  ...['daemonsets', 'deployments', 'statefulsets'].map((resource) => ({
    group: 'apps',
    version: 'v1',
    resource,
  })),
];

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

interface ParsedPath extends Gvr {
  readonly namespace: string;
  readonly name: string;
}

/** The path's parts as the fake client reads them (a path it cannot read has no resource). */
function parsePath(path: string): ParsedPath | undefined {
  const parts = path.replace(/^\//, '').split('/');
  let group = '';
  let version = '';
  let rest: string[];
  if (parts.length >= 2 && parts[0] === 'api') {
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts.length >= 3 && parts[0] === 'apis') {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return undefined;
  let namespace = '';
  if (rest.length >= 2 && rest[0] === 'namespaces') {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  if (resource === '') return undefined;
  return { group, version, resource, namespace, name: rest[1] ?? '' };
}

/** The objects by the resource the fake client files them under, in load order. */
interface FakeStore {
  readonly byGvr: Map<string, KubeObject[]>;
  /** The kind first loaded for each resource (the discovery's GVR → GVK mapping). */
  readonly kinds: Map<string, { readonly gvr: Gvr; readonly kind: string }>;
}

function storeOf(objects: readonly KubeObject[]): FakeStore {
  const byGvr = new Map<string, KubeObject[]>();
  const kinds = new Map<string, { gvr: Gvr; kind: string }>();
  for (const o of objects) {
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const { group, version } = splitApiVersion(typeof o.apiVersion === 'string' ? o.apiVersion : '');
    const gvr = { group, version, resource: guessResource(kind) };
    const key = gvrKey(gvr);
    if (!kinds.has(key)) kinds.set(key, { gvr, kind });
    const list = byGvr.get(key);
    if (list === undefined) byGvr.set(key, [o]);
    else list.push(o);
  }
  return { byGvr, kinds };
}

/** `GetGVRFromGVK`: the loaded resource of that kind, else the first known resource named `<kind>s`. */
function resourceFor(store: FakeStore, group: string, version: string, kind: string): Gvr | undefined {
  for (const { gvr, kind: k } of store.kinds.values())
    if (gvr.group === group && gvr.version === version && k === kind) return gvr;
  const plural = `${kind.toLowerCase()}s`;
  for (const { gvr } of store.kinds.values()) if (gvr.resource === plural) return gvr;
  return PREREGISTERED.find((g) => g.resource === plural);
}

const namespaceOf = (o: KubeObject): string =>
  typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '';
const nameOf = (o: KubeObject): string => (typeof o.metadata?.name === 'string' ? o.metadata.name : '');

/** What one GET of `path` answers: the object or list as JSON, or the fake client's error. */
function answer(store: FakeStore, path: string): ApiCallResponse {
  const parsed = parsePath(path);
  const failed = (error: string): ApiCallResponse => ({
    ok: false,
    error: `failed to GET resource with raw url: ${path}: ${error}`,
  });
  if (parsed === undefined) return failed(`failed to parse path: ${path.replace(/^\//, '')}`);
  const { group, version, namespace, name } = parsed;
  const kind = store.kinds.get(gvrKey(parsed))?.kind ?? inferKind(parsed.resource);
  const apiVersion = group === '' ? version : `${group}/${version}`;
  const gvr = resourceFor(store, group, version, kind);
  const served = gvr === undefined ? [] : (store.byGvr.get(gvrKey(gvr)) ?? []);
  if (name === '') {
    // The fake client lists only resources it was given (Kyverno panics on another: an error here).
    if (gvr === undefined || !store.byGvr.has(gvrKey(gvr))) {
      const where =
        namespace === '' ? '(cluster-scoped or all namespaces)' : `in namespace ${JSON.stringify(namespace)}`;
      return failed(`failed to list resources ${apiVersion}/${kind} ${where}: no such resource`);
    }
    const items = served
      .filter((o) => namespace === '' || namespaceOf(o) === namespace)
      .sort((a, b) => cmp(namespaceOf(a), namespaceOf(b)) || cmp(nameOf(a), nameOf(b)));
    return {
      ok: true,
      body: {
        apiVersion: gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`,
        items,
        kind: `${store.kinds.get(gvrKey(gvr))?.kind ?? kind}List`,
        // The tracker's version after adding the resource's objects, one per object from 1.
        metadata: { continue: '', resourceVersion: String(served.length + 1) },
      },
    };
  }
  const found = served.find((o) => nameOf(o) === name && namespaceOf(o) === namespace);
  if (found !== undefined) return { ok: true, body: found };
  const groupResource =
    gvr === undefined ? '' : gvr.group === '' ? gvr.resource : `${gvr.resource}.${gvr.group}`;
  return failed(
    `failed to get resource ${apiVersion}/${kind}/${name}: ${groupResource} ${JSON.stringify(name)} not found`,
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Answers `urlPath` calls from `objects` as Kyverno's fake client does; `service` calls get no
 * answer (the CLI has no network to reach them).
 */
export function createFakeClusterApiCaller(objects: readonly KubeObject[]): ApiCaller {
  const store = storeOf(objects);
  return {
    call(request: ApiCallRequest): ApiCallResponse | undefined {
      if (request.urlPath === undefined || request.library === 'http') return undefined;
      if (request.method !== 'GET')
        return {
          ok: false,
          error: `failed to ${request.method} resource with raw url: ${request.urlPath}: method ${request.method} not supported for fake client`,
        };
      return answer(store, request.urlPath);
    },
  };
}

function hasTargets(mutate: object): boolean {
  const targets = (mutate as { targets?: unknown }).targets;
  return Array.isArray(targets) && targets.length > 0;
}

function walkFinds(value: unknown, found: (key: string, v: unknown) => boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => walkFinds(v, found));
  if (value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) if (found(k, v) || walkFinds(v, found)) return true;
  return false;
}

/**
 * Whether a ClusterPolicy/Policy spec reads apply's fake cluster: a mutate rule with `targets`
 * (mutate existing), or an `apiCall` context entry with a `urlPath`.
 */
export function specReadsFakeCluster(spec: unknown): boolean {
  return walkFinds(
    spec,
    (k, v) =>
      (k === 'mutate' && v !== null && typeof v === 'object' && hasTargets(v)) ||
      (k === 'apiCall' && v !== null && typeof v === 'object' && 'urlPath' in v),
  );
}
