/**
 * @module ValidatingPolicy / NamespacedValidatingPolicy: compile once (CEL programs for the policy
 * and its pod-controller autogen variants, plus the CEL PolicyExceptions that name it), then
 * evaluate per request with Kyverno's pipeline (reference §1.4; pkg/cel/policies/vpol):
 * matchConstraints → exceptions → matchConditions → lazy variables → validations (first false
 * stops) → auditAnnotations. Each variant answers with at most one rule result.
 */
import type { CelProgram } from '../../cel/compile.js';
import { type CelActivation, toCel, toCelActivation } from '../../cel/values.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { RecentMemo } from '../../units/recent-memo.js';
import { errorMessage, ruleError, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import { type CelAdmissionInput, evaluateVariants } from '../cel-shared/admission-evaluation.js';
import { type AutogenFamily, autogenVariants } from '../cel-shared/autogen.js';
import {
  type CelKindShape,
  type CelPolicyCompileOptions,
  type CompiledCelPolicyCore,
  type CompiledVariantCore,
  compileCelPolicy,
  compiledOnly,
  compileVariants,
} from '../cel-shared/compile-cel-policy-core.js';
import {
  bindLazyVariables,
  type FieldCompile,
  type FieldCompiler,
  matchAllConditions,
} from '../cel-shared/compile-fields.js';
import type {
  MatchConstraints,
  ValidatingPolicy,
  ValidatingPolicySpec,
  ValidationAction,
} from '../cel-shared/types.js';
import { exceptionResult } from '../policy-exception/cel-exception.js';
import { matchCelExceptions } from '../policy-exception/cel-exception-match.js';

export type { CelAdmissionInput } from '../cel-shared/admission-evaluation.js';
export { buildAdmissionRequest } from '../cel-shared/admission-evaluation.js';

export type { CelCompile } from '../cel-shared/compile-fields.js';

export type CompileValidatingPolicyOptions = CelPolicyCompileOptions;

interface CompiledValidation {
  readonly program: CelProgram;
  readonly message?: string;
  readonly messageExpression?: CelProgram;
}

/** The policy itself, or one of its autogen variants: a complete, independently evaluated spec. */
export interface CompiledVariant extends CompiledVariantCore {
  readonly validations: readonly CompiledValidation[];
  readonly auditAnnotations: readonly { readonly key: string; readonly program: CelProgram }[];
}

export interface CompiledValidatingPolicy extends CompiledCelPolicyCore<ValidatingPolicy> {
  readonly mode: 'Kubernetes' | 'JSON' | 'HTTP' | 'Envoy';
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** `spec.validationActions`, defaulting to `[Deny]`. */
  readonly actions: readonly ValidationAction[];
  readonly variants: readonly CompiledVariant[];
}

/** What one variant of the policy answered; `rules` is empty when it did not match. */
export interface VariantResponse {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
  readonly rules: readonly RuleResult[];
}

/** CEL variables declared for ValidatingPolicy expressions. */
export const VALIDATING_POLICY_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'namespaceObject',
  'variables',
  'exceptions',
] as const;

const SHAPE: CelKindShape = {
  celKind: 'validating',
  variables: VALIDATING_POLICY_VARIABLES,
  namespacedKind: 'NamespacedValidatingPolicy',
};

/** kyverno-authz's modes: the request is `object`; there is no admission request. */
const AUTHZ_VARIABLES = ['object', 'variables'] as const;
const AUTHZ_SHAPES: Readonly<Record<'HTTP' | 'Envoy', CelKindShape>> = {
  HTTP: { celKind: 'authz-http', variables: AUTHZ_VARIABLES, namespacedKind: 'NamespacedValidatingPolicy' },
  Envoy: { celKind: 'authz-envoy', variables: AUTHZ_VARIABLES, namespacedKind: 'NamespacedValidatingPolicy' },
};

function compileValidations(c: FieldCompiler, spec: ValidatingPolicySpec, compile: FieldCompile) {
  const validations = (spec.validations ?? []).map((v, i) => {
    const program = compile(c, v?.expression, ['spec', 'validations', i, 'expression']);
    const messageExpression =
      v?.messageExpression === undefined || v.messageExpression === ''
        ? undefined
        : compile(c, v.messageExpression, ['spec', 'validations', i, 'messageExpression']);
    if (program === undefined) return undefined;
    const out: CompiledValidation = {
      program,
      ...(typeof v.message === 'string' ? { message: v.message } : {}),
      ...(messageExpression !== undefined ? { messageExpression } : {}),
    };
    return out;
  });
  const auditAnnotations = (spec.auditAnnotations ?? []).map((a, i) => {
    const program = compile(c, a?.valueExpression, ['spec', 'auditAnnotations', i, 'valueExpression']);
    return program === undefined ? undefined : { key: String(a?.key ?? ''), program };
  });
  return { validations: compiledOnly(validations), auditAnnotations: compiledOnly(auditAnnotations) };
}

