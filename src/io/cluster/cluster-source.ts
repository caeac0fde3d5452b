/**
 * @module The cluster as a policy source for a long-running server: a reflector (list+watch) per
 * policy collection and per collection admission needs (Namespaces, RoleBindings,
 * ClusterRoleBindings). Once every collection has been listed (or found not served), and after every
 * burst of policy changes (debounced), the whole current list of policy objects is compiled into a
 * new set and handed to `onLoad`. Compilations never overlap; changes during one queue one more.
 */
import type { AdmissionRequest, ExceptionAdmissionGate, OfflineRequestContext } from '../../engine/index.js';
import { CoalescedRuns } from '../coalesced-runs.js';
import { getPolicyDecoder } from '../files/policy-decoder.js';
import { type ClusterPolicyLoad, compileClusterPolicies } from './cluster-policies.js';
import {
  CLUSTER_ROLE_BINDINGS,
  type Collection,
  NAMESPACES,
  POLICY_COLLECTIONS,
  ROLE_BINDINGS,
} from './collections.js';
import type { KubeObject, ListWatchClient } from './list-watch-client.js';
import { ObjectDocuments } from './object-documents.js';
import { type Reflector, type ReflectorLog, startReflector } from './reflector.js';
import { RequestContexts } from './request-context.js';
import type { Binding } from './role-refs.js';

export type { ClusterPolicyLoad } from './cluster-policies.js';

export interface ClusterSourceOptions {
  readonly client: ListWatchClient;
  /** Quiet time after a policy change before compiling (the folder watch's debounce). */
  readonly debounceMs: number;
  readonly log: ReflectorLog;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** The admission gate for PolicyExceptions (serve's flags); absent: every exception is bound. */
  readonly exceptionGate?: ExceptionAdmissionGate;
}

export interface ClusterSource {
  /** Namespace object and the user's roles for a request, from the cluster copies. */
  contextFor(request: AdmissionRequest): OfflineRequestContext;
  /** The watched copy of a Namespace (undefined: not seen, or not listed yet). */
  namespace(name: string): KubeObject | undefined;
  /** Resolves once the first set has been handed to `onLoad`. */
  readonly firstLoad: Promise<void>;
  close(): void;
}

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function startClusterSource(
  onLoad: (load: ClusterPolicyLoad) => void,
  options: ClusterSourceOptions,
): ClusterSource {
  const documents = new ObjectDocuments();
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loadedOnce = false;
  let markLoaded: () => void = () => {};
  const firstLoad = new Promise<void>((done) => {
    markLoaded = done;
  });

  const reflectors: Reflector[] = [];
  const settled = (): boolean => reflectors.every((r) => r.state !== 'pending');

  const compiles = new CoalescedRuns(async () => {
    if (closed) return;
    try {
      const decoder = await getPolicyDecoder();
      // Collection by collection, each by namespace and name: the same objects give the same set.
      const objects = policyReflectors.flatMap((r) => r.items().sort(byNamespaceAndName));
      const load = compileClusterPolicies(objects, documents, decoder, options.exceptionGate);
      if (closed) return;
      onLoad(load);
      if (!loadedOnce) {
        loadedOnce = true;
        markLoaded();
      }
    } catch (err) {
      options.log('error', 'compiling the cluster policies failed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  });

  const policyChanged = (): void => {
    if (closed || !settled()) return;
    // The first set goes out as soon as everything is listed; later ones after a quiet time.
    if (!loadedOnce && !compiles.queued && timer === undefined) {
      void compiles.request();
      return;
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void compiles.request();
    }, options.debounceMs);
  };

  const start = (c: Collection, onChange: () => void): Reflector => {
    const r = startReflector({
      resource: c.resource,
      kind: c.kind,
      versions: c.versions,
      client: options.client,
      log: options.log,
      onChange,
      ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
    });
    reflectors.push(r);
    return r;
  };

  // Namespaces and bindings do not change the set; they only hold back the first one until listed.
  const contextChanged = (): void => {
    if (!loadedOnce) policyChanged();
  };
  const policyReflectors = POLICY_COLLECTIONS.map((c) => start(c, policyChanged));
  const namespaces = start(NAMESPACES, contextChanged);
  let contexts: RequestContexts | undefined;
  const bindingsChanged = (): void => {
    contexts?.bindingsChanged();
    contextChanged();
  };
  const roleBindings = start(ROLE_BINDINGS, bindingsChanged);
  const clusterRoleBindings = start(CLUSTER_ROLE_BINDINGS, bindingsChanged);
  contexts = new RequestContexts({
    namespace: (name) => namespaces.get(name),
    roleBindings: () => roleBindings.items() as Binding[],
    clusterRoleBindings: () => clusterRoleBindings.items() as Binding[],
  });

  const requestContexts = contexts;
  return {
    contextFor: (request) => requestContexts.contextFor(request),
    namespace: (name) => namespaces.get(name),
    firstLoad,
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const r of reflectors) r.stop();
    },
  };
}
