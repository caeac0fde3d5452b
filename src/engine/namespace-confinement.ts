/**
 * @module The one check that keeps a namespaced policy (Policy, Namespaced*Policy) in its namespace
 * (issue #15): whatever it reads through the ports — ConfigMap context, apiCall `urlPath`, the CEL
 * `resource` library, clone sources, mutate-existing targets — and whatever the controllers write
 * for it (generated objects, patched targets). Every namespaced policy evaluates with
 * `confinePorts`, so no loader can forget it. For `urlPath` the string that is checked is the
 * string that is sent: a path is refused unless the WHATWG URL parser (what the live port sends
 * with) keeps it as it is, and it has no `%`, `\`, `#`, `.` or `..` segment that a server could
 * read differently; the namespace is then the segment after `/api/v1/namespaces/` or
 * `/apis/<group>/<version>/namespaces/`, never a match anywhere in the string.
 */
import type { KubeObject } from './model/kube-object.js';
import { PortCallError } from './port-bridge.js';
import type { ApiCallRequest, ApiCallResponse, ClusterReader, Ports } from './ports.js';
import type { EvaluationRuntime } from './runtime.js';

export type PathCheck =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: string };

const noSegment = (path: string): string =>
  `path ${path} does not contain a namespace segment, which is required for namespaced policies`;

/** Whether `raw` is an API path inside `policyNamespace`, in the exact form it is sent. */
export function checkNamespacedApiPath(raw: string, policyNamespace: string): PathCheck {
  // Go's path.Clean("") is "." (Kyverno's wording for a service call's empty path).
  if (!raw.startsWith('/') || raw.startsWith('//'))
    return { ok: false, reason: noSegment(raw === '' ? '.' : raw) };
  if (/[#%\\]/.test(raw))
    return {
      ok: false,
      reason: `path ${raw} contains "#", "%" or "\\", which namespaced policies may not use in an API path`,
    };
  const query = raw.indexOf('?');
  const path = query < 0 ? raw : raw.slice(0, query);
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..'))
    return {
      ok: false,
      reason: `path ${raw} has a "." or ".." segment, which namespaced policies may not use`,
    };
  const at = segments[0] === 'api' ? 2 : segments[0] === 'apis' ? 3 : -1;
  const ns = at < 0 || segments[at] !== 'namespaces' ? undefined : segments[at + 1];
  if (ns === undefined || ns === '') return { ok: false, reason: noSegment(path) };
  if (ns !== policyNamespace)
    return {
      ok: false,
      reason: `path ${path} refers to namespace ${ns}, which is different from the policy namespace ${policyNamespace}`,
    };
  let url: URL;
  try {
    url = new URL(raw, 'https://api.invalid');
  } catch {
    return { ok: false, reason: `path ${raw} is not a URL path` };
  }
  if (url.pathname + url.search !== raw)
    return {
      ok: false,
      reason: `path ${raw} is not sent as written (it reads as ${url.pathname}${url.search})`,
    };
  return { ok: true, path: raw };
}

/** Why a namespaced policy may not read `namespace` (undefined: cluster-wide or cluster-scoped). */
export function readOutsideNamespace(
  namespace: string | undefined,
  name: string | undefined,
  policyNamespace: string,
): string | undefined {
  if (namespace !== policyNamespace)
    return `a namespaced policy reads only in its namespace "${policyNamespace}", not ${namespace === undefined || namespace === '' ? 'cluster-wide' : `"${namespace}"`}`;
  if (name !== undefined && (name.includes('/') || name === '.' || name === '..'))
    return `"${name}" is not an object name`;
  return undefined;
}

/** Why a namespaced policy may not write `object` (generated or patched), or undefined when it may. */
export function objectOutsideNamespace(
  object: KubeObject,
  policyNamespace: string | undefined,
): string | undefined {
  if (policyNamespace === undefined) return undefined;
  const ns = object.metadata?.namespace;
  return ns === policyNamespace
    ? undefined
    : `a namespaced policy writes only in its namespace "${policyNamespace}", not ${typeof ns === 'string' && ns !== '' ? `"${ns}"` : 'cluster-wide'}`;
}

function confineCluster(cluster: ClusterReader, ns: string): ClusterReader {
  const refuse = (reason: string | undefined): void => {
    if (reason !== undefined) throw new PortCallError('forbidden', reason);
  };
  return {
    get(apiVersion, kind, namespace, name) {
      refuse(readOutsideNamespace(namespace, name, ns));
      return cluster.get(apiVersion, kind, namespace, name);
    },
    list(apiVersion, kind, namespace) {
      refuse(readOutsideNamespace(namespace, undefined, ns));
      return cluster.list(apiVersion, kind, namespace);
    },
    ...(cluster.kindOf !== undefined ? { kindOf: cluster.kindOf.bind(cluster) } : {}),
  };
}

function confineCalls(caller: NonNullable<Ports['apiCaller']>, ns: string): NonNullable<Ports['apiCaller']> {
  return {
    call(request: ApiCallRequest): ApiCallResponse | undefined {
      // Kyverno's wording; Palisade has no opt-in (its --allowHTTPInNamespacedPolicies).
      if (request.library === 'http')
        return { ok: false, error: 'http calls are not allowed in namespaced policies' };
      if (request.urlPath === undefined)
        return {
          ok: false,
          error: `${noSegment('')} (a namespaced policy calls only its namespace's API paths)`,
        };
      const checked = checkNamespacedApiPath(request.urlPath, ns);
      if (!checked.ok) return { ok: false, error: checked.reason };
      return caller.call({ ...request, urlPath: checked.path });
    },
  };
}

const confined = new WeakMap<Ports, Map<string, Ports>>();

/** `ports` as a namespaced policy of `policyNamespace` may use them (memoised per ports object). */
export function confinePorts(ports: Ports, policyNamespace: string): Ports {
  let byNs = confined.get(ports);
  if (byNs === undefined) {
    byNs = new Map();
    confined.set(ports, byNs);
  }
  let out = byNs.get(policyNamespace);
  if (out === undefined) {
    out = {
      ...ports,
      ...(ports.cluster !== undefined ? { cluster: confineCluster(ports.cluster, policyNamespace) } : {}),
      ...(ports.apiCaller !== undefined ? { apiCaller: confineCalls(ports.apiCaller, policyNamespace) } : {}),
    };
    byNs.set(policyNamespace, out);
  }
  return out;
}

const runtimes = new WeakMap<EvaluationRuntime, Map<string, EvaluationRuntime>>();

/** The runtime a policy evaluates with: confined ports when it is namespaced. */
export function runtimeForPolicy(
  runtime: EvaluationRuntime,
  policyNamespace: string | undefined,
): EvaluationRuntime {
  if (policyNamespace === undefined) return runtime;
  let byNs = runtimes.get(runtime);
  if (byNs === undefined) {
    byNs = new Map();
    runtimes.set(runtime, byNs);
  }
  let out = byNs.get(policyNamespace);
  if (out === undefined) {
    out = { ...runtime, ports: confinePorts(runtime.ports, policyNamespace) };
    byNs.set(policyNamespace, out);
  }
  return out;
}
