/**
 * @module The image-verification half of a verifyImages rule (Kyverno mutate_image.go +
 * internal/imageverifier.go Verify), run after the policy's mutate rules: for each entry and each
 * matching image, signatures (attestors) and attestations are verified, images matched by
 * `skipImageReferences` are skipped, the outcome is recorded in the verification metadata (written
 * to the resource as annotations by the caller), and `mutateDigest` pins a tag to the digest that
 * verification (or the registry port) resolved. One result per image checked; an entry with neither
 * attestors nor attestations gives none (its `verifyDigest`/`required` checks run in the validating
 * phase, image-checks-rule.ts). Failures that need a registry offline are rule errors, as Kyverno
 * reports registry errors; a failed check is a rule failure.
 */
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { evaluateConditions } from '../../../conditions/evaluate.js';
import type { JsonContext } from '../../../context/json-context.js';
import type { KubeObject } from '../../../model/kube-object.js';
import type { ImageDataReader, Ports } from '../../../ports.js';
import type { EvaluationRequest } from '../../../request.js';
import type { ImageInfo } from '../../../units/image-reference.js';
import { substituteVariables } from '../../../variables/substitute.js';
import { errorMessage, ruleError, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult, RuleStatus } from '../../../verdict/types.js';
import type { Rule } from '../types.js';
import { type EntryFailure, fetchAttestation, imageMaterial, verifyAttestorSets } from './attestors.js';
import {
  type ImageVerification,
  imageVerificationsOf,
  type LegacyAttestation,
  normalizeImageVerification,
} from './image-verification.js';
import {
  type ImageVerificationMetadata,
  type ImageVerificationStatus,
  scopedVerificationStatus,
} from './metadata.js';
import { imageMatches, type RuleImage } from './rule-images.js';

export interface VerifyImagesEnv {
  readonly rule: Rule;
  readonly ctx: JsonContext;
  readonly request: EvaluationRequest;
  readonly resource: KubeObject;
  readonly policyName: string;
  readonly policyNamespace?: string;
  /** The policy's verification metadata for this request (shared by its rules). */
  readonly metadata: ImageVerificationMetadata;
}

export interface VerifyImagesOutcome {
  readonly resource: KubeObject;
  readonly results: readonly RuleResult[];
}

/** The ports verification reads signatures and digests through. */
function registryPorts(request: EvaluationRequest): Ports {
  const reader: ImageDataReader | undefined = request.imageRegistry ?? request.ports.imageData;
  return reader === undefined ? request.ports : { ...request.ports, imageData: reader };
}

/**
 * Kyverno substituteVariables (mutate_image.go): variables everywhere in the entries but the
 * attestation conditions and `validate.deny`, which are evaluated per image later. Throws.
 */
function substitutedEntries(rule: Rule, ctx: JsonContext): ImageVerification[] {
  const out: ImageVerification[] = [];
  for (const raw of rule.verifyImages ?? []) {
    if (raw === null || typeof raw !== 'object' || Object.keys(raw).length === 0) continue;
    const attestations = (raw.attestations as LegacyAttestation[] | undefined) ?? [];
    const validate = raw.validate as { deny?: unknown } | undefined;
    const stripped: Record<string, unknown> = { ...raw };
    if (raw.attestations !== undefined)
      stripped.attestations = attestations.map(({ conditions: _, ...a }) => a);
    if (validate?.deny !== undefined) {
      const { deny: _, ...rest } = validate;
      stripped.validate = rest;
    }
    const restored = { ...(substituteVariables(stripped, ctx) as Record<string, unknown>) };
    if (raw.attestations !== undefined)
      restored.attestations = (restored.attestations as LegacyAttestation[]).map((a, j) => {
        const conditions = attestations[j]?.conditions;
        return conditions !== undefined ? { ...a, conditions } : a;
      });
    if (validate?.deny !== undefined)
      restored.validate = { ...(restored.validate as object), deny: validate.deny };
    out.push(normalizeImageVerification(restored));
  }
  return out;
}

function imageContext(info: ImageInfo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(info)) if (typeof v === 'string' && v !== '') out[k] = v;
  out.name = info.name;
  out.path = info.path;
  return out;
}

