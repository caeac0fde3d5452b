/**
 * @module ImageValidatingPolicy / NamespacedImageValidatingPolicy, offline parts (reference §6.2;
 * Kyverno pkg/cel/policies/ivpol): matchConstraints → CEL PolicyExceptions → matchConditions →
 * image extraction (`images[]` CEL extractors, else the Pod's containers, initContainers and
 * ephemeralContainers, also inside pod controllers' templates) → `matchImageReferences` filter (glob
 * or CEL over `ref`; nothing left → no result) → lazy variables → validations in order (first false
 * fails). Signature/attestation checks need a registry: the offline CEL functions report that as an
 * evaluation error. One ImageVerify rule named after the policy: pass "success", fail, skip, error.
 */
import type { CelProgram } from '../cel/compile.js';
import { type CelActivation, toCelActivation } from '../cel/values.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import type { KubeObject, ObjectMeta } from '../policy/types.js';
import type { Ports } from '../ports.js';
import { wildcardMatch } from '../units/wildcard.js';
import { errorMessage, ruleError, ruleResult } from '../verdict/rule-result.js';
import type { RuleResult } from '../verdict/types.js';
import { admissionData, type CelAdmissionInput, outsidePolicyNamespace } from './admission-evaluation.js';
import { exceptionKey, isFullExemption } from './cel-exception.js';
import {
  bindLazyVariables,
  type CompiledCelException,
  compileExceptions,
  compileExpressions,
  compileField,
  compileNamedExpressions,
  type FieldCompiler,
  fieldCompiler,
  matchAllConditions,
  type NamedProgram,
  policyScope,
} from './compile-fields.js';
import { matchConstraints } from './match-constraints.js';
import type {
  CelPolicyException,
  CelValidation,
  MatchConstraints,
  NamedExpression,
  ValidationAction,
} from './types.js';
import type { CelCompile } from './validating-policy.js';

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

interface CompiledValidation {
  readonly program: CelProgram;
  readonly message?: string;
  readonly messageExpression?: CelProgram;
}

