/**
 * @module `admission.k8s.io/v1` AdmissionReview: the decoded request (checked field by field, each
 * problem naming its field) and the encoded response (UID echoed, JSONPatch base64-encoded).
 */
import type {
  AdmissionRequest,
  AdmissionUserInfo,
  GroupVersionKind,
  GroupVersionResource,
  JsonPatchOperation,
  KubeObject,
  Operation,
} from '../engine/index.js';

/** The review versions the API server may send (`admissionReviewVersions`); the answer uses the same. */
const VERSIONS = new Set(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);
const OPERATIONS = new Set<string>(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export interface DecodedReview {
  readonly apiVersion: string;
  readonly request: AdmissionRequest;
}

export type DecodeResult = { ok: true; review: DecodedReview } | { ok: false; error: string };

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

class DecodeError extends Error {}

function fail(message: string): never {
  throw new DecodeError(message);
}

function str(o: Obj, key: string, where: string, required = false): string {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) fail(`${where}.${key} is required`);
    return '';
  }
  if (typeof v !== 'string') fail(`${where}.${key} must be a string`);
  return v;
}

function gvk(o: Obj, key: string, required: boolean): GroupVersionKind | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) fail(`request.${key} is required`);
    return undefined;
  }
  if (!isObject(v)) fail(`request.${key} must be an object`);
  const where = `request.${key}`;
  return {
    group: str(v, 'group', where),
    version: str(v, 'version', where),
    kind: str(v, 'kind', where, true),
  };
}

function gvr(o: Obj, key: string): GroupVersionResource {
  const v = o[key];
  if (!isObject(v)) fail(`request.${key} must be an object`);
  const where = `request.${key}`;
  return {
    group: str(v, 'group', where),
    version: str(v, 'version', where),
    resource: str(v, 'resource', where, true),
  };
}

function object(o: Obj, key: string): KubeObject | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (!isObject(v)) fail(`request.${key} must be an object or null`);
  objectHeader(v, `request.${key}`);
  return v as KubeObject;
}

/**
 * The fields every policy reads as typed (the API server always sends them so): a hand-made review
 * with a map for `apiVersion` or a list for `labels` is a 400, not an evaluation that trips on it.
 */
function objectHeader(v: Obj, where: string): void {
  str(v, 'apiVersion', where);
  str(v, 'kind', where);
  const meta = v.metadata;
  if (meta === undefined || meta === null) return;
  if (!isObject(meta)) fail(`${where}.metadata must be an object`);
  for (const key of ['name', 'namespace', 'generateName', 'uid', 'resourceVersion'])
    str(meta, key, `${where}.metadata`);
  for (const key of ['labels', 'annotations']) {
    const m = meta[key];
    if (m === undefined || m === null) continue;
    if (!isObject(m)) fail(`${where}.metadata.${key} must be an object`);
    for (const k of Object.keys(m)) str(m, k, `${where}.metadata.${key}`);
  }
}

function strings(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(`${where} must be a list of strings`);
  return v as string[];
}

function userInfo(o: Obj): AdmissionUserInfo | undefined {
  const v = o.userInfo;
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) fail('request.userInfo must be an object');
  const extra: Record<string, readonly string[]> = {};
  if (v.extra !== undefined && v.extra !== null) {
    if (!isObject(v.extra)) fail('request.userInfo.extra must be an object');
    for (const [k, list] of Object.entries(v.extra)) extra[k] = strings(list, `request.userInfo.extra.${k}`);
  }
  const out: { -readonly [K in keyof AdmissionUserInfo]: AdmissionUserInfo[K] } = {
    username: str(v, 'username', 'request.userInfo'),
    uid: str(v, 'uid', 'request.userInfo'),
    groups: strings(v.groups, 'request.userInfo.groups'),
  };
  if (Object.keys(extra).length > 0) out.extra = extra;
  return out;
}

