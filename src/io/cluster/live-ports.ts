/**
 * @module The engine's asynchronous ports answered by the live cluster, for `palisade serve` in
 * cluster mode (Kyverno's admission controller reads the same way, with its service account):
 * - cluster get/list (context `configMap`, CEL `resource.get/list`, params, generate and
 *   mutate-existing targets): GETs on the API server, the kind's resource found by discovery;
 * - apiCall `urlPath` (GET/POST on the API server, the raw JSON answer: the engine applies
 *   `jmesPath`) and `service` / CEL `http` calls (HTTP(S) to the URL, trusting `caBundle` when given);
 * - the CEL authorizer, by SubjectAccessReview;
 * - globalReference / CEL `globalContext`: the GlobalContextEntry store given (global-context/), or,
 *   without one, `unavailable` (the rule errors, rather than silently reading nothing).
 * Every call takes the evaluation's signal and a bounded answer; a failure is a PortResult error.
 * There is no cache across requests besides `peek` (local copies, e.g. the watched Namespaces): the
 * engine's bridge already asks each distinct read once per request, and a ConfigMap read afresh per
 * request is never stale (Kyverno's informer cache is opt-in per ConfigMap label).
 */
import type { RequestOptions } from 'node:https';
import type {
  ApiCallRequest,
  AsyncGlobalContextReader,
  AsyncPorts,
  AuthorizationAttributes,
  AuthorizationDecision,
  KubeObject,
  PortCallOptions,
  PortResult,
} from '../../engine/index.js';
import { boundedRequest } from './bounded-request.js';
import { defaultEgressPolicy, type EgressPolicy } from './egress-policy.js';
import type { KubeConfig } from './kube-client.js';
import { callFailure, failure, parseJson, statusCode, statusMessage } from './port-errors.js';
import { ResourcePaths } from './resource-paths.js';

/** Kyverno's `--maxAPICallResponseLength` default at admission (10 MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 10_000_000;
/** Kyverno's `--apiCallTimeout` default; the evaluation's deadline usually ends a call first. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export interface LivePortsOptions {
  readonly kubeConfig: KubeConfig;
  /** An object held in a local copy (answered without a call), else undefined. */
  readonly peek?: (
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ) => KubeObject | undefined;
  readonly maxResponseBytes?: number;
  readonly callTimeoutMs?: number;
  /** The GlobalContextEntry data (global-context/global-context-store.ts). */
  readonly globalContext?: AsyncGlobalContextReader;
  /** Where CEL `http` calls may go (egress-policy.ts); absent: Kyverno's default blocklist. */
  readonly httpEgress?: EgressPolicy;
}

type Answer = { readonly status: number; readonly text: string };

const enc = encodeURIComponent;

