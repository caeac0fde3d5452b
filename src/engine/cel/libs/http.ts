/**
 * @module Kyverno's `http` library: `http.Get(url[, headers])`, `http.Post(url, body[, headers])`
 * and `http.Client(caBundle)` with the same methods, answered by the ApiCaller port.
 */
import type { ApiCallRequest } from '../../ports.js';
import { CelEvalError } from '../errors.js';
import type { CelRuntime } from '../runtime.js';
import { fromCel, toCel } from '../values.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

export class CelHttpClient {
  readonly caBundle: string;
  constructor(caBundle: string) {
    this.caBundle = caBundle;
  }
}

function call(rt: CelRuntime, method: 'GET' | 'POST', url: string, body: unknown, headers: unknown): unknown {
  const caller = rt.ports?.apiCaller;
  if (caller === undefined) throw new CelEvalError('http library: no HTTP access is available');
  const h = fromCel(headers ?? {}) as Record<string, string>;
  const request: ApiCallRequest = {
    url,
    method,
    ...(method === 'POST' ? { body: fromCel(body) } : {}),
    ...(Object.keys(h).length > 0 ? { headers: h } : {}),
  };
  const answer = caller.call(request);
  if (answer === undefined) throw new CelEvalError(`http ${method} ${url}: no response`);
  if (!answer.ok) throw new CelEvalError(`http ${method} ${url}: ${answer.error}`);
  return toCel(answer.body);
}

export function httpLibrary(rt: CelRuntime): CelLibrary {
  const ns = namespaceLibraryParts('HttpNamespace', 'http');
  const functions = [];
  for (const recv of ['HttpNamespace', 'kyverno.http.Client']) {
    functions.push(
      {
        signature: `${recv}.Get(string): dyn`,
        impl: (_: unknown, u: string) => call(rt, 'GET', u, undefined, undefined),
      },
      {
        signature: `${recv}.Get(string, map<string, string>): dyn`,
        impl: (_: unknown, u: string, h: unknown) => call(rt, 'GET', u, undefined, h),
      },
      {
        signature: `${recv}.Post(string, dyn): dyn`,
        impl: (_: unknown, u: string, b: unknown) => call(rt, 'POST', u, b, undefined),
      },
      {
        signature: `${recv}.Post(string, dyn, map<string, string>): dyn`,
        impl: (_: unknown, u: string, b: unknown, h: unknown) => call(rt, 'POST', u, b, h),
      },
    );
  }
  functions.push({
    signature: 'HttpNamespace.Client(string): kyverno.http.Client',
    impl: (_: unknown, ca: string) => new CelHttpClient(ca),
  });
  return {
    name: 'http',
    types: [...ns.types, { name: 'kyverno.http.Client', ctor: CelHttpClient }],
    constants: ns.constants,
    functions,
  };
}