/**
 * Compiles a ValidatingPolicy (and its autogen variants) with the exceptions that refer to it.
 * Never throws: CEL compile errors come back as `cel/compile-error` diagnostics naming the policy,
 * the field path (e.g. `spec.validations[0].expression`) and the line in the expression.
 */
export function compileValidatingPolicy(
  policy: ValidatingPolicy,
  options: CompileValidatingPolicyOptions,
): Result<CompiledValidatingPolicy> {
  const mode = policy.spec?.evaluation?.mode;
  const shape = mode === 'HTTP' || mode === 'Envoy' ? AUTHZ_SHAPES[mode] : SHAPE;
  return compileCelPolicy(policy, shape, options, (c, spec) => ({
    mode: spec.evaluation?.mode ?? 'Kubernetes',
    failurePolicy: spec.failurePolicy === 'Ignore' ? ('Ignore' as const) : ('Fail' as const),
    actions:
      spec.validationActions !== undefined && spec.validationActions.length > 0
        ? [...spec.validationActions]
        : (['Deny'] as ValidationAction[]),
    variants: compileVariants(c, spec, autogenVariants, compileValidations),
  }));
}

// ---- evaluation ---------------------------------------------------------------------------------

class MatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchError';
  }
}

/** A failed validation's properties (built only when one fails or errs). */
function indexProperties(index: number): Record<string, string> {
  return { 'cel.validationIndex': String(index) };
}

/** The audit annotations of a variant that has none: shared, never written to. */
const NO_ANNOTATIONS: Record<string, string> = Object.freeze({});

function auditAnnotationValues(
  variant: CompiledVariant,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): Record<string, string> {
  if (variant.auditAnnotations.length === 0) return NO_ANNOTATIONS;
  const out: Record<string, string> = {};
  for (const { key, program } of variant.auditAnnotations) {
    let value: unknown;
    try {
      value = program.evaluate(activation, runtime);
    } catch (e) {
      throw new MatchError(`failed to evaluate auditAnnotation '${key}': ${errorMessage(e)}`);
    }
    if (value === null) continue;
    if (typeof value !== 'string') {
      throw new MatchError(`failed to convert auditAnnotation '${key}' expression: not a string`);
    }
    if (value !== '') out[key] = value;
  }
  return out;
}

function withProperties(r: RuleResult, properties: Record<string, string>): RuleResult {
  // Object.assign, not a spread with an added field: V8 builds that in the old space (per policy).
  return properties !== NO_ANNOTATIONS && Object.keys(properties).length > 0
    ? Object.assign({}, r, { properties })
    : r;
}

interface EvaluationData {
  readonly object: unknown;
  readonly oldObject: unknown;
  readonly request: unknown;
  readonly namespaceObject: unknown;
}

// Per request, the data every variant of every policy is evaluated on (see admissionData), as CEL.
// The last few requests only (see RecentMemo: a WeakMap would keep every request's conversion).
const baseActivations = new RecentMemo<EvaluationData, CelActivation>(4);

function baseActivation(data: EvaluationData, conversions: WeakMap<object, unknown> | undefined) {
  if (conversions === undefined) return withSharedResults(toCelActivation({ ...data }));
  let base = baseActivations.get(data);
  if (base === undefined) {
    base = withSharedResults(toCelActivation({ ...data }, conversions));
    baseActivations.set(data, base);
  }
  return base;
}

/** Every policy evaluated on this data shares the results of expressions that read only it. */
function withSharedResults(base: CelActivation): CelActivation {
  return { celActivation: true, values: base.values, shared: new Map() };
}

/**
 * The activation of one variant: the request's values, its `exceptions`, and `variables` (bound
 * later). A literal of one shape, not a copy of the base: that is a null-prototype dictionary, which
 * Object.assign and spreads copy by V8's slow path. Only the declared names are ever read from it,
 * so its prototype is never consulted.
 */
function variantValues(
  base: Readonly<Record<string, unknown>>,
  exceptions: unknown,
): Record<string, unknown> {
  return {
    object: base.object,
    oldObject: base.oldObject,
    request: base.request,
    namespaceObject: base.namespaceObject,
    exceptions,
    variables: undefined,
  };
}

/** CEL `exceptions` of a policy no exception names (read only: expressions build new values). */
const NO_EXCEPTIONS = toCel({ allowedImages: [], allowedValues: [] });