export function createLivePorts(options: LivePortsOptions): AsyncPorts {
  const httpEgress = options.httpEgress ?? defaultEgressPolicy();
  const { kubeConfig, peek } = options;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;

  /** A request to the API server with the kubeconfig's credentials (applied per call: tokens rotate). */
  const api = async (
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    body?: unknown,
  ): Promise<Answer> => {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (server === undefined) throw new Error('the kubeconfig names no current cluster');
    const tls: RequestOptions = { headers: {} };
    await kubeConfig.applyToHTTPSOptions(tls);
    return boundedRequest({
      method,
      url: new URL(path, server),
      signal,
      maxBytes,
      timeoutMs,
      tls,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  };
  const paths = new ResourcePaths((path, signal) => api('GET', path, signal));

  /** The collection path of `kind` (in `namespace` when it is namespaced and one is given). */
  const collection = async (
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    signal: AbortSignal,
  ): Promise<PortResult<string>> => {
    const served = await paths.resolve(apiVersion, kind, signal);
    if (!served.ok) return served;
    const { base, resource, namespaced } = served.value;
    const ns =
      namespaced && namespace !== undefined && namespace !== '' ? `/namespaces/${enc(namespace)}` : '';
    return { ok: true, value: `${base}${ns}/${resource}` };
  };

  const stamp = (o: KubeObject, apiVersion: string, kind: string): KubeObject =>
    o.apiVersion === undefined || o.kind === undefined ? { ...o, apiVersion, kind } : o;

  return {
    cluster: {
      ...(peek !== undefined ? { peek } : {}),
      async get(apiVersion, kind, namespace, name, { signal }: PortCallOptions) {
        const what = `get ${apiVersion} ${kind} ${namespace !== undefined ? `${namespace}/` : ''}${name}`;
        try {
          const path = await collection(apiVersion, kind, namespace, signal);
          if (!path.ok) return { ...path, message: `${what}: ${path.message}` };
          const answer = await api('GET', `${path.value}/${enc(name)}`, signal);
          // The object does not exist: an answer, not a failure (the engine says "not found").
          if (answer.status === 404) return { ok: true, value: undefined };
          if (answer.status < 200 || answer.status > 299)
            return failure(statusCode(answer.status), `${what}: ${statusMessage(answer.text)}`);
          const parsed = parseJson(what, answer.text);
          return parsed.ok
            ? { ok: true, value: stamp(parsed.value as KubeObject, apiVersion, kind) }
            : parsed;
        } catch (err) {
          return callFailure(what, err, signal);
        }
      },
      async list(apiVersion, kind, namespace, { signal }: PortCallOptions) {
        const what = `list ${apiVersion} ${kind}${namespace !== undefined ? ` in ${namespace}` : ''}`;
        try {
          const path = await collection(apiVersion, kind, namespace, signal);
          if (!path.ok) return { ...path, message: `${what}: ${path.message}` };
          const answer = await api('GET', path.value, signal);
          if (answer.status < 200 || answer.status > 299)
            return failure(statusCode(answer.status), `${what}: ${statusMessage(answer.text)}`);
          const parsed = parseJson(what, answer.text);
          if (!parsed.ok) return parsed;
          const items = (parsed.value as { items?: unknown }).items;
          const objects = Array.isArray(items) ? (items as KubeObject[]) : [];
          return { ok: true, value: objects.map((o) => stamp(o, apiVersion, kind)) };
        } catch (err) {
          return callFailure(what, err, signal);
        }
      },
    },
    apiCaller: {
      call: (request, { signal }) =>
        request.urlPath !== undefined ? apiPathCall(request, signal) : serviceCall(request, signal),
    },
    authorizer: {
      authorize: (attributes, { signal }) => subjectAccessReview(attributes, signal),
    },
    globalContext: options.globalContext ?? {
      async get(name) {
        return failure(
          'unavailable',
          `global context entry ${name}: palisade serve reads no GlobalContextEntries here`,
        );
      },
    },
  };

  /** `urlPath`: the API server's raw answer (Kyverno's `RawAbsPath`), with its error wording. */
  async function apiPathCall(request: ApiCallRequest, signal: AbortSignal): Promise<PortResult<unknown>> {
    const path = request.urlPath ?? '';
    const what = `failed to ${request.method} resource with raw url: ${path}`;
    if (!path.startsWith('/')) return failure('failed', `${what}: the path must start with /`);
    // The string checked (namespace-confinement.ts for namespaced policies) is the string sent: a
    // path the URL parser would rewrite (dot segments, `%2e%2e`, a fragment) is refused here.
    const sent = new URL(path, 'https://api.invalid');
    const query = path.indexOf('?');
    if (sent.hash !== '' || sent.pathname !== (query < 0 ? path : path.slice(0, query)))
      return failure('failed', `${what}: the path is not sent as written (it reads as ${sent.pathname})`);
    try {
      const answer = await api(
        request.method,
        path,
        signal,
        request.method === 'POST' ? (request.body ?? {}) : undefined,
      );
      if (answer.status < 200 || answer.status > 299) {
        const code = statusCode(answer.status);
        const denied = code === 'forbidden' ? 'permission denied: ' : '';
        return failure(code, `${what}: ${denied}${statusMessage(answer.text)}`);
      }
      return parseJson(what, answer.text);
    } catch (err) {
      return callFailure(what, err, signal);
    }
  }

  /** `service` (and CEL `http`): the URL's JSON answer, non-2xx being an error as in Kyverno. */
  async function serviceCall(request: ApiCallRequest, signal: AbortSignal): Promise<PortResult<unknown>> {
    const what = `${request.method} ${request.url ?? ''}`;
    let url: URL;
    try {
      url = new URL(request.url ?? '');
    } catch {
      return failure('failed', `${what}: not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return failure('failed', `${what}: only http and https URLs can be called`);
    const egress = request.library === 'http' ? httpEgress : undefined;
    const refused = egress?.refuse(url);
    if (refused !== undefined) return failure('forbidden', `${what}: ${refused}`);
    try {
      const answer = await boundedRequest({
        method: request.method,
        url,
        signal,
        maxBytes,
        timeoutMs,
        ...(request.headers !== undefined ? { headers: request.headers } : {}),
        ...(request.method === 'POST' ? { body: JSON.stringify(request.body ?? {}) } : {}),
        tls: {
          ...(request.caBundle !== undefined && request.caBundle !== '' ? { ca: request.caBundle } : {}),
          ...(egress !== undefined ? { lookup: egress.lookup } : {}),
        },
      });
      if (answer.status < 200 || answer.status > 299)
        return failure(
          statusCode(answer.status),
          `${what}: HTTP ${answer.status}: ${statusMessage(answer.text)}`,
        );
      return parseJson(what, answer.text);
    } catch (err) {
      return callFailure(what, err, signal);
    }
  }

  /** The CEL authorizer's check, asked of the API server (its authorizers decide). */
  async function subjectAccessReview(
    a: AuthorizationAttributes,
    signal: AbortSignal,
  ): Promise<AuthorizationDecision> {
    const spec: Record<string, unknown> = { user: a.user, groups: a.groups ?? [] };
    if (a.resourceRequest) {
      spec.resourceAttributes = {
        verb: a.verb,
        group: a.apiGroup ?? '',
        resource: a.resource ?? '',
        subresource: a.subresource ?? '',
        namespace: a.namespace ?? '',
        name: a.name ?? '',
        ...(a.fieldSelector ? { fieldSelector: { rawSelector: a.fieldSelector } } : {}),
        ...(a.labelSelector ? { labelSelector: { rawSelector: a.labelSelector } } : {}),
      };
    } else spec.nonResourceAttributes = { verb: a.verb, path: a.path ?? '' };
    const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec };
    const what = `authorization check for ${a.user}`;
    const noAnswer = (message: string): AuthorizationDecision => ({
      decision: 'noOpinion',
      reason: '',
      error: message,
    });
    try {
      const answer = await api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', signal, body);
      if (answer.status < 200 || answer.status > 299)
        return noAnswer(`${what}: HTTP ${answer.status}: ${statusMessage(answer.text)}`);
      const parsed = parseJson(what, answer.text);
      if (!parsed.ok) return noAnswer(parsed.message);
      const status = ((parsed.value as { status?: Record<string, unknown> }).status ?? {}) as {
        allowed?: boolean;
        denied?: boolean;
        reason?: string;
      };
      const reason = status.reason ?? '';
      if (status.allowed === true) return { decision: 'allow', reason };
      if (status.denied === true) return { decision: 'deny', reason };
      // As Kubernetes' webhook authorizer: neither allowed nor denied is no opinion (an evaluation
      // error on the server's side is its own business, not a failed check).
      return { decision: 'noOpinion', reason };
    } catch (err) {
      const f = callFailure(what, err, signal);
      return noAnswer(f.message);
    }
  }
}