/** The image info once its digest is known (Kyverno ImageInfo.String() then reads `<repo>@<digest>`). */
function withDigest(info: ImageInfo, digest: string): ImageInfo {
  const base = info.registry === '' ? info.path : `${info.registry}/${info.path}`;
  return { ...info, digest, reference: `${base}@${digest}` };
}

function toStatus(status: RuleStatus): ImageVerificationStatus {
  if (status === 'pass') return 'pass';
  if (status === 'skip' || status === 'warn') return 'skip';
  return 'fail';
}

interface ImageOutcome {
  readonly result: RuleResult | undefined;
  /** The digest verification resolved ('' when none). */
  readonly digest: string;
}

/** Kyverno handleRegistryErrors: a registry (network) failure is an error, anything else a failure. */
function attestorFailure(name: string, image: string, failures: readonly EntryFailure[]): RuleResult {
  const combined = failures.map((f) => f.message).join('; ');
  if (failures.some((f) => f.network))
    return ruleResult(name, 'ImageVerify', 'error', `failed to verify image ${image}: ${combined}`);
  return ruleResult(name, 'ImageVerify', 'fail', `failed to verify image ${image}: ${combined}`);
}

/** Kyverno verifyImage: one image against one entry. */
function verifyImage(
  env: VerifyImagesEnv,
  iv: ImageVerification,
  image: RuleImage,
  ports: Ports,
): ImageOutcome {
  const name = env.rule.name;
  if (iv.attestors.length === 0 && iv.attestations.length === 0) return { result: undefined, digest: '' };
  const ref = image.info.reference;
  env.ctx.set('image', imageContext(image.info));
  const skipping = `skipping image reference image ${ref}, policy ${env.policyName} ruleName ${name}`;
  if (!imageMatches(ref, iv.imageReferences))
    return { result: ruleResult(name, 'ImageVerify', 'skip', skipping), digest: '' };
  if (imageMatches(ref, iv.skipImageReferences)) {
    env.metadata.add(ref, 'skip');
    return { result: ruleResult(name, 'ImageVerify', 'skip', skipping), digest: '' };
  }
  if (iv.type !== 'Cosign') {
    // Notary signatures and Sigstore bundles are fetched as OCI referrers: not available offline.
    const why = `${iv.type} verification needs registry access and is not supported offline`;
    return {
      result: ruleResult(name, 'ImageVerify', 'error', `failed to verify image ${ref}: ${why}`),
      digest: '',
    };
  }
  let info = image.info;
  let digest = '';
  if (iv.attestors.length > 0) {
    const outcome = verifyAttestorSets(iv, info, ports);
    if (!outcome.ok) return { result: attestorFailure(name, ref, outcome.failures), digest: '' };
    digest = outcome.digest;
    if (iv.attestations.length === 0)
      return {
        result: ruleResult(name, 'ImageVerify', 'pass', `verified image signatures for ${ref}`),
        digest,
      };
    if (info.digest === '') info = withDigest(info, digest);
  }
  return verifyAttestations(env, iv, info, ports);
}