/** Exceptions, matchConditions, variables, validations: Kyverno's evaluateWithData. */
function evaluateVariant(
  compiled: CompiledValidatingPolicy,
  variant: CompiledVariant,
  data: EvaluationData,
  runtime: EvaluationRuntime,
  conversions?: WeakMap<object, unknown>,
): RuleResult {
  // Converted to CEL values once; every expression of the variant shares this activation.
  const base = baseActivation(data, conversions);
  try {
    let exceptions = NO_EXCEPTIONS;
    if (compiled.exceptions.length > 0) {
      const { matched, allowedImages, allowedValues, exempt } = matchCelExceptions(
        compiled.exceptions,
        base,
        runtime,
        compiled.failurePolicy,
      );
      // Kyverno names the exempted result's rule `exception` (vpol/engine/engine.go).
      if (exempt) return exceptionResult(matched, 'exception');
      exceptions = toCel({ allowedImages, allowedValues });
    }
    const values = variantValues(base.values, exceptions);
    const activation: CelActivation = { celActivation: true, values, shared: base.shared };
    if (!matchAllConditions(variant.matchConditions, activation, runtime, compiled.failurePolicy)) {
      return ruleResult('', 'Validation', 'skip', 'skip');
    }
    // Variables are evaluated on first use, in the order they are referenced (Kyverno's lazy map).
    bindLazyVariables(values, variant.variables, activation, runtime);
    const validations = variant.validations;
    for (let index = 0; index < validations.length; index++) {
      const v = validations[index]!;
      let out: unknown;
      try {
        out = v.program.evaluate(activation, runtime);
      } catch (e) {
        return withProperties(ruleError('', 'Validation', 'error', e), indexProperties(index));
      }
      if (typeof out !== 'boolean') {
        return withProperties(
          ruleError(
            '',
            'Validation',
            'error',
            `expected a bool result, got ${out === null ? 'null' : typeof out}`,
          ),
          indexProperties(index),
        );
      }
      if (out) continue;
      let message = v.message ?? '';
      if (v.messageExpression !== undefined) {
        try {
          const m = v.messageExpression.evaluate(activation, runtime);
          message =
            typeof m === 'string'
              ? m
              : `failed to convert message expression to string: got ${m === null ? 'null' : typeof m}`;
        } catch (e) {
          message = `failed to evaluate message expression: ${errorMessage(e)}`;
        }
      }
      if (message === '') message = `CEL expression validation failed at index ${index}`;
      const annotations = auditAnnotationValues(variant, activation, runtime);
      const props = { ...annotations };
      if (props['cel.validationIndex'] === undefined) props['cel.validationIndex'] = String(index);
      return withProperties(ruleResult('', 'Validation', 'fail', message), props);
    }
    return withProperties(
      ruleResult('', 'Validation', 'pass', 'success'),
      auditAnnotationValues(variant, activation, runtime),
    );
  } catch (e) {
    // Exception/matchCondition/auditAnnotation failures: Kyverno reports them as a context error of
    // a rule named `evaluation` (vpol engine handlePolicy).
    return ruleError('evaluation', 'Validation', 'failed to load context', e);
  }
}

/**
 * Evaluates a Kubernetes-mode policy against one admission request, with the ports of `runtime`:
 * one response per variant (the policy, then its autogen variants). Never throws.
 */
export function evaluateValidatingPolicy(
  compiled: CompiledValidatingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
): VariantResponse[] {
  return evaluateVariants(compiled, input, '', evaluateOne, { compiled, runtime, input });
}

/** `evaluateVariants`' step for one matched variant (a function of its own: no closure per call). */
function evaluateOne(
  variant: CompiledVariant,
  data: EvaluationData,
  arg: { compiled: CompiledValidatingPolicy; runtime: EvaluationRuntime; input: CelAdmissionInput },
): { readonly rules: readonly RuleResult[] } {
  return { rules: [evaluateVariant(arg.compiled, variant, data, arg.runtime, arg.input.conversions)] };
}

/** Evaluates a JSON-mode policy: `object` is the payload, nothing is matched. Never throws. */
export function evaluateValidatingPolicyJson(
  compiled: CompiledValidatingPolicy,
  payload: unknown,
  runtime: EvaluationRuntime,
): VariantResponse[] {
  const main = compiled.variants.find((v) => v.autogen === undefined);
  if (main === undefined) return [];
  const data: EvaluationData = { object: payload, oldObject: null, request: null, namespaceObject: null };
  return [{ rules: [evaluateVariant(compiled, main, data, runtime)] }];
}
