/**
 * @module ImageValidatingPolicy `validationConfigurations` (Kyverno pkg/image/verification/evaluator):
 * `mutateDigest` pins the tag of each matched container image to its resolved digest with JSON
 * patches (`replace` at the image's pointer, value `<registry>/<path>:<tag>@<digest>`), `verifyDigest`
 * requires images to be referenced by digest, `required` requires every matched image to have been
 * verified by some policy of the request.
 */
import type { KubeObject } from '../model/kube-object.js';
import type { Ports } from '../ports.js';
import { parseImageReference } from '../units/image-reference.js';

export interface DigestPatch {
  readonly op: 'replace';
  readonly path: string;
  readonly value: string;
}

export interface ContainerImage {
  /** JSON pointer to the `image` field. */
  readonly pointer: string;
  readonly image: string;
}

const LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Where the Pod spec of a Pod or pod controller lives, as JSON pointer segments. */
function podSpecPath(o: KubeObject): string[] | undefined {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (spec === undefined || spec === null) return undefined;
  if (o.kind === 'Pod') return ['spec'];
  if (o.kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  if (spec.template !== undefined) return ['spec', 'template', 'spec'];
  return undefined;
}

function at(o: unknown, path: readonly string[]): unknown {
  let cur = o;
  for (const p of path) cur = (cur as Record<string, unknown> | undefined)?.[p];
  return cur;
}

/** The container images of a Pod or pod controller with their JSON pointers. */
export function containerImages(o: KubeObject): ContainerImage[] {
  const path = podSpecPath(o);
  if (path === undefined) return [];
  const spec = at(o, path) as Record<string, unknown> | undefined;
  const out: ContainerImage[] = [];
  for (const list of LISTS) {
    const containers = spec?.[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      if (typeof c?.image === 'string')
        out.push({ pointer: `/${[...path, list, String(i)].join('/')}/image`, image: c.image });
    });
  }
  return out;
}

/** The digest the image data source resolves `image` to, or why it cannot. */
export function resolveDigest(
  ports: Ports | undefined,
  image: string,
): { digest: string } | { error: string } {
  const reader = ports?.imageData;
  if (reader === undefined) return { error: `resolving the digest of ${image} needs registry access` };
  const meta = reader.get(image);
  const fromMeta = meta.ok ? (meta.data as { digest?: unknown } | null)?.digest : undefined;
  if (typeof fromMeta === 'string' && fromMeta !== '') return { digest: fromMeta };
  const v = reader.verification?.(image);
  if (v?.ok === true && v.data.digest !== undefined && v.data.digest !== '') return { digest: v.data.digest };
  return { error: meta.ok ? `no digest known for ${image}` : meta.error };
}

/**
 * Patches pinning the matched, digest-less container images of `object` (mutateDigest). Each image
 * resolves on its own: one that cannot leaves an error but the others keep their patch.
 */
export function digestPatches(
  object: KubeObject,
  matches: (image: string) => boolean,
  ports: Ports | undefined,
): { patches: DigestPatch[]; errors: string[] } {
  const patches: DigestPatch[] = [];
  const errors: string[] = [];
  for (const { pointer, image } of containerImages(object)) {
    const info = parseImageReference(image);
    if (info === undefined) {
      errors.push(`failed to parse image reference ${image}`);
      continue;
    }
    if (info.digest !== '') continue;
    const normalized = info.referenceWithTag;
    if (!matches(normalized) && !matches(image)) continue;
    const resolved = resolveDigest(ports, image);
    if ('error' in resolved) {
      errors.push(`failed to resolve digest for image ${normalized}: ${resolved.error}`);
      continue;
    }
    patches.push({ op: 'replace', path: pointer, value: `${normalized}@${resolved.digest}` });
  }
  return { patches, errors };
}

/** verifyDigest: the message for the first image not referenced by digest, else undefined. */
export function missingDigest(images: readonly string[]): string | undefined {
  for (const image of images) {
    const info = parseImageReference(image);
    if (info === undefined) return `failed to parse image reference ${image}`;
    if (info.digest === '') return `image ${image} does not have a digest`;
  }
  return undefined;
}

/** required: the message for the first image no policy verified, else undefined. */
export function unverifiedImage(
  images: readonly string[],
  results: ReadonlyMap<string, boolean>,
): string | undefined {
  for (const image of images) {
    const verified = results.get(image);
    if (verified === true) continue;
    if (verified === false) return `image ${image} failed signature or attestation verification`;
    return `image ${image} is not verified: no policy performed a signature or attestation check on it`;
  }
  return undefined;
}