/** Kyverno verifyAttestations: every attestation needs `count` verified, condition-passing attestors. */
function verifyAttestations(
  env: VerifyImagesEnv,
  iv: ImageVerification,
  info: ImageInfo,
  ports: Ports,
): ImageOutcome {
  const name = env.rule.name;
  let current = info;
  const material = imageMaterial(ports, info);
  const now = ports.clock?.now();
  for (const [i, attestation] of iv.attestations.entries()) {
    const path = `.attestations[${i}]`;
    const type =
      attestation.type !== undefined && attestation.type !== ''
        ? attestation.type
        : attestation.predicateType;
    if (type === undefined || type === '')
      return { result: ruleResult(name, 'ImageVerify', 'fail', `${path}: missing type`), digest: '' };
    const sets =
      attestation.attestors !== undefined && attestation.attestors.length > 0
        ? attestation.attestors
        : [{ entries: [{}] }];
    for (const [j, set] of sets.entries()) {
      const attestorPath = `${path}.attestors[${j}]`;
      const entries = set.entries ?? [];
      const required = set.count === undefined || set.count === 0 ? entries.length : set.count;
      let verified = 0;
      const errors: string[] = [];
      for (const entry of entries) {
        // Kyverno names the entry after the attestation's index, not the entry's.
        const entryPath = `${attestorPath}.entries[${i}]`;
        const fetched = fetchAttestation(entry, entryPath, type, current, material, now);
        if (!fetched.verified) {
          errors.push(fetched.failure.message);
          continue;
        }
        if (attestation.name !== undefined && attestation.name !== '' && fetched.predicates.length > 0)
          env.ctx.set(attestation.name, fetched.predicates[0]);
        if (current.digest === '' && material.ok) current = withDigest(current, material.digest);
        const failed = checkConditions(
          env.ctx,
          attestation,
          fetched.predicates,
          current.reference,
          type,
          env.request,
        );
        if (failed === undefined) {
          if (++verified >= required) break;
        } else errors.push(`${entryPath}: ${failed}`);
      }
      if (verified < required) {
        const reason = errors.length > 0 ? errors.join('; ') : 'attestations verification failed';
        const msg = `image attestations verification failed, verifiedCount: ${verified}, requiredCount: ${required}, error: ${reason}`;
        return { result: ruleResult(name, 'ImageVerify', 'fail', msg), digest: '' };
      }
    }
  }
  const entries = imageVerificationsOf(env.rule);
  if (entries.some((e) => e.validate !== undefined && Object.keys(e.validate).length > 0)) {
    for (const e of entries) {
      const failed = validateEntry(env, e);
      if (failed !== undefined)
        return {
          result: ruleResult(name, 'ImageVerify', 'fail', `validation in verifyImages failed: ${failed}`),
          digest: current.digest,
        };
    }
    return {
      result: ruleResult(name, 'ImageVerify', 'pass', `verifyImages validation is passed in ${name} rule`),
      digest: current.digest,
    };
  }
  return {
    result: ruleResult(name, 'ImageVerify', 'pass', `verified image attestations for ${current.reference}`),
    digest: current.digest,
  };
}

/** Kyverno verifyAttestation + checkAttestations: each statement's predicate meets the conditions. */
function checkConditions(
  ctx: JsonContext,
  attestation: LegacyAttestation,
  predicates: readonly unknown[],
  image: string,
  type: string,
  request: EvaluationRequest,
): string | undefined {
  if (predicates.length === 0) return `attestions not found for predicate type ${type}`;
  const conditions = attestation.conditions ?? [];
  if (conditions.length === 0) return undefined;
  for (const predicate of predicates) {
    if (predicate === null || typeof predicate !== 'object' || Array.isArray(predicate))
      return `failed to check attestations: failed to extract predicate from statement`;
    ctx.checkpoint();
    try {
      for (const [k, v] of Object.entries(predicate)) ctx.set(k, v);
      for (const c of conditions) {
        const r = evaluateConditions(c, ctx, { operation: request.operation });
        if (!r.met) return `attestation checks failed for ${image} and predicate ${type}: ${r.message}`;
      }
    } catch (e) {
      return `failed to check attestations: ${errorMessage(e)}`;
    } finally {
      ctx.reset();
    }
  }
  return undefined;
}

/** Kyverno validateDeny: the entry's `validate.deny` conditions; the message when they deny. */
function validateEntry(env: VerifyImagesEnv, iv: ImageVerification): string | undefined {
  const deny = iv.validate?.deny;
  if (deny === undefined) return undefined;
  let result: ReturnType<typeof evaluateConditions>;
  try {
    result = evaluateConditions(deny.conditions, env.ctx, { operation: env.request.operation });
  } catch (e) {
    return `failed to check deny conditions: ${errorMessage(e)}`;
  }
  if (!result.met) return undefined;
  const message = iv.validate?.message ?? '';
  if (message === '' && result.message === '') return 'validation error: imageVerify  failed';
  const text = [message, result.message].filter((s) => s !== '').join('; ');
  try {
    const out = substituteVariables(text, env.ctx, { purpose: 'message' });
    return typeof out === 'string'
      ? out
      : "the produced message didn't resolve to a string, check your policy definition.";
  } catch {
    return result.message;
  }
}

