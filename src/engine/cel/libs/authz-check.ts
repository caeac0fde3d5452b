/**
 * @module The response builders of Kyverno's authorization modes (kyverno-authz, used by
 * ValidatingPolicies with `evaluation.mode: Envoy` or `HTTP`): `envoy.Allowed()`,
 * `envoy.Denied(code)`, headers and query parameters, `.Response()`; `http.Allowed()`,
 * `http.Denied(reason)`, `.Response()`. A validation returns a response (the request's answer) or
 * null (no opinion). Values are immutable: each builder returns a new one.
 */
import { type CelFunctionEntry, type CelLibrary, namespaceLibraryParts } from './types.js';

/** Gives a class its CEL type name (what type errors and `type()` show). */
function named(ctor: abstract new (...args: never[]) => unknown, name: string): void {
  Object.defineProperty(ctor, 'name', { value: name });
}

// ---- Envoy (envoy.service.auth.v3) ---------------------------------------------------------------

export interface HeaderFields {
  readonly key: string;
  readonly value: string;
  readonly keepEmptyValue: boolean;
}
export interface OkFields {
  readonly headers: readonly EnvoyHeaderValueOption[];
  readonly headersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly EnvoyHeaderValueOption[];
  readonly queryParametersToSet: readonly EnvoyQueryParameter[];
  readonly queryParametersToRemove: readonly string[];
}
export interface DeniedFields {
  readonly code: number;
  readonly body: string;
  readonly headers: readonly EnvoyHeaderValueOption[];
}
export interface EnvoyResponseFields {
  /** gRPC status: OK (0) with an OkHttpResponse, PERMISSION_DENIED (7) with a DeniedHttpResponse. */
  readonly status: { readonly code: number; readonly message: string };
  readonly ok?: EnvoyOkHttpResponse;
  readonly denied?: EnvoyDeniedHttpResponse;
  readonly dynamicMetadata?: unknown;
}

/** One immutable value of a response type: its fields, under the type's CEL name. */
abstract class Fields<T> {
  readonly fields: T;
  constructor(fields: T) {
    this.fields = fields;
  }
}
export class EnvoyHeaderValueOption extends Fields<HeaderFields> {}
export class EnvoyQueryParameter extends Fields<{ readonly key: string; readonly value: string }> {}
export class EnvoyOkHttpResponse extends Fields<OkFields> {
  with(change: Partial<OkFields>): EnvoyOkHttpResponse {
    return new EnvoyOkHttpResponse({ ...this.fields, ...change });
  }
}
export class EnvoyDeniedHttpResponse extends Fields<DeniedFields> {
  with(change: Partial<DeniedFields>): EnvoyDeniedHttpResponse {
    return new EnvoyDeniedHttpResponse({ ...this.fields, ...change });
  }
}
export class EnvoyCheckResponse extends Fields<EnvoyResponseFields> {}
named(EnvoyHeaderValueOption, 'envoy.config.core.v3.HeaderValueOption');
named(EnvoyQueryParameter, 'envoy.config.core.v3.QueryParameter');
named(EnvoyOkHttpResponse, 'envoy.service.auth.v3.OkHttpResponse');
named(EnvoyDeniedHttpResponse, 'envoy.service.auth.v3.DeniedHttpResponse');
named(EnvoyCheckResponse, 'envoy.service.auth.v3.CheckResponse');

type Header = EnvoyHeaderValueOption;
type QueryParameter = EnvoyQueryParameter;
type Ok = EnvoyOkHttpResponse;
type Denied = EnvoyDeniedHttpResponse;
type EnvoyResponse = EnvoyCheckResponse;
const EMPTY_OK: OkFields = {
  headers: [],
  headersToRemove: [],
  responseHeadersToAdd: [],
  queryParametersToSet: [],
  queryParametersToRemove: [],
};

const int = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v));

