/**
 * @module Writes webhook configurations (computed by the engine) with server-side apply: Palisade's
 * field manager owns every field it sends, so a rewrite replaces the webhook list whole, and a
 * configuration equal to what is stored is not written at all (no needless events for watchers).
 */
import { type KubeObject, MANAGED_BY_LABEL } from '../../engine/index.js';
import { isNotFound, type KubeRest } from './kube-rest.js';

export const FIELD_MANAGER = 'palisade';

const PLURAL: Readonly<Record<string, string>> = {
  ValidatingWebhookConfiguration: 'validatingwebhookconfigurations',
  MutatingWebhookConfiguration: 'mutatingwebhookconfigurations',
};

function pathOf(object: KubeObject): string {
  const plural = PLURAL[String(object.kind)];
  if (plural === undefined) throw new Error(`not a webhook configuration: ${String(object.kind)}`);
  return `/apis/admissionregistration.k8s.io/v1/${plural}/${object.metadata?.name ?? ''}`;
}

/**
 * Deep equality of JSON values, with the stored object's extra fields (defaults) ignored, and an empty
 * list equal to none: the API server stores `webhooks: []` as no field, which would otherwise read as
 * a change at every resync.
 */
function contains(stored: unknown, wanted: unknown): boolean {
  if (wanted === null || typeof wanted !== 'object') return stored === wanted;
  if (Array.isArray(wanted) && wanted.length === 0 && stored === undefined) return true;
  if (Array.isArray(wanted))
    return (
      Array.isArray(stored) &&
      stored.length === wanted.length &&
      wanted.every((w, i) => contains(stored[i], w))
    );
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
  return Object.entries(wanted).every(([k, v]) => contains((stored as Record<string, unknown>)[k], v));
}

/** Applies `object`; answers whether it was written (false: already as wanted). */
export async function applyWebhookConfiguration(rest: KubeRest, object: KubeObject): Promise<boolean> {
  const path = pathOf(object);
  try {
    const stored = await rest.get<KubeObject>(path);
    if (contains(stored, { ...object, metadata: { labels: object.metadata?.labels ?? {} } })) return false;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await rest.apply(path, object, FIELD_MANAGER);
  return true;
}

/** Removes Palisade's configuration of that kind and name (break-glass, tests); absent is fine. */
export async function deleteWebhookConfiguration(rest: KubeRest, kind: string, name: string): Promise<void> {
  try {
    await rest.delete(
      pathOf({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind,
        metadata: { name, labels: { ...MANAGED_BY_LABEL } },
      }),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
