/**
 * @module Kyverno's `http` library: `http.Get(url[, headers])`, `http.Post(url, body[, headers])`
 * and `http.Client(caBundle)` with the same methods, answered by the ApiCaller port.
 */
import type { ApiCallRequest } from '../../ports.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { CelEvalError } from '../errors.js';
import { fromCel, toCel } from '../values.js';
import { type CelFunctionEntry, type CelLibrary, CelLibraryContext, contextVariable } from './types.js';

/** `http`: bound per evaluation, with the evaluation's ApiCaller port. */
export const httpContext = contextVariable('HttpNamespace', 'http');

/** `http.Client(caBundle)`: calls through the same evaluation's port. */
export class CelHttpClient extends CelLibraryContext {
  readonly caBundle: string;
  constructor(runtime: EvaluationRuntime, caBundle: string) {
    super(runtime);
    this.caBundle = caBundle;
  }
}

function call(
  c: CelLibraryContext,
  method: 'GET' | 'POST',
  url: string,
  body: unknown,
  headers: unknown,
): unknown {
  const caller = c.runtime.ports.apiCaller;
  if (caller === undefined) throw new CelEvalError('http library: no HTTP access is available');
  const h = fromCel(headers ?? {}) as Record<string, string>;
  const request: ApiCallRequest = {
    url,
    method,
    library: 'http',
    ...(method === 'POST' ? { body: fromCel(body) } : {}),
    ...(Object.keys(h).length > 0 ? { headers: h } : {}),
    ...(c instanceof CelHttpClient && c.caBundle !== '' ? { caBundle: c.caBundle } : {}),
  };
  const answer = caller.call(request);
  if (answer === undefined) throw new CelEvalError(`http ${method} ${url}: no response`);
  if (!answer.ok) throw new CelEvalError(`http ${method} ${url}: ${answer.error}`);
  return toCel(answer.body);
}

type Ctx = CelLibraryContext;

export function httpLibrary(): CelLibrary {
  const functions: CelFunctionEntry[] = [];
  for (const recv of ['HttpNamespace', 'kyverno.http.Client']) {
    functions.push(
      {
        signature: `${recv}.Get(string): dyn`,
        impl: (c: Ctx, u: string) => call(c, 'GET', u, undefined, undefined),
      },
      {
        signature: `${recv}.Get(string, map<string, string>): dyn`,
        impl: (c: Ctx, u: string, h: unknown) => call(c, 'GET', u, undefined, h),
      },
      {
        signature: `${recv}.Post(string, dyn): dyn`,
        impl: (c: Ctx, u: string, b: unknown) => call(c, 'POST', u, b, undefined),
      },
      {
        signature: `${recv}.Post(string, dyn, map<string, string>): dyn`,
        impl: (c: Ctx, u: string, b: unknown, h: unknown) => call(c, 'POST', u, b, h),
      },
    );
  }
  functions.push({
    signature: 'HttpNamespace.Client(string): kyverno.http.Client',
    impl: (c: Ctx, ca: string) => new CelHttpClient(c.runtime, ca),
  });
  return {
    name: 'http',
    types: [
      { name: httpContext.type, ctor: httpContext.ctor },
      { name: 'kyverno.http.Client', ctor: CelHttpClient },
    ],
    variables: [httpContext],
    functions,
  };
}
