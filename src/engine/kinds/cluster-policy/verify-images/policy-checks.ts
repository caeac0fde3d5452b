/**
 * @module Kyverno's validation of verifyImages entries (api/kyverno/v1 ImageVerification.Validate,
 * called from pkg/validation/policy/validate.go): an image reference is required, `mutateDigest`
 * must be false when the entry's failure action is Audit (its own `failureAction`, else the policy's
 * `validationFailureAction`, default Audit), attestor sets need entries and a count within them, each
 * entry exactly one of keys, certificates, keyless or a nested set, and each of those its material.
 */
import type { Diagnostic, FieldPath } from '../../../diagnostics/diagnostic.js';
import { diagnostic } from '../../../diagnostics/diagnostic.js';
import { isPlainObject } from '../../../schema/schema-dsl.js';
import { normalizeImageVerification } from './image-verification.js';

const SIGNATURE_ALGORITHMS = new Set(['', 'sha224', 'sha256', 'sha384', 'sha512']);

function invalid(message: string, path: FieldPath): Diagnostic {
  return diagnostic('policy/invalid-value', message, path);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function checkAttestorSet(set: unknown, path: FieldPath, notary: boolean): Diagnostic[] {
  if (!isPlainObject(set)) return [];
  const out: Diagnostic[] = [];
  const entries = list(set.entries);
  if (typeof set.count === 'number' && set.count > entries.length)
    out.push(invalid('Count cannot exceed length of entries', [...path, 'count']));
  if (entries.length === 0) out.push(invalid('An entry is required', path));
  entries.forEach((e, i) => {
    out.push(...checkAttestor(e, [...path, 'entries', i], notary));
  });
  return out;
}

function checkAttestor(a: unknown, path: FieldPath, notary: boolean): Diagnostic[] {
  if (!isPlainObject(a)) return [];
  const out: Diagnostic[] = [];
  const kinds = (['keys', 'certificates', 'keyless', 'attestor'] as const).filter(
    (k) => a[k] !== undefined && a[k] !== null,
  );
  if (kinds.length !== 1)
    out.push(invalid('keys, certificates, keyless, or a nested attestor is required', path));
  if (notary && a.keyless !== undefined)
    out.push(invalid('Keyless field is not allowed for type notary', path));
  if (notary && a.keys !== undefined) out.push(invalid('Keys field is not allowed for type notary', path));
  const keys = a.keys;
  if (isPlainObject(keys)) {
    const has = (k: string) => typeof keys[k] === 'string' && keys[k] !== '';
    if (!has('publicKeys') && !has('kms') && keys.secret === undefined)
      out.push(invalid('A public key, kms key or secret is required', [...path, 'keys']));
    const algorithm = typeof keys.signatureAlgorithm === 'string' ? keys.signatureAlgorithm : '';
    if (has('publicKeys') && !SIGNATURE_ALGORITHMS.has(algorithm))
      out.push(invalid('Invalid signature algorithm provided', [...path, 'keys']));
  }
  const certs = a.certificates;
  if (isPlainObject(certs) && (certs.cert ?? '') === '' && (certs.certChain ?? '') === '')
    out.push(invalid('cert or certChain required', [...path, 'certificates']));
  const keyless = a.keyless;
  if (isPlainObject(keyless)) {
    const rekor = keyless.rekor;
    if ((rekor === undefined || rekor === null) && (keyless.roots ?? '') === '')
      out.push(invalid('Either Rekor URL or roots are required', [...path, 'keyless']));
    if (isPlainObject(rekor) && (rekor.url ?? '') === '')
      out.push(invalid('An URL is required', [...path, 'keyless']));
  }
  if (a.attestor !== undefined) out.push(...checkAttestorSet(a.attestor, [...path, 'attestor'], notary));
  return out;
}

/** Checks the verifyImages entries of one rule at `path` (= ['spec','rules',i]). */
export function checkVerifyImages(
  rule: Record<string, unknown>,
  path: FieldPath,
  policyAction: string | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let audit = (policyAction ?? 'Audit').toLowerCase() !== 'enforce';
  list(rule.verifyImages).forEach((raw, index) => {
    if (!isPlainObject(raw) || Object.keys(raw).length === 0) return;
    const at: FieldPath = [...path, 'verifyImages', index];
    // As in Kyverno, an entry's own action carries over to the entries after it.
    if (typeof raw.failureAction === 'string') audit = raw.failureAction.toLowerCase() !== 'enforce';
    const iv = normalizeImageVerification(raw);
    if (audit && raw.mutateDigest !== false)
      out.push(
        invalid('mutateDigest must be set to false for ‘Audit’ failure action', [...at, 'mutateDigest']),
      );
    if (iv.imageReferences.length === 0) out.push(invalid('An image reference is required', at));
    const notary = raw.type === 'Notary';
    iv.attestations.forEach((a, i) => {
      list(a.attestors).forEach((set, j) => {
        out.push(...checkAttestorSet(set, [...at, 'attestations', i, 'attestors', j], notary));
      });
    });
    iv.attestors.forEach((set, i) => {
      out.push(...checkAttestorSet(set, [...at, 'attestors', i], notary));
    });
  });
  return out;
}
