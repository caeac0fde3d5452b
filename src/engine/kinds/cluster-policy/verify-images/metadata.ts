/**
 * @module Image verification metadata (Kyverno pkg/engine/api/imageverifymetadata.go): which images a
 * policy's verifyImages rules verified, written to the resource as the annotations
 * `kyverno.io/verify-images` (image → pass|fail|skip) and `kyverno.io/verify-images-scoped`
 * (`{"version":1,"policies":{"<ns>/<policy>":{"<rule>":{"<image>":"pass"}}}}`); the `required`
 * check of the validating phase reads the scoped one back.
 */
import type { KubeObject } from '../../../model/kube-object.js';

export type ImageVerificationStatus = 'pass' | 'fail' | 'skip';

export const VERIFY_IMAGES_ANNOTATION = 'kyverno.io/verify-images';
export const VERIFY_IMAGES_SCOPED_ANNOTATION = 'kyverno.io/verify-images-scoped';

type Scoped = Record<string, Record<string, Record<string, ImageVerificationStatus>>>;

export class ImageVerificationMetadata {
  readonly data = new Map<string, ImageVerificationStatus>();
  policies: Scoped | undefined;

  add(image: string, status: ImageVerificationStatus): void {
    this.data.set(image, status);
  }

  addScoped(namespace: string, policy: string, rule: string, image: string, status: ImageVerificationStatus) {
    this.policies ??= {};
    const key = `${namespace}/${policy}`;
    this.policies[key] ??= {};
    const rules = this.policies[key];
    rules[rule] ??= {};
    const images = rules[rule];
    images[image] = status;
  }

  isEmpty(): boolean {
    return this.data.size === 0 && (this.policies === undefined || Object.keys(this.policies).length === 0);
  }

  /**
   * The object with the annotations set, merged with what earlier policies recorded there (as
   * Kyverno's webhook merges the metadata of every policy of a request).
   */
  annotate(object: KubeObject): KubeObject {
    const annotations: Record<string, string> = { ...(object.metadata?.annotations ?? {}) };
    const data = { ...parseJson(annotations[VERIFY_IMAGES_ANNOTATION]), ...Object.fromEntries(this.data) };
    annotations[VERIFY_IMAGES_ANNOTATION] = JSON.stringify(sortedObject(data));
    if (this.policies !== undefined) {
      const earlier = parseJson(annotations[VERIFY_IMAGES_SCOPED_ANNOTATION]);
      const policies = { ...(earlier.version === 1 ? (earlier.policies as Scoped | undefined) : undefined) };
      for (const [key, rules] of Object.entries(this.policies))
        policies[key] = { ...policies[key], ...rules };
      annotations[VERIFY_IMAGES_SCOPED_ANNOTATION] = JSON.stringify({
        version: 1,
        policies: sortedDeep(policies),
      });
    }
    return { ...object, metadata: { ...(object.metadata ?? {}), annotations } };
  }
}

/** An annotation's JSON object, or an empty one when it is absent or not an object. */
function parseJson(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// Go's json.Marshal writes map keys sorted.
function sortedObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortedDeep(o: unknown): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o;
  return sortedObject(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, sortedDeep(v)])));
}

/**
 * Kyverno IsImageVerifiedForPolicy: the scoped status of `image` for the policy's rule on `object`
 * (`fail` when the annotation or the entry is missing). Throws when the annotation is not JSON.
 */
export function scopedVerificationStatus(
  object: KubeObject | undefined,
  namespace: string,
  policy: string,
  rule: string,
  image: string,
): ImageVerificationStatus {
  const raw = object?.metadata?.annotations?.[VERIFY_IMAGES_SCOPED_ANNOTATION];
  if (typeof raw !== 'string') return 'fail';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new Error(`failed to parse scoped image metadata: ${e instanceof Error ? e.message : String(e)}`);
  }
  const p = parsed as { version?: unknown; policies?: Scoped } | null;
  // The legacy unscoped form (image → status) parses but holds no policies.
  if (p === null || typeof p !== 'object' || p.version !== 1 || typeof p.policies !== 'object') return 'fail';
  const status = p.policies?.[`${namespace}/${policy}`]?.[rule]?.[image];
  return status === 'pass' || status === 'skip' || status === 'fail' ? status : 'fail';
}