function request(v: unknown): AdmissionRequest {
  if (!isObject(v)) fail('request must be an object');
  const uid = str(v, 'uid', 'request', true);
  if (uid === '') fail('request.uid must not be empty');
  const operation = str(v, 'operation', 'request', true);
  if (!OPERATIONS.has(operation)) fail(`request.operation must be CREATE, UPDATE, DELETE or CONNECT`);
  const kind = gvk(v, 'kind', true) as GroupVersionKind;
  const requestKind = gvk(v, 'requestKind', false);
  const user = userInfo(v);
  const subResource = str(v, 'subResource', 'request');
  if (v.dryRun !== undefined && v.dryRun !== null && typeof v.dryRun !== 'boolean')
    fail('request.dryRun must be a boolean');
  // Field by field in the order the keys always had, not a literal with fields after conditional
  // spreads: V8 builds those in the old space, where the request would keep its young parsed object
  // alive through scavenges (docs/decisions/0007-performance.md).
  const out = { uid, kind, resource: gvr(v, 'resource') } as {
    -readonly [K in keyof AdmissionRequest]: AdmissionRequest[K];
  };
  if (subResource !== '') out.subResource = subResource;
  if (requestKind !== undefined) out.requestKind = requestKind;
  out.name = str(v, 'name', 'request');
  out.namespace = str(v, 'namespace', 'request');
  out.operation = operation as Operation;
  if (user !== undefined) out.userInfo = user;
  out.object = object(v, 'object');
  out.oldObject = object(v, 'oldObject');
  if (v.dryRun === true) out.dryRun = true;
  if (v.options !== undefined) out.options = v.options;
  // DELETE is evaluated on the old object (reference §10), so it must be there; others on the new one.
  if (operation === 'DELETE' ? out.oldObject === null : out.object === null && operation !== 'CONNECT')
    fail(`request.${operation === 'DELETE' ? 'oldObject' : 'object'} is required for ${operation}`);
  return out;
}

/** Checks a parsed body is an AdmissionReview with a request. Never throws. */
export function decodeReview(body: unknown): DecodeResult {
  try {
    if (!isObject(body)) fail('the body must be a JSON object (an AdmissionReview)');
    const apiVersion = str(body, 'apiVersion', 'AdmissionReview', true);
    if (!VERSIONS.has(apiVersion))
      fail(`apiVersion must be admission.k8s.io/v1, got ${JSON.stringify(apiVersion)}`);
    if (body.kind !== 'AdmissionReview') fail('kind must be AdmissionReview');
    return { ok: true, review: { apiVersion, request: request(body.request) } };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, error: err.message };
    throw err;
  }
}

/** The `uid` of a body's request, if it has a usable one (for answering bodies that cannot be decoded). */
export function uidOf(body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.request)) return undefined;
  const uid = body.request.uid;
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  /** Why the request was denied (Kyverno's metav1.Status: `Failure` and the message). */
  readonly status?: { readonly status: 'Failure'; readonly message: string };
  readonly warnings?: readonly string[];
  readonly patch?: readonly JsonPatchOperation[];
}

/** The review answer as JSON text. An empty patch is left out; a patch is base64 JSON with `JSONPatch`. */
export function encodeReview(apiVersion: string, response: AdmissionResponse): string {
  // The text JSON.stringify would make of the review object, written part by part (once per review):
  // no review or response object built for it. A test compares the two over a table of responses.
  let text = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":"AdmissionReview","response":{"uid":${JSON.stringify(response.uid)},"allowed":${JSON.stringify(response.allowed)}`;
  if (response.status !== undefined) text += `,"status":${JSON.stringify(response.status)}`;
  if (response.warnings !== undefined && response.warnings.length > 0)
    text += `,"warnings":${JSON.stringify(response.warnings)}`;
  if (response.patch !== undefined && response.patch.length > 0)
    text += `,"patch":"${Buffer.from(JSON.stringify(response.patch)).toString('base64')}","patchType":"JSONPatch"`;
  return `${text}}}`;
}