export interface CompiledImageValidatingPolicy {
  readonly policy: ImageValidatingPolicy;
  readonly key: string;
  readonly namespace?: string;
  readonly actions: readonly ValidationAction[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
  readonly extractors: readonly NamedProgram[];
  readonly references: readonly ({ readonly glob: string } | { readonly program: CelProgram })[];
  readonly validations: readonly CompiledValidation[];
  readonly exceptions: readonly CompiledCelException[];
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

/** Compiles an ImageValidatingPolicy. Never throws. */
export function compileImageValidatingPolicy(
  policy: ImageValidatingPolicy,
  options: {
    readonly compile?: CelCompile;
    readonly exceptions?: readonly CelPolicyException[];
    readonly ports?: Ports;
  } = {},
): Result<CompiledImageValidatingPolicy> {
  const issues: Diagnostic[] = [];
  const spec = policy.spec ?? {};
  const name = policy.metadata.name;
  const c = fieldCompiler('image', IMAGE_POLICY_VARIABLES, name, issues, options);
  const refC: FieldCompiler = { ...c, variables: ['ref'] };
  const matchConditions = compileExpressions(c, spec.matchConditions, 'matchConditions');
  const variables = compileNamedExpressions(c, spec.variables, 'variables');
  const extractors = compileNamedExpressions(c, spec.images, 'images');
  const references = (spec.matchImageReferences ?? []).map((r, i) => {
    if (typeof r?.glob === 'string' && r.glob !== '') return { glob: r.glob };
    const program = compileField(refC, r?.expression, ['spec', 'matchImageReferences', i, 'expression']);
    return program === undefined ? undefined : { program };
  });
  const validations = (spec.validations ?? []).map((v, i) => {
    const program = compileField(c, v?.expression, ['spec', 'validations', i, 'expression']);
    const messageExpression =
      typeof v?.messageExpression === 'string' && v.messageExpression !== ''
        ? compileField(c, v.messageExpression, ['spec', 'validations', i, 'messageExpression'])
        : undefined;
    if (program === undefined) return undefined;
    const out: CompiledValidation = {
      program,
      ...(typeof v.message === 'string' ? { message: v.message } : {}),
      ...(messageExpression !== undefined ? { messageExpression } : {}),
    };
    return out;
  });
  const exceptions = compileExceptions(c, policy, options.exceptions);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    warnings: [],
    value: {
      policy,
      ...policyScope(policy, 'NamespacedImageValidatingPolicy'),
      actions:
        spec.validationActions !== undefined && spec.validationActions.length > 0
          ? spec.validationActions
          : ['Deny'],
      failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      matchConditions: matchConditions as CelProgram[],
      variables: variables as NamedProgram[],
      extractors: extractors as NamedProgram[],
      references: references as CompiledImageValidatingPolicy['references'][number][],
      validations: validations as CompiledValidation[],
      exceptions,
    },
  };
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

function referenceMatches(compiled: CompiledImageValidatingPolicy, image: string): boolean {
  if (compiled.references.length === 0) return true;
  return compiled.references.some((r) => {
    if ('glob' in r) return wildcardMatch(r.glob, image);
    try {
      return r.program.evaluate({ ref: image }) === true;
    } catch {
      return false;
    }
  });
}

function byName(
  list: readonly ({ name: string } & Record<string, unknown>)[] | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of list ?? []) if (typeof a?.name === 'string') out[a.name] = a;
  return out;
}

/**
 * Evaluates the policy for one request: undefined when it does not apply (not matched, match
 * conditions false, no image selected), else its single rule. Never throws.
 */
export function evaluateImageValidatingPolicy(
  compiled: CompiledImageValidatingPolicy,
  input: CelAdmissionInput,
): RuleResult | undefined {
  const name = compiled.policy.metadata.name;
  if (outsidePolicyNamespace(compiled, input)) return undefined;
  const m = matchConstraints(compiled.policy.spec.matchConstraints, input.attributes, input.namespaceObject);
  if (m.error !== undefined) return ruleError('match', 'ImageVerify', 'failed to execute matching', m.error);
  if (!m.matches) return undefined;
  const data = admissionData(input);
  const base = toCelActivation(data);
  try {
    const allowedImages: string[] = [];
    const allowedValues: string[] = [];
    const matched: CelPolicyException[] = [];
    for (const e of compiled.exceptions) {
      if (!matchAllConditions(e.conditions, base, compiled.failurePolicy)) continue;
      matched.push(e.exception);
      allowedImages.push(...(e.exception.spec.images ?? []));
      allowedValues.push(...(e.exception.spec.allowedValues ?? []));
    }
    if (matched.length > 0 && matched.every(isFullExemption)) {
      const keys = matched.map(exceptionKey);
      return {
        name: 'exception',
        type: 'ImageVerify',
        status: 'skip',
        message: `rule is skipped due to policy exception: ${keys.join(', ')}`,
        exceptions: keys,
      };
    }
    if (!matchAllConditions(compiled.matchConditions, base, compiled.failurePolicy)) return undefined;
    let images: Record<string, string[]>;
    if (compiled.extractors.length > 0) {
      images = {};
      for (const { name: key, program } of compiled.extractors) {
        const v = program.evaluate(base);
        images[key] = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      }
    } else {
      images = defaultImages(data.object);
    }
    for (const key of Object.keys(images))
      images[key] = images[key]!.filter((i) => referenceMatches(compiled, i));
    if (Object.values(images).every((l) => l.length === 0)) return undefined;
    const values: Record<string, unknown> = {
      ...base.values,
      ...toCelActivation({
        images,
        attestors: byName(compiled.policy.spec.attestors),
        attestations: byName(compiled.policy.spec.attestations),
        exceptions: { allowedImages, allowedValues },
      }).values,
    };
    const activation: CelActivation = { celActivation: true, values };
    bindLazyVariables(values, compiled.variables, activation);
    for (const [index, v] of compiled.validations.entries()) {
      const out = v.program.evaluate(activation);
      if (out === true) continue;
      if (typeof out !== 'boolean')
        throw new Error(`expected a bool result, got ${out === null ? 'null' : typeof out}`);
      let message = v.message ?? '';
      if (v.messageExpression !== undefined) {
        try {
          const mm = v.messageExpression.evaluate(activation);
          if (typeof mm === 'string') message = mm;
        } catch (e) {
          message = `failed to evaluate message expression: ${errorMessage(e)}`;
        }
      }
      return ruleResult(
        name,
        'ImageVerify',
        'fail',
        message === '' ? `CEL expression validation failed at index ${index}` : message,
      );
    }
    return ruleResult(name, 'ImageVerify', 'pass', 'success');
  } catch (e) {
    return ruleError(name, 'ImageVerify', 'failed to evaluate policy', e);
  }
}
