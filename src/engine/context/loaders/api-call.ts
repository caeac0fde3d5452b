/**
 * @module `context[].apiCall{urlPath | service, method, data, jmesPath, default}` (Kyverno
 * `loaders/apicall.go`, `pkg/engine/apicall`): variables are substituted in the whole entry, the
 * call goes through the `ApiCaller` port, `jmesPath` shapes the response and `default` replaces a
 * failed call (stored as is, without `jmesPath`).
 */
import { searchJmespath } from '../../jmespath/evaluate.js';
import type { ContextEntry } from '../../kinds/cluster-policy/types.js';
import { isMap } from '../../model/json-map.js';
import { checkNamespacedApiPath } from '../../namespace-confinement.js';
import type { ApiCaller, ApiCallRequest } from '../../ports.js';
import type { JsonContext } from '../json-context.js';
import { errorText, substituteIn } from './_substitute.js';
import { ContextLoadError } from './errors.js';

type ApiCallSpec = NonNullable<ContextEntry['apiCall']>;

function buildRequest(name: string, spec: ApiCallSpec): ApiCallRequest {
  const method = spec.method === 'POST' ? 'POST' : 'GET';
  const body: Record<string, unknown> = {};
  for (const item of spec.data ?? []) body[item.key] = item.value;
  const withBody = method === 'POST' ? { body } : {};
  if (spec.service) {
    const headers: Record<string, string> = {};
    for (const h of spec.service.headers ?? []) headers[h.key] = String(h.value);
    const ca = spec.service.caBundle;
    return { url: spec.service.url, method, headers, ...withBody, ...(ca ? { caBundle: ca } : {}) };
  }
  if (spec.urlPath !== undefined) return { urlPath: spec.urlPath, method, ...withBody };
  throw new ContextLoadError(
    name,
    `failed to initiaize APICal: missing urlPath or service for context entry ${name}`,
  );
}

/**
 * A namespaced Policy may only call paths inside its own namespace (Kyverno's CVE-2026-22039
 * hardening, `apicall/apiCall.go`, made strict: namespace-confinement.ts). Kyverno checks `urlPath`
 * even for `service` calls, whose empty path has no namespace segment: a namespaced Policy cannot
 * make service calls either.
 */
function guardPolicyNamespace(request: ApiCallRequest, policyNamespace: string): string | undefined {
  if (policyNamespace === '') return undefined;
  const checked = checkNamespacedApiPath(request.urlPath ?? '', policyNamespace);
  return checked.ok ? undefined : checked.reason;
}

function fetch(
  request: ApiCallRequest,
  caller: ApiCaller,
): { ok: true; body: unknown } | { ok: false; error: string } {
  const target = request.url ?? request.urlPath ?? '';
  const response = caller.call(request);
  if (!response) return { ok: false, error: `no response for ${request.method} ${target}` };
  return response;
}

export function loadApiCall(
  name: string,
  spec: ApiCallSpec,
  ctx: JsonContext,
  caller: ApiCaller,
  policyNamespace = '',
): void {
  // jmesPath is substituted only when the response is shaped, like Kyverno.
  const { jmesPath, default: defaultValue, ...callable } = spec;
  const substituted = substituteIn(
    name,
    callable,
    ctx,
    `failed to substitute variables in context entry ${name}`,
  );
  if (!isMap(substituted))
    throw new ContextLoadError(name, `failed to initiaize APICal: invalid apiCall in ${name}`);
  const request = buildRequest(name, substituted as ApiCallSpec);
  // Refused before any call and whatever `default` says, as Kyverno does.
  const refused = guardPolicyNamespace(request, policyNamespace);
  if (refused !== undefined) throw new ContextLoadError(name, `failed to fetch data for APICall: ${refused}`);
  const response = fetch(request, caller);
  if (!response.ok) {
    if (defaultValue === undefined || defaultValue === null) {
      throw new ContextLoadError(name, `failed to fetch data for APICall: ${response.error}`);
    }
    ctx.set(name, defaultValue);
    return;
  }
  if (jmesPath === undefined || jmesPath === '') {
    ctx.set(name, response.body);
    return;
  }
  const path = substituteIn(
    name,
    jmesPath,
    ctx,
    `failed to store data for APICall: failed to substitute variables in context entry ${name} JMESPath ${jmesPath}`,
  );
  try {
    ctx.set(name, searchJmespath(String(path), response.body, ctx.functionContext));
  } catch (error) {
    throw new ContextLoadError(
      name,
      `failed to store data for APICall: failed to apply JMESPath ${String(path)} for context entry ${name}: ${errorText(error)}`,
      { cause: error },
    );
  }
}