/** The value at a JSON pointer of `object`. */
function at(object: unknown, pointer: string): unknown {
  let cur = object;
  for (const seg of pointer.split('/').slice(1)) {
    const key = seg.replaceAll('~1', '/').replaceAll('~0', '~');
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

/** Kyverno isPreviouslyVerified: an UPDATE that keeps an image the old object's annotation says passed. */
function previouslyVerified(env: VerifyImagesEnv, image: RuleImage): boolean {
  const old = env.request.oldResource;
  if (old === undefined || Object.keys(old).length === 0) return false;
  if (at(old, image.pointer) !== at(env.resource, image.pointer)) return false;
  try {
    const status = scopedVerificationStatus(
      old,
      env.policyNamespace ?? '',
      env.policyName,
      env.rule.name,
      image.info.reference,
    );
    return status === 'pass' || status === 'skip';
  } catch {
    return false;
  }
}

/** The digest for mutateDigest: the verified one, else the registry port's (Kyverno FetchImageDescriptor). */
function digestFor(ports: Ports, info: ImageInfo, verified: string): { digest: string } | { error: string } {
  if (verified !== '') return { digest: verified };
  const reader = ports.imageData;
  const image = info.reference;
  if (reader === undefined) return { error: `resolving the digest of ${image} needs registry access` };
  const v = reader.verification?.(image);
  if (v?.ok === true && v.data.digest !== undefined && v.data.digest !== '') return { digest: v.data.digest };
  const meta = reader.get(image);
  const fromMeta = meta.ok ? (meta.data as { digest?: unknown } | null)?.digest : undefined;
  if (typeof fromMeta === 'string' && fromMeta !== '') return { digest: fromMeta };
  return { error: meta.ok ? `no digest known for ${image}` : meta.error };
}

/**
 * Runs the rule's verification for the matching `images` (never empty: a rule without matching
 * images is not run; exceptions were handled before). Never throws for bad input: problems are rule errors.
 */
export function verifyImagesRule(env: VerifyImagesEnv, images: readonly RuleImage[]): VerifyImagesOutcome {
  const { rule } = env;
  let entries: ImageVerification[];
  try {
    entries = substitutedEntries(rule, env.ctx);
  } catch (e) {
    return {
      resource: env.resource,
      results: [ruleError(rule.name, 'ImageVerify', 'failed to substitute variables', e)],
    };
  }
  const ports = registryPorts(env.request);
  const results: RuleResult[] = [];
  const patches: Operation[] = [];
  for (const iv of entries) {
    for (const image of images) {
      const ref = image.info.reference;
      if (previouslyVerified(env, image)) {
        recordScoped(env, ref, 'pass');
        continue;
      }
      const { result, digest } = verifyImage(env, iv, image, ports);
      let recorded = ref;
      let extra: RuleResult | undefined;
      if (iv.mutateDigest && image.info.digest === '') {
        const resolved = digestFor(ports, image.info, digest);
        if ('error' in resolved)
          extra = ruleError(rule.name, 'ImageVerify', 'failed to update digest', new Error(resolved.error));
        else {
          patches.push({ op: 'replace', path: image.pointer, value: `${ref}@${resolved.digest}` });
          recorded = withDigest(image.info, resolved.digest).reference;
          if (result === undefined)
            results.push(ruleResult(rule.name, 'ImageVerify', 'pass', 'mutated image digest'));
        }
      }
      if (extra !== undefined) results.push(extra);
      if (result !== undefined) {
        if (iv.attestors.length > 0 || iv.attestations.length > 0)
          recordScoped(env, recorded, toStatus(result.status));
        results.push(result);
      }
    }
  }
  if (patches.length === 0) return { resource: env.resource, results };
  try {
    const patched = fastJsonPatch.applyPatch(structuredClone(env.resource), patches, false, false)
      .newDocument as KubeObject;
    return { resource: patched, results };
  } catch (e) {
    return {
      resource: env.resource,
      results: [ruleError(rule.name, 'ImageVerify', 'failed to apply patch', e)],
    };
  }
}

function recordScoped(env: VerifyImagesEnv, image: string, status: ImageVerificationStatus): void {
  env.metadata.add(image, status);
  env.metadata.addScoped(env.policyNamespace ?? '', env.policyName, env.rule.name, image, status);
}
