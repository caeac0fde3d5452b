/**
 * @module `validate.manifests` (Kyverno pkg/engine/handlers/validation/validate_manifest.go over
 * k8s-manifest-sigstore): the resource must carry a signed manifest in its annotations
 * (`<domain>/message`, `<domain>/signature`, `signature_1`, …) that matches it, with signatures
 * verified by the attestors. Each attestor set needs `count` entries (all when unset) to verify.
 * An entry fails when no message or no signature is found or the resource differs from the manifest;
 * a signature no key verifies, or a check that needs a service offline (key references, certificates,
 * keyless), is an error. Signatures are checked offline with the public keys (no transparency log is
 * consulted for a bare signature, as k8s-manifest-sigstore ignores it then); the dry-run comparison
 * needs a cluster and is never made (the CLI cannot make it either).
 */
import { publicKeyFromPem, verifySignature } from '../../../../image-verify/signature.js';
import { stringMapOrEmpty } from '../../../../match/resource-description.js';
import { ruleResult } from '../../../../verdict/rule-result.js';
import type { RuleResult } from '../../../../verdict/types.js';
import type { Rule } from '../../types.js';
import { diffText, ignoredBy, manifestDiff, ravel } from './diff.js';
import { type FieldBinding, ignoreFieldsFor } from './ignore-fields.js';
import { gunzipOrSame, messageManifests } from './message.js';

const DEFAULT_DOMAIN = 'cosign.sigstore.dev';
const PEM_KEY = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

interface AttestorEntry {
  readonly keys?: { readonly publicKeys?: string; readonly signatureAlgorithm?: string };
  readonly certificates?: unknown;
  readonly keyless?: unknown;
  readonly attestor?: AttestorSet;
  readonly annotations?: Readonly<Record<string, string>>;
}
interface AttestorSet {
  readonly count?: number;
  readonly entries?: readonly AttestorEntry[];
}

/** An entry that did not verify: `fail` with a reason, or an `error`. */
type EntryOutcome =
  | { readonly verified: true; readonly reason: string }
  | { readonly verified: false; readonly reason: string }
  | { readonly error: string };

class VerifyError extends Error {}

function signatureSets(annotations: Readonly<Record<string, string>>, domain: string) {
  const message = annotations[`${domain}/message`];
  if (message === undefined) return [];
  const sets: { message: string; signature: string }[] = [];
  for (let i = 0; ; i++) {
    const signature = annotations[i === 0 ? `${domain}/signature` : `${domain}/signature_${i}`];
    if (signature === undefined) break;
    sets.push({ message, signature });
  }
  return sets;
}

/**
 * Go's base64.StdEncoding.DecodeString, which reads the message: padding is required and `\r`/`\n`
 * are skipped; what it refuses is Go's error (`illegal base64 data at input byte N`).
 */
export function decodeStdBase64(s: string): Uint8Array | string {
  const illegal = (at: number) => `illegal base64 data at input byte ${at}`;
  const newline = (c: string | undefined) => c === '\n' || c === '\r';
  const decoded = () => Buffer.from(s.replace(/[\r\n]/g, ''), 'base64');
  let si = 0;
  for (;;) {
    for (let j = 0; j < 4; j++) {
      if (si === s.length) return j === 0 ? decoded() : illegal(si - j);
      const c = s[si++] as string;
      if (/[A-Za-z0-9+/]/.test(c)) continue;
      if (newline(c)) {
        j--;
        continue;
      }
      if (c !== '=' || j < 2) return illegal(si - 1);
      if (j === 2) {
        // a second `=` must follow
        while (si < s.length && newline(s[si])) si++;
        if (si === s.length) return illegal(s.length);
        if (s[si] !== '=') return illegal(si - 1);
        si++;
      }
      while (si < s.length && newline(s[si])) si++;
      return si < s.length ? illegal(si) : decoded();
    }
  }
}

/** The manifest of the message matching the resource (group, kind, name; then namespace). */
function findManifest(manifests: readonly Obj[], resource: Obj): Obj | undefined {
  const group = (o: Obj) => (text(o.apiVersion).includes('/') ? text(o.apiVersion).split('/')[0] : '');
  const meta = (o: Obj) => (isObj(o.metadata) ? o.metadata : {});
  const same = manifests.filter(
    (m) =>
      text(m.kind) === text(resource.kind) &&
      group(m) === group(resource) &&
      text(meta(m).name) === text(meta(resource).name),
  );
  return same.find((m) => text(meta(m).namespace) === text(meta(resource).namespace)) ?? same[0];
}