export function envoyAuthzLibrary(): CelLibrary {
  const ok = 'envoy.service.auth.v3.OkHttpResponse';
  const denied = 'envoy.service.auth.v3.DeniedHttpResponse';
  const header = 'envoy.config.core.v3.HeaderValueOption';
  const param = 'envoy.config.core.v3.QueryParameter';
  const response = 'envoy.service.auth.v3.CheckResponse';
  const hdr = (k: string, v: string) =>
    new EnvoyHeaderValueOption({ key: k, value: v, keepEmptyValue: false });
  const functions: CelFunctionEntry[] = [
    { signature: `EnvoyNamespace.Allowed(): ${ok}`, impl: () => new EnvoyOkHttpResponse(EMPTY_OK) },
    {
      signature: `EnvoyNamespace.Denied(int): ${denied}`,
      impl: (_: unknown, c: unknown) => new EnvoyDeniedHttpResponse({ code: int(c), body: '', headers: [] }),
    },
    {
      signature: `EnvoyNamespace.Header(string, string): ${header}`,
      impl: (_: unknown, k: string, v: string) => hdr(k, v),
    },
    {
      signature: `EnvoyNamespace.QueryParam(string, string): ${param}`,
      impl: (_: unknown, k: string, v: string) => new EnvoyQueryParameter({ key: k, value: v }),
    },
    {
      signature: `${denied}.WithBody(string): ${denied}`,
      impl: (d: Denied, body: string) => d.with({ body }),
    },
    {
      signature: `${ok}.WithHeader(${header}): ${ok}`,
      impl: (o: Ok, h: Header) => o.with({ headers: [...o.fields.headers, h] }),
    },
    {
      signature: `${ok}.WithHeader(string, string): ${ok}`,
      impl: (o: Ok, k: string, v: string) => o.with({ headers: [...o.fields.headers, hdr(k, v)] }),
    },
    {
      signature: `${denied}.WithHeader(${header}): ${denied}`,
      impl: (d: Denied, h: Header) => d.with({ headers: [...d.fields.headers, h] }),
    },
    {
      signature: `${denied}.WithHeader(string, string): ${denied}`,
      impl: (d: Denied, k: string, v: string) => d.with({ headers: [...d.fields.headers, hdr(k, v)] }),
    },
    {
      signature: `${ok}.WithoutHeader(string): ${ok}`,
      impl: (o: Ok, k: string) => o.with({ headersToRemove: [...o.fields.headersToRemove, k] }),
    },
    {
      signature: `${ok}.WithResponseHeader(${header}): ${ok}`,
      impl: (o: Ok, h: Header) => o.with({ responseHeadersToAdd: [...o.fields.responseHeadersToAdd, h] }),
    },
    {
      signature: `${ok}.WithResponseHeader(string, string): ${ok}`,
      impl: (o: Ok, k: string, v: string) =>
        o.with({ responseHeadersToAdd: [...o.fields.responseHeadersToAdd, hdr(k, v)] }),
    },
    {
      signature: `${ok}.WithQueryParam(${param}): ${ok}`,
      impl: (o: Ok, p: QueryParameter) =>
        o.with({ queryParametersToSet: [...o.fields.queryParametersToSet, p] }),
    },
    {
      signature: `${ok}.WithQueryParam(string, string): ${ok}`,
      impl: (o: Ok, k: string, v: string) =>
        o.with({
          queryParametersToSet: [
            ...o.fields.queryParametersToSet,
            new EnvoyQueryParameter({ key: k, value: v }),
          ],
        }),
    },
    {
      signature: `${ok}.WithoutQueryParam(string): ${ok}`,
      impl: (o: Ok, k: string) =>
        o.with({ queryParametersToRemove: [...o.fields.queryParametersToRemove, k] }),
    },
    {
      signature: `${header}.KeepEmptyValue(): ${header}`,
      impl: (h: Header) => new EnvoyHeaderValueOption({ ...h.fields, keepEmptyValue: true }),
    },
    {
      signature: `${header}.KeepEmptyValue(bool): ${header}`,
      impl: (h: Header, keep: boolean) => new EnvoyHeaderValueOption({ ...h.fields, keepEmptyValue: keep }),
    },
    {
      // `dyn`, not the CheckResponse type: cel-js does not unify a message type with null, and
      // validations are written `cond ? envoy.Denied(403).Response() : null`.
      signature: `${ok}.Response(): dyn`,
      impl: (o: Ok) => new EnvoyCheckResponse({ status: { code: 0, message: '' }, ok: o }),
    },
    {
      signature: `${denied}.Response(): dyn`,
      impl: (d: Denied) => new EnvoyCheckResponse({ status: { code: 7, message: '' }, denied: d }),
    },
    {
      signature: `${response}.WithMessage(string): ${response}`,
      impl: (r: EnvoyResponse, m: string) =>
        new EnvoyCheckResponse({ ...r.fields, status: { code: r.fields.status.code, message: m } }),
    },
    {
      signature: `${response}.WithMetadata(map<string, dyn>): ${response}`,
      impl: (r: EnvoyResponse, md: unknown) => new EnvoyCheckResponse({ ...r.fields, dynamicMetadata: md }),
    },
  ];
  const namespace = namespaceLibraryParts('EnvoyNamespace', 'envoy');
  return {
    name: 'kyverno.authz.envoy',
    types: [
      ...namespace.types,
      { name: ok, ctor: EnvoyOkHttpResponse },
      { name: denied, ctor: EnvoyDeniedHttpResponse },
      { name: header, ctor: EnvoyHeaderValueOption },
      { name: param, ctor: EnvoyQueryParameter },
      { name: response, ctor: EnvoyCheckResponse },
    ],
    constants: namespace.constants,
    functions,
  };
}

// ---- HTTP (kyverno-authz http.CheckResponse) ------------------------------------------------------

export class HttpCheckResponseOk {}
export class HttpCheckResponseDenied extends Fields<{ readonly reason: string }> {}
export class HttpCheckResponse extends Fields<{
  readonly ok?: HttpCheckResponseOk;
  readonly denied?: HttpCheckResponseDenied;
}> {}
named(HttpCheckResponseOk, 'http.CheckResponseOk');
named(HttpCheckResponseDenied, 'http.CheckResponseDenied');
named(HttpCheckResponse, 'http.CheckResponse');

/** Registered on the `http` namespace (the HTTP client's), as kyverno-authz adds `http.Allowed` beside `http.Get`. */
export function httpAuthzLibrary(): CelLibrary {
  return {
    name: 'kyverno.authz.http',
    types: [
      { name: 'http.CheckResponseOk', ctor: HttpCheckResponseOk },
      { name: 'http.CheckResponseDenied', ctor: HttpCheckResponseDenied },
      { name: 'http.CheckResponse', ctor: HttpCheckResponse },
    ],
    functions: [
      { signature: 'HttpNamespace.Allowed(): http.CheckResponseOk', impl: () => new HttpCheckResponseOk() },
      {
        signature: 'HttpNamespace.Denied(string): http.CheckResponseDenied',
        impl: (_: unknown, reason: string) => new HttpCheckResponseDenied({ reason }),
      },
      {
        signature: 'http.CheckResponseOk.Response(): dyn',
        impl: (o: HttpCheckResponseOk) => new HttpCheckResponse({ ok: o }),
      },
      {
        signature: 'http.CheckResponseDenied.Response(): dyn',
        impl: (d: HttpCheckResponseDenied) => new HttpCheckResponse({ denied: d }),
      },
    ],
  };
}
