/**
 * @module Container image references as Kyverno reads them (pkg/utils/image/infos.go on top of
 * distribution/reference): the default registry is prefixed when the first path segment is not a
 * registry (no `.`/`:`, not `localhost`, lower case) — without inserting `library/` — and the tag
 * defaults to `latest` when there is neither a tag nor a digest.
 */

export interface ImageInfo {
  readonly registry: string;
  readonly name: string;
  readonly path: string;
  readonly tag: string;
  readonly digest: string;
  /** `registry/path@digest` when a digest is present, else `registry/path:tag` (no registry → no prefix). */
  readonly reference: string;
  /** `registry/path:tag`, always with the tag (empty for digest-only references). */
  readonly referenceWithTag: string;
}

export interface ImageReferenceOptions {
  /** Registry for unqualified images; Kyverno's default is `docker.io`. */
  readonly defaultRegistry?: string;
  /** When false, an implied registry is left empty (Kyverno `enableDefaultRegistryMutation`). */
  readonly mutateDefaultRegistry?: boolean;
}

export type ImageParseResult =
  | { readonly ok: true; readonly info: ImageInfo }
  | { readonly ok: false; readonly error: string };

const DEFAULT_REGISTRY = 'docker.io';
const MAX_NAME_LENGTH = 255;
const MAX_INPUT_LENGTH = 4096;

const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Kyverno's addDefaultRegistry. */
function withDefaultRegistry(image: string, registry: string): string {
  const i = image.indexOf('/');
  if (i === -1) return `${registry}/${image}`;
  const first = image.slice(0, i);
  const isRegistry =
    first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first;
  return isRegistry ? image : `${registry}/${image}`;
}

function isDomain(s: string): boolean {
  const colon = s.startsWith('[') ? s.indexOf(']:') + 1 : s.lastIndexOf(':');
  const host = colon > 0 ? s.slice(0, colon) : s;
  if (colon > 0 && !PORT.test(s.slice(colon + 1))) return false;
  if (IPV6_HOST.test(host)) return true;
  return host.split('.').every((c) => DOMAIN_COMPONENT.test(c));
}

function isPath(components: readonly string[]): boolean {
  return components.length > 0 && components.every((c) => PATH_COMPONENT.test(c));
}

function validateDigest(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return 'invalid checksum digest format';
  const [algorithm = '', hex = ''] = digest.split(':');
  const expected = DIGEST_HEX_LENGTH[algorithm];
  if (expected === undefined) return 'unsupported digest algorithm';
  if (hex.length !== expected) return 'invalid checksum digest length';
  if (!/^[a-f0-9]+$/.test(hex)) return 'invalid checksum digest format';
  return undefined;
}

/** distribution/reference `Parse` of an already registry-qualified name. */
function parseReference(ref: string): { domain: string; path: string; tag: string; digest: string } | string {
  if (ref === '') return 'repository name must have at least one component';
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : '';
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
  const tag = colon >= 0 ? rest.slice(colon + 1) : '';
  const name = colon >= 0 ? rest.slice(0, colon) : rest;
  const parts = name.split('/');
  const first = parts[0] ?? '';
  let domain = '';
  let pathParts = parts;
  if (parts.length > 1 && isDomain(first)) {
    domain = first;
    pathParts = parts.slice(1);
  }
  const wellFormed =
    isPath(pathParts) &&
    (colon < 0 || TAG.test(tag)) &&
    (at < 0 || (DIGEST.test(digest) && !digest.includes('@')));
  if (!wellFormed) {
    const lowerOk = isPath(pathParts.map((p) => p.toLowerCase()));
    return lowerOk && name !== name.toLowerCase()
      ? 'invalid reference format: repository name must be lowercase'
      : 'invalid reference format';
  }
  if (name.length > MAX_NAME_LENGTH)
    return `repository name must not be more than ${MAX_NAME_LENGTH} characters`;
  if (at >= 0) {
    const bad = validateDigest(digest);
    if (bad) return bad;
  }
  return { domain, path: pathParts.join('/'), tag, digest };
}

/** Parses an image reference; the error explains why it is not one (Kyverno's `bad image: …` text). */
export function parseImageReferenceDetailed(
  image: string,
  options: ImageReferenceOptions = {},
): ImageParseResult {
  const defaultRegistry = options.defaultRegistry ?? DEFAULT_REGISTRY;
  const mutate = options.mutateDefaultRegistry ?? true;
  const full = withDefaultRegistry(image, defaultRegistry);
  const parsed = image.length > MAX_INPUT_LENGTH ? 'invalid reference format' : parseReference(full);
  if (typeof parsed === 'string') {
    return {
      ok: false,
      error: `bad image: ${full}, defaultRegistry: ${defaultRegistry}, enableDefaultRegistryMutation: ${mutate}: ${parsed}`,
    };
  }
  const registry = full !== image && !mutate ? '' : parsed.domain;
  const tag = parsed.tag === '' && parsed.digest === '' ? 'latest' : parsed.tag;
  const base = registry === '' ? parsed.path : `${registry}/${parsed.path}`;
  return {
    ok: true,
    info: {
      registry,
      name: parsed.path.slice(parsed.path.lastIndexOf('/') + 1),
      path: parsed.path,
      tag,
      digest: parsed.digest,
      reference: parsed.digest !== '' ? `${base}@${parsed.digest}` : `${base}:${tag}`,
      referenceWithTag: `${base}:${tag}`,
    },
  };
}

/** Parses an image reference as the `images` variable does; undefined when it is not a valid reference. */
export function parseImageReference(ref: string, options?: ImageReferenceOptions): ImageInfo | undefined {
  const result = parseImageReferenceDetailed(ref, options);
  return result.ok ? result.info : undefined;
}