/** A leaf as Go's `%v` prints it, close enough to compare leaves of two objects. */
function leafText(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * The manifests of the message to compare the resource with (k8s-manifest-sigstore
 * FindManifestYAML): only those of the resource's kind; the one named like the resource, else
 * (ManifestSearchByValue) those sharing the most unignored field values with it, at most three. So
 * a renamed resource is still compared with a manifest, and its signature and diff decide; only a
 * message without a manifest of the kind is "not found". (Kyverno stops counting early on a
 * random key order; every key is counted here, which keeps an exactly matching manifest first.)
 */
function candidateManifests(manifests: readonly Obj[], resource: Obj, ignore: readonly string[]): Obj[] {
  const kinded = manifests.filter((m) => text(m.kind) === text(resource.kind));
  const named = findManifest(kinded, resource);
  if (named !== undefined || kinded.length === 0) return named !== undefined ? [named] : [];
  const leaves = (o: Obj) => {
    const out = new Map<string, string>();
    for (const [k, v] of ravel(o)) if (!ignoredBy(ignore, k)) out.set(k, leafText(v));
    return out;
  };
  const wanted = leaves(resource);
  const counted = kinded.map((m) => {
    const have = leaves(m);
    let count = 0;
    for (const [k, v] of wanted) if (have.get(k) === v) count++;
    return { m, count };
  });
  const best = Math.max(...counted.map((c) => c.count));
  return counted
    .filter((c) => c.count === best)
    .slice(0, 3)
    .map((c) => c.m);
}

/** k8s-manifest-sigstore VerifyResource with one public key. */
function verifyWithKey(
  resource: Obj,
  annotations: Readonly<Record<string, string>>,
  domain: string,
  ignore: readonly string[],
  key: { readonly pem: string; readonly hash: string },
): { verified: boolean; reason: string } {
  const notFound = (what: string) => ({ verified: false, reason: what });
  const encoded = annotations[`${domain}/message`];
  if (encoded === undefined) return notFound('YAML manifest not found for this resource: message not found');
  const gzipped = decodeStdBase64(encoded);
  if (typeof gzipped === 'string')
    throw new VerifyError(
      `YAML manifest not found for this resource: failed to decode base64 message in the annotation: ${gzipped}`,
    );
  const message = gunzipOrSame(gzipped);
  const candidates = candidateManifests(messageManifests(message), resource, ignore);
  if (candidates.length === 0)
    return notFound(
      'YAML manifest not found for this resource: failed to find a YAML manifest in the gzipped message',
    );
  // The first candidate that matches, else the first one's differences.
  const diffs = candidates.map((manifest) =>
    manifestDiff(manifest, resource).filter(
      (d) => !ignoredBy(ignore, d.key) && !(d.key === 'metadata.namespace' && d.before === null),
    ),
  );
  const diff = diffs.find((d) => d.length === 0) ?? diffs[0] ?? [];
  const sets = signatureSets(annotations, domain);
  if (sets.length === 0) return notFound('signature not found');
  let publicKey: ReturnType<typeof publicKeyFromPem>;
  try {
    publicKey = publicKeyFromPem(key.pem);
  } catch (e) {
    throw new VerifyError(e instanceof Error ? e.message : String(e));
  }
  const signed = sets.some((s) => verifySignature(publicKey, message, s.signature, key.hash));
  if (!signed)
    throw new VerifyError(`failed to verify signature: verification failed for ${sets.length} signature`);
  if (diff.length > 0)
    return { verified: false, reason: `failed to verify signature. diff found; ${diffText(diff)}` };
  return { verified: true, reason: 'singed by a valid signer: ' };
}

function verifyEntry(
  resource: Obj,
  entry: AttestorEntry,
  domain: string,
  ignore: readonly string[],
  path: string,
  keyPem: string | undefined,
): EntryOutcome {
  // GetAnnotations: a value that is not a string makes them all absent (no message: not found).
  const annotations = stringMapOrEmpty(isObj(resource.metadata) ? resource.metadata.annotations : undefined);
  for (const [k, v] of Object.entries(entry.annotations ?? {})) {
    if (annotations[k] !== v) return { error: `annotations mismatch: ${k}` };
  }
  if (entry.keys === undefined) {
    const sub =
      entry.certificates !== undefined ? '.certificates' : entry.keyless !== undefined ? '.keyless' : '';
    return {
      error: `${path}${sub}: verifying manifests with certificates or keyless signatures needs Sigstore services, which are not available offline`,
    };
  }
  const pem = keyPem ?? entry.keys.publicKeys ?? '';
  if (!pem.startsWith('-----BEGIN PUBLIC KEY-----'))
    return {
      error: `${path}.keys: reading the key ${pem} needs cluster or KMS access, which is not available offline`,
    };
  try {
    const r = verifyWithKey(resource, annotations, domain, ignore, {
      pem,
      hash: entry.keys.signatureAlgorithm ?? 'sha256',
    });
    return r.verified ? r : { verified: false, reason: `${path}.keys: ${r.reason}` };
  } catch (e) {
    return { error: `${path}.keys: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Kyverno verifyManifestAttestorSet. */
function verifySet(
  resource: Obj,
  set: AttestorSet,
  domain: string,
  ignore: readonly string[],
  path: string,
): { verified: boolean; reason: string } {
  // ExpandStaticKeys: a `publicKeys` with several PEM keys is one entry per key.
  const entries = (set.entries ?? []).flatMap((e) => {
    const keys = e.keys?.publicKeys?.match(PEM_KEY) ?? [];
    return keys.length > 1
      ? keys.map((k) => ({ entry: e, key: k as string | undefined }))
      : [{ entry: e, key: undefined }];
  });
  const required = set.count === undefined || set.count === 0 ? entries.length : set.count;
  let verified = 0;
  const passed: string[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  for (const [i, { entry, key }] of entries.entries()) {
    const entryPath = `${path}.entries[${i}]`;
    let outcome: EntryOutcome;
    if (entry.attestor !== undefined) {
      try {
        outcome = verifySet(resource, entry.attestor, domain, ignore, `${entryPath}.attestor`);
      } catch (e) {
        outcome = {
          error: `failed to verify signature; ${entryPath}.attestor: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
    } else outcome = verifyEntry(resource, entry, domain, ignore, entryPath, key);
    if ('error' in outcome) errors.push(outcome.error);
    else if (outcome.verified) {
      verified++;
      passed.push(outcome.reason);
    } else failed.push(outcome.reason);
    if (verified >= required)
      return {
        verified: true,
        reason: `manifest verification succeeded; verifiedCount ${verified}; requiredCount ${required}; message ${passed.join(',')}`,
      };
  }
  if (errors.length > 0) throw new VerifyError(errors.join('; '));
  return {
    verified: false,
    reason: `manifest verification failed; verifiedCount ${verified}; requiredCount ${required}; message ${failed.join(',')}`,
  };
}

function fieldBindings(v: unknown): FieldBinding[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((b) => ({
    fields: Array.isArray(b.fields) ? b.fields.filter((f): f is string => typeof f === 'string') : [],
    objects: Array.isArray(b.objects) ? b.objects.filter(isObj) : [],
  }));
}

/** Evaluates a `validate.manifests` rule on `resource` (the request's object). */
export function validateManifestsRule(rule: Rule, resource: unknown, dryRun: boolean): RuleResult {
  const spec = (rule.validate?.manifests ?? {}) as Obj;
  if (dryRun) return ruleResult(rule.name, 'Validation', 'pass', 'allowed because of DryRun request');
  if (!isObj(resource))
    return ruleResult(
      rule.name,
      'Validation',
      'error',
      'error occurred during manifest verification: no object',
    );
  const domain = text(spec.annotationDomain) || DEFAULT_DOMAIN;
  const ignore = ignoreFieldsFor(resource, domain, fieldBindings(spec.ignoreFields));
  const messages: string[] = [];
  try {
    const sets = Array.isArray(spec.attestors) ? (spec.attestors as AttestorSet[]) : [];
    for (const [i, set] of sets.entries()) {
      const r = verifySet(resource, set, domain, ignore, `.attestors[${i}]`);
      if (!r.verified) return ruleResult(rule.name, 'Validation', 'fail', r.reason);
      messages.push(r.reason);
    }
  } catch (e) {
    return ruleResult(
      rule.name,
      'Validation',
      'error',
      `error occurred during manifest verification: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return ruleResult(rule.name, 'Validation', 'pass', `verified manifest signatures; ${messages.join(',')}`);
}
