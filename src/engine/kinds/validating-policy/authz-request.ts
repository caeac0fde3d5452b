import { isMap } from '../../model/json-map.js';

/**
 * @module The request an authorization-mode ValidatingPolicy sees as `object`, from its JSON form:
 * Envoy's `envoy.service.auth.v3.CheckRequest` (protojson: proto or lowerCamel field names) or
 * kyverno-authz's HTTP `CheckRequest` (Go JSON: field names match case-insensitively). Like the
 * typed values Kyverno evaluates, every known field is present, with its zero value when unset
 * (`object.attributes.request.http.headers` is `{}` for a request without headers), and bytes fields
 * given as base64 are bytes.
 */

type Field = 'string' | 'int' | 'bytes' | 'map' | 'message' | Shape;
interface Shape {
  readonly [name: string]: Field;
}

const PEER: Shape = {
  address: 'message',
  service: 'string',
  labels: 'map',
  principal: 'string',
  certificate: 'string',
};
const ENVOY_HTTP_REQUEST: Shape = {
  id: 'string',
  method: 'string',
  headers: 'map',
  header_map: 'message',
  path: 'string',
  host: 'string',
  scheme: 'string',
  query: 'string',
  fragment: 'string',
  size: 'int',
  protocol: 'string',
  body: 'string',
  raw_body: 'bytes',
};
const ENVOY_CHECK_REQUEST: Shape = {
  attributes: {
    source: PEER,
    destination: PEER,
    request: { http: ENVOY_HTTP_REQUEST },
    context_extensions: 'map',
    metadata_context: 'message',
    route_metadata_context: 'message',
    tls_session: 'message',
  },
};
const HTTP_CHECK_REQUEST: Shape = {
  attributes: {
    method: 'string',
    header: 'map',
    host: 'string',
    protocol: 'string',
    contentLength: 'int',
    body: 'bytes',
    scheme: 'string',
    path: 'string',
    query: 'map',
    fragment: 'string',
  },
};

function zero(field: Field): unknown {
  switch (field) {
    case 'string':
      return '';
    case 'int':
      return 0;
    case 'bytes':
      return new Uint8Array(0);
    case 'map':
    case 'message':
      return {};
    default:
      return normalized(undefined, field, () => undefined);
  }
}

const lowerCamel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function normalized(
  value: unknown,
  shape: Shape,
  find: (object: Record<string, unknown>, name: string) => string | undefined,
): Record<string, unknown> {
  const given = isMap(value) ? value : {};
  const out: Record<string, unknown> = {};
  const used = new Set<string>();
  for (const [name, field] of Object.entries(shape)) {
    const key = find(given, name);
    if (key !== undefined) used.add(key);
    const v = key === undefined ? undefined : given[key];
    if (v === undefined || v === null) out[name] = zero(field);
    else if (typeof field === 'object') out[name] = normalized(v, field, find);
    else if (field === 'bytes' && typeof v === 'string') out[name] = new Uint8Array(Buffer.from(v, 'base64'));
    else if (field === 'int' && typeof v === 'string' && /^-?\d+$/.test(v)) out[name] = Number(v);
    else out[name] = v;
  }
  // Fields this model does not know are kept as given.
  for (const [k, v] of Object.entries(given)) if (!used.has(k) && !Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** An Envoy CheckRequest from its protojson form. */
export function envoyCheckRequest(json: unknown): Record<string, unknown> {
  return normalized(json, ENVOY_CHECK_REQUEST, (o, name) =>
    Object.hasOwn(o, name) ? name : Object.hasOwn(o, lowerCamel(name)) ? lowerCamel(name) : undefined,
  );
}

/** A kyverno-authz HTTP CheckRequest from its JSON form. */
export function httpCheckRequest(json: unknown): Record<string, unknown> {
  return normalized(json, HTTP_CHECK_REQUEST, (o, name) => {
    if (Object.hasOwn(o, name)) return name;
    const lower = name.toLowerCase();
    return Object.keys(o).find((k) => k.toLowerCase() === lower);
  });
}
