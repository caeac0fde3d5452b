/**
 * @module ImageValidatingPolicy / NamespacedImageValidatingPolicy, offline parts (reference §6.2;
 * Kyverno pkg/cel/policies/ivpol): matchConstraints → CEL PolicyExceptions → matchConditions →
 * image extraction (`images[]` CEL extractors, else the Pod's containers, initContainers and
 * ephemeralContainers, also inside pod controllers' templates) → `matchImageReferences` filter (glob
 * or CEL over `ref`; nothing left → no result) → lazy variables → validations in order (first false
 * fails). The verification functions check the signature material the `imageData` port supplies
 * (src/engine/image-verify); checks that need the network are evaluation errors. One ImageVerify
 * rule named after the policy: pass "success", fail, skip, error. `validationConfigurations`:
 * verifyDigest always (before the validations), required on request; `mutateImageDigests` is the
 * mutate-endpoint half.
 */
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import type { CelProgram } from '../../cel/compile.js';
import { bindImageVerifySession } from '../../cel/libs/image-verify-offline.js';
import { type CelActivation, CelLazyMap, toCelActivation } from '../../cel/values.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import {
  type DigestPatch,
  digestPatches,
  missingDigest,
  unverifiedImage,
} from '../../image-verify/digest.js';
import { newImageVerifySession } from '../../image-verify/session.js';
import type { KubeObject, ObjectMeta } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { wildcardMatch } from '../../units/wildcard.js';
import { errorMessage, ruleError, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import {
  admissionData,
  type CelAdmissionInput,
  outsidePolicyNamespace,
} from '../cel-shared/admission-evaluation.js';
import {
  type CelKindShape,
  type CelPolicyCompileOptions,
  type CompiledCelPolicyCore,
  compileCelPolicy,
  compiledOnly,
  compileNamedPrograms,
  compilePrograms,
} from '../cel-shared/compile-cel-policy-core.js';
import {
  bindLazyVariables,
  compileDeclaredVariables,
  compileField,
  type FieldCompiler,
  matchAllConditions,
  type NamedProgram,
  variableNames,
  withDeclaredVariables,
} from '../cel-shared/compile-fields.js';
import { matchConstraints } from '../cel-shared/match-constraints.js';
import type {
  CelValidation,
  MatchConstraints,
  NamedExpression,
  ValidationAction,
} from '../cel-shared/types.js';
import { exceptionKey } from '../policy-exception/cel-exception.js';
import { matchCelExceptions } from '../policy-exception/cel-exception-match.js';

export interface ImageValidatingPolicySpec {
  matchConstraints?: MatchConstraints;
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
  matchImageReferences?: { glob?: string; expression?: string }[];
  images?: NamedExpression[];
  attestors?: ({ name: string } & Record<string, unknown>)[];
  attestations?: ({ name: string } & Record<string, unknown>)[];
  validations?: CelValidation[];
  validationActions?: ValidationAction[];
  failurePolicy?: 'Fail' | 'Ignore';
  validationConfigurations?: { mutateDigest?: boolean; verifyDigest?: boolean; required?: boolean };
  [key: string]: unknown;
}

export interface ImageValidatingPolicy {
  apiVersion: string;
  kind: 'ImageValidatingPolicy' | 'NamespacedImageValidatingPolicy';
  metadata: ObjectMeta & { name: string };
  spec: ImageValidatingPolicySpec;
}

/** An attestor with its CEL-valued fields (`key.expression`, `cert.expression`, …) compiled. */
interface CompiledAttestor {
  readonly name: string;
  readonly attestor: Readonly<Record<string, unknown>>;
  readonly expressions: readonly { readonly path: readonly string[]; readonly program: CelProgram }[];
}

interface CompiledValidation {
  readonly program: CelProgram;
  readonly message?: string;
  readonly messageExpression?: CelProgram;
}

export interface CompiledImageValidatingPolicy extends CompiledCelPolicyCore<ImageValidatingPolicy> {
  readonly actions: readonly ValidationAction[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
  readonly extractors: readonly NamedProgram[];
  readonly references: readonly ({ readonly glob: string } | { readonly program: CelProgram })[];
  readonly validations: readonly CompiledValidation[];
  readonly attestors: readonly CompiledAttestor[];
}

/** CEL variables of ImageValidatingPolicy expressions. */
export const IMAGE_POLICY_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'namespaceObject',
  'variables',
  'images',
  'attestors',
  'attestations',
  'exceptions',
] as const;

const SHAPE: CelKindShape = {
  celKind: 'image',
  variables: IMAGE_POLICY_VARIABLES,
  namespacedKind: 'NamespacedImageValidatingPolicy',
};

/** Compiles an ImageValidatingPolicy. Never throws. */
export function compileImageValidatingPolicy(
  policy: ImageValidatingPolicy,
  options: CelPolicyCompileOptions = {},
): Result<CompiledImageValidatingPolicy> {
  return compileCelPolicy(policy, SHAPE, options, (c, spec) => {
    const refC: FieldCompiler = { ...c, variables: ['ref'] };
    // Kyverno compiles matchConditions and the image extractors before registering any variable.
    const none = withDeclaredVariables(c, []);
    const matchConditions = compilePrograms(none, spec.matchConditions, 'matchConditions');
    const extractors = compileNamedPrograms(none, spec.images, 'images');
    const variables = compiledOnly(compileDeclaredVariables(c, spec.variables));
    c = withDeclaredVariables(c, variableNames(spec.variables));
    const references = (spec.matchImageReferences ?? []).map((r, i) => {
      if (typeof r?.glob === 'string' && r.glob !== '') return { glob: r.glob };
      const program = compileField(refC, r?.expression, ['spec', 'matchImageReferences', i, 'expression']);
      return program === undefined ? undefined : { program };
    });
    const validations = (spec.validations ?? []).map((v, i) => compileValidation(c, v, i));
    return {
      actions:
        spec.validationActions !== undefined && spec.validationActions.length > 0
          ? spec.validationActions
          : (['Deny'] as ValidationAction[]),
      failurePolicy: spec.failurePolicy === 'Ignore' ? ('Ignore' as const) : ('Fail' as const),
      matchConditions,
      variables,
      extractors,
      references: compiledOnly(references),
      validations: compiledOnly(validations),
      attestors: (spec.attestors ?? []).map((a, i) => compileAttestor(c, a, i)),
    };
  });
}

function compileValidation(c: FieldCompiler, v: CelValidation, i: number): CompiledValidation | undefined {
  const program = compileField(c, v?.expression, ['spec', 'validations', i, 'expression']);
  const messageExpression =
    typeof v?.messageExpression === 'string' && v.messageExpression !== ''
      ? compileField(c, v.messageExpression, ['spec', 'validations', i, 'messageExpression'])
      : undefined;
  if (program === undefined) return undefined;
  return {
    program,
    ...(typeof v.message === 'string' ? { message: v.message } : {}),
    ...(messageExpression !== undefined ? { messageExpression } : {}),
  };
}

/** Where an attestor may hold a CEL expression, and the field its value replaces (Kyverno CompileAttestors). */
const ATTESTOR_EXPRESSIONS: readonly (readonly [readonly string[], string])[] = [
  [['cosign', 'key'], 'data'],
  [['cosign', 'certificate', 'cert'], 'value'],
  [['cosign', 'certificate', 'certChain'], 'value'],
  [['notary', 'certs'], 'value'],
  [['notary', 'tsaCerts'], 'value'],
];

function compileAttestor(
  c: FieldCompiler,
  attestor: { name: string } & Record<string, unknown>,
  index: number,
): CompiledAttestor {
  const expressions: { path: readonly string[]; program: CelProgram }[] = [];
  for (const [path, field] of ATTESTOR_EXPRESSIONS) {
    let holder: unknown = attestor;
    for (const p of path) holder = (holder as Record<string, unknown> | undefined)?.[p];
    const expression = (holder as { expression?: unknown } | undefined)?.expression;
    if (typeof expression !== 'string' || expression === '') continue;
    const program = compileField(c, expression, ['spec', 'attestors', index, ...path, 'expression']);
    if (program !== undefined) expressions.push({ path: [...path, field], program });
  }
  return { name: attestor?.name, attestor, expressions };
}

/** The attestor with its expressions evaluated into the fields they stand for. */
function resolveAttestor(
  a: CompiledAttestor,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): Record<string, unknown> {
  if (a.expressions.length === 0) return a.attestor;
  const out = structuredClone(a.attestor) as Record<string, unknown>;
  for (const { path, program } of a.expressions) {
    const value = program.evaluate(activation, runtime);
    if (typeof value !== 'string') throw new Error(`attestor ${a.name}: expression must return a string`);
    let holder = out;
    for (const p of path.slice(0, -1)) holder = holder[p] as Record<string, unknown>;
    holder[path[path.length - 1]!] = value;
  }
  return out;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** The Pod spec of a Pod or of a pod controller's template (CronJob: jobTemplate). */
function podSpecOf(o: KubeObject | null): Record<string, unknown> | undefined {
  const spec = o?.spec as Record<string, unknown> | undefined;
  if (spec === undefined || spec === null) return undefined;
  if (o?.kind === 'Pod') return spec;
  const jobTemplate = spec.jobTemplate as
    | { spec?: { template?: { spec?: Record<string, unknown> } } }
    | undefined;
  if (jobTemplate?.spec?.template?.spec !== undefined) return jobTemplate.spec.template.spec;
  return (spec.template as { spec?: Record<string, unknown> } | undefined)?.spec;
}

/** Default extraction: `{containers, initContainers, ephemeralContainers}` image lists. */
export function defaultImages(o: KubeObject | null): Record<string, string[]> {
  const spec = podSpecOf(o);
  const out: Record<string, string[]> = {};
  for (const list of CONTAINER_LISTS) {
    const containers = spec?.[list];
    out[list] = Array.isArray(containers)
      ? containers.flatMap((c) => (typeof c?.image === 'string' ? [c.image as string] : []))
      : [];
  }
  return out;
}

function referenceMatches(
  compiled: CompiledImageValidatingPolicy,
  image: string,
  runtime: EvaluationRuntime,
): boolean {
  if (compiled.references.length === 0) return true;
  return compiled.references.some((r) => {
    if ('glob' in r) return wildcardMatch(r.glob, image);
    try {
      return r.program.evaluate({ ref: image }, runtime) === true;
    } catch {
      return false;
    }
  });
}

/** Kyverno binds `attestations` as name → name; the functions look the definition up by name. */
function attestationNames(list: ImageValidatingPolicySpec['attestations']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list ?? []) if (typeof a?.name === 'string') out[a.name] = a.name;
  return out;
}

export interface ImageEvaluationOptions {
  /**
   * Apply `required` (default true) as Kyverno's validate endpoint does, after the validations
   * pass, against `verifications` or this policy's own. Kyverno's CLI leaves this off. (`verifyDigest`,
   * default true, is checked before the validations always: it is part of Kyverno's evaluation.)
   */
  readonly validationConfigurations?: boolean;
  /** Request-wide verification results (image → verified), shared by the request's policies. */
  readonly verifications?: Map<string, boolean>;
}

export interface ImageEvaluation {
  readonly rule: RuleResult | undefined;
  /** Images the policy selected (after matchImageReferences). */
  readonly matchedImages: readonly string[];
  /** image → whether a signature or attestation check of it succeeded during this evaluation. */
  readonly verifications: ReadonlyMap<string, boolean>;
  /** Why attestors did not verify (e.g. `key: invalid signature`), in call order. */
  readonly failures: readonly string[];
}

/** The policy's matched, non-exempted, condition-passing state for a request; undefined to skip. */
type Gate =
  | { readonly kind: 'skip' }
  | { readonly kind: 'result'; readonly rule: RuleResult }
  | {
      readonly kind: 'go';
      readonly data: ReturnType<typeof admissionData>;
      readonly base: CelActivation;
      readonly allowedImages: readonly string[];
      readonly allowedValues: readonly string[];
    };

function gate(
  compiled: CompiledImageValidatingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
): Gate {
  if (outsidePolicyNamespace(compiled, input)) return { kind: 'skip' };
  const m = matchConstraints(compiled.policy.spec.matchConstraints, input.attributes, input.namespaceObject);
  if (m.error !== undefined)
    return { kind: 'result', rule: ruleError('match', 'ImageVerify', 'failed to execute matching', m.error) };
  if (!m.matches) return { kind: 'skip' };
  const data = admissionData(input);
  const base = toCelActivation(data);
  const { matched, allowedImages, allowedValues, exempt } = matchCelExceptions(
    compiled.exceptions,
    base,
    runtime,
    compiled.failurePolicy,
  );
  if (exempt) {
    const keys = matched.map(exceptionKey);
    return {
      kind: 'result',
      rule: {
        name: 'exception',
        type: 'ImageVerify',
        status: 'skip',
        message: `rule is skipped due to policy exception: ${keys.join(', ')}`,
        exceptions: keys,
      },
    };
  }
  if (!matchAllConditions(compiled.matchConditions, base, runtime, compiled.failurePolicy))
    return { kind: 'skip' };
  return { kind: 'go', data, base, allowedImages, allowedValues };
}

/**
 * Evaluates the policy for one request: undefined when it does not apply (not matched, match
 * conditions false), else its single rule (also when it selects no image). Signatures, image data and the clock
 * come from the ports of `runtime`. Never throws.
 */
export function evaluateImageValidatingPolicy(
  compiled: CompiledImageValidatingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
  options: ImageEvaluationOptions = {},
): RuleResult | undefined {
  return evaluateImageValidatingPolicyDetailed(compiled, input, runtime, options).rule;
}

/** As `evaluateImageValidatingPolicy`, with the matched images and verification outcomes. Never throws. */
export function evaluateImageValidatingPolicyDetailed(
  compiled: CompiledImageValidatingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
  options: ImageEvaluationOptions = {},
): ImageEvaluation {
  const name = compiled.policy.metadata.name;
  const none = { matchedImages: [], verifications: new Map<string, boolean>(), failures: [] };
  let g: Gate;
  try {
    g = gate(compiled, input, runtime);
  } catch (e) {
    return { ...none, rule: ruleError(name, 'ImageVerify', 'failed to evaluate policy', e) };
  }
  if (g.kind === 'skip') return { ...none, rule: undefined };
  if (g.kind === 'result') return { ...none, rule: g.rule };
  const session = newImageVerifySession(
    compiled.policy.spec.attestations ?? [],
    (image) => referenceMatches(compiled, image, runtime),
    runtime.ports,
  );
  const matchedImages: string[] = [];
  const done = (rule: RuleResult | undefined): ImageEvaluation => ({
    rule,
    matchedImages,
    verifications: session.results,
    failures: session.failures,
  });
  try {
    let images: Record<string, string[]>;
    if (compiled.extractors.length > 0) {
      images = {};
      for (const { name: key, program } of compiled.extractors) {
        const v = program.evaluate(g.base, runtime);
        images[key] = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      }
    } else {
      images = defaultImages(g.data.object);
    }
    for (const key of Object.keys(images)) {
      images[key] = images[key]!.filter((i) => referenceMatches(compiled, i, runtime));
      matchedImages.push(...images[key]!);
    }
    // No image selected still runs the validations, on empty lists (Kyverno's evaluator has no
    // early return: a matched resource always answers).
    const config = compiled.policy.spec.validationConfigurations ?? {};
    if (config.verifyDigest !== false) {
      const missing = missingDigest(matchedImages);
      if (missing !== undefined) return done(ruleResult(name, 'ImageVerify', 'fail', missing));
    }
    const values: Record<string, unknown> = {
      ...g.base.values,
      ...toCelActivation({
        images,
        attestations: attestationNames(compiled.policy.spec.attestations),
        exceptions: { allowedImages: g.allowedImages, allowedValues: g.allowedValues },
      }).values,
    };
    bindImageVerifySession(values, session);
    const activation: CelActivation = { celActivation: true, values };
    const lazyAttestors: Record<string, () => unknown> = {};
    for (const a of compiled.attestors)
      if (typeof a.name === 'string') lazyAttestors[a.name] = () => resolveAttestor(a, activation, runtime);
    values.attestors = new CelLazyMap(lazyAttestors).celValue;
    bindLazyVariables(values, compiled.variables, activation, runtime);
    const failed = firstFailure(compiled, activation, runtime);
    if (failed !== undefined) return done(ruleResult(name, 'ImageVerify', 'fail', failed));
    if (options.validationConfigurations === true && config.required !== false) {
      const shared = options.verifications;
      if (shared !== undefined)
        for (const [k, v] of session.results) shared.set(k, (shared.get(k) ?? false) || v);
      const unverified = unverifiedImage(matchedImages, shared ?? session.results);
      if (unverified !== undefined) return done(ruleResult(name, 'ImageVerify', 'fail', unverified));
    }
    return done(ruleResult(name, 'ImageVerify', 'pass', 'success'));
  } catch (e) {
    return done(ruleError(name, 'ImageVerify', 'failed to evaluate policy', e));
  }
}

/** Runs the validations in order; the message of the first that is false, else undefined. */
function firstFailure(
  compiled: CompiledImageValidatingPolicy,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): string | undefined {
  for (const [index, v] of compiled.validations.entries()) {
    const out = v.program.evaluate(activation, runtime);
    if (out === true) continue;
    if (typeof out !== 'boolean')
      throw new Error(`expected a bool result, got ${out === null ? 'null' : typeof out}`);
    let message = v.message ?? '';
    if (v.messageExpression !== undefined) {
      try {
        const mm = v.messageExpression.evaluate(activation, runtime);
        if (typeof mm === 'string') message = mm;
      } catch (e) {
        message = `failed to evaluate message expression: ${errorMessage(e)}`;
      }
    }
    return message === '' ? `CEL expression validation failed at index ${index}` : message;
  }
  return undefined;
}

export interface DigestMutation {
  /** JSON patches replacing tags by digests (empty when nothing to pin or mutateDigest is false). */
  readonly patches: readonly DigestPatch[];
  /** The object with the patches applied (undefined when there are none). */
  readonly patched?: KubeObject;
  /** Error "failed to update digest" (rule `mutateDigest`) when some image could not be resolved. */
  readonly rule?: RuleResult;
}

/**
 * The mutate-endpoint half of an ImageValidatingPolicy (Kyverno MutateDigest): for a matched,
 * non-exempted request, pins each digest-less container image selected by matchImageReferences to
 * the digest the `imageData` port resolves. Performs no verification. Never throws.
 */
export function mutateImageDigests(
  compiled: CompiledImageValidatingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
): DigestMutation {
  if (compiled.policy.spec.validationConfigurations?.mutateDigest === false) return { patches: [] };
  let g: Gate;
  try {
    g = gate(compiled, input, runtime);
  } catch (e) {
    return { patches: [], rule: ruleError('mutateDigest', 'ImageVerify', 'failed to update digest', e) };
  }
  // An exception (even a partial one) spares the resource from mutation, as in Kyverno.
  if (g.kind !== 'go' || g.allowedImages.length + g.allowedValues.length > 0) return { patches: [] };
  const object = g.data.object;
  if (object === null) return { patches: [] };
  const { patches, errors } = digestPatches(
    object,
    (i) => referenceMatches(compiled, i, runtime),
    runtime.ports,
  );
  const rule =
    errors.length > 0
      ? ruleResult('mutateDigest', 'ImageVerify', 'error', `failed to update digest: ${errors.join('; ')}`)
      : undefined;
  if (patches.length === 0) return { patches, ...(rule !== undefined ? { rule } : {}) };
  const patched = fastJsonPatch.applyPatch(structuredClone(object), patches as Operation[], false, false)
    .newDocument as KubeObject;
  return { patches, patched, ...(rule !== undefined ? { rule } : {}) };
}
