/**
 * @module Kubernetes ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding, evaluated the way
 * Kyverno's CLI does offline (reference §1.1, §8.6; pkg/admissionpolicy/validate.go
 * `processVAPNoBindings` / `processVAPWithoutClient`) with Kubernetes' validator inside:
 * - no binding names the policy: the policy's matchConstraints select the request;
 * - otherwise every binding whose matchResources (if any) select the request is evaluated in order,
 *   with the params it selects (see `selectParams`); the policy's own matchConstraints are not
 *   consulted, and the response is the LAST evaluated binding's (Kyverno overwrites it per binding);
 * - one evaluation: matchConditions (false → skip "match conditions aren't met"; an error fails the
 *   rule, or skips with failurePolicy Ignore), lazy variables, then every validation in order: the
 *   first error gives `error`, the first false (or non-bool) `fail` with its message (or
 *   messageExpression), else `pass`. `validationActions` do not change the result (Kyverno reports
 *   `fail` for Warn/Audit bindings too); they are returned for the caller.
 * CEL sees only the Kubernetes libraries and no `authorizer` (Kyverno declares none for VAPs);
 * expressions that do not compile fail when evaluated, as in Kubernetes.
 */
import type { CelProgram } from '../../cel/compile.js';
import { type CelActivation, CelLazyMap, toCelActivation } from '../../cel/values.js';
import type { Diagnostic, FieldPath, Result } from '../../diagnostics/diagnostic.js';
import type { KubeObject, ObjectMeta } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import { admissionData, type CelAdmissionInput } from '../cel-shared/admission-evaluation.js';
import { compileField, fieldCompiler } from '../cel-shared/compile-fields.js';
import { matchConstraints } from '../cel-shared/match-constraints.js';
import type {
  AuditAnnotation,
  CelValidation,
  MatchConstraints,
  NamedExpression,
  ValidationAction,
} from '../cel-shared/types.js';
import type { CelCompile } from '../validating-policy/validating-policy.js';
import {
  applicableBindings,
  type ParamKind,
  type ParamRef,
  requestNamespaceObject,
  selectParams,
} from './admission-binding.js';

export type { ParamKind, ParamRef } from './admission-binding.js';

export interface ValidatingAdmissionPolicySpec {
  paramKind?: ParamKind;
  matchConstraints?: MatchConstraints;
  validations?: CelValidation[];
  failurePolicy?: 'Fail' | 'Ignore';
  auditAnnotations?: AuditAnnotation[];
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
}

export interface ValidatingAdmissionPolicy {
  apiVersion: string;
  kind: 'ValidatingAdmissionPolicy';
  metadata: ObjectMeta & { name: string };
  spec: ValidatingAdmissionPolicySpec;
}

export interface ValidatingAdmissionPolicyBinding {
  apiVersion: string;
  kind: 'ValidatingAdmissionPolicyBinding';
  metadata: ObjectMeta & { name: string };
  spec: {
    policyName: string;
    paramRef?: ParamRef;
    matchResources?: MatchConstraints;
    validationActions?: ValidationAction[];
  };
}

/** A compiled expression, or why it did not compile (reported when it is evaluated). */
export type AdmissionExpression =
  | { readonly expression: string; readonly program: CelProgram }
  | { readonly expression: string; readonly compileError: string };

interface CompiledValidation {
  readonly compiled: AdmissionExpression;
  readonly message?: string;
  readonly messageExpression?: AdmissionExpression;
}

export interface CompiledValidatingAdmissionPolicy {
  readonly policy: ValidatingAdmissionPolicy;
  readonly bindings: readonly ValidatingAdmissionPolicyBinding[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchConditions: readonly AdmissionExpression[];
  readonly variables: readonly { readonly name: string; readonly compiled: AdmissionExpression }[];
  readonly validations: readonly CompiledValidation[];
  readonly auditAnnotations: readonly { readonly key: string; readonly compiled: AdmissionExpression }[];
}

/** CEL variables of ValidatingAdmissionPolicy expressions. */
export const VAP_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'variables',
] as const;

/**
 * Compiles one expression field of an admission policy; a compile problem is kept with the
 * expression (Kubernetes and Kyverno report it when the expression is evaluated) and also returned
 * as a warning diagnostic.
 */
export function compileAdmissionExpression(
  compile: (expression: unknown, path: FieldPath) => CelProgram | undefined,
  issues: Diagnostic[],
  expression: unknown,
  path: FieldPath,
): AdmissionExpression {
  const before = issues.length;
  const program = compile(expression, path);
  const text = typeof expression === 'string' ? expression : '';
  if (program !== undefined) return { expression: text, program };
  const problem = issues[before]?.message ?? 'expression did not compile';
  return { expression: text, compileError: problem.replace(/^policy [^:]*: /, '') };
}

/** Evaluates an admission expression; a compile problem throws like an evaluation error. */
function run(
  e: AdmissionExpression,
  activation: CelActivation,
  runtime: EvaluationRuntime,
  raw = false,
): unknown {
  if ('compileError' in e) throw new AdmissionCompileError(`compilation error: ${e.compileError}`);
  return raw ? e.program.evaluateRaw(activation, runtime) : e.program.evaluate(activation, runtime);
}

class AdmissionCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdmissionCompileError';
  }
}

/**
 * Compiles a policy with the bindings that name it (`spec.policyName`). Never fails for CEL
 * problems: those stay with their expression and come back as warnings (`cel/compile-error`).
 */
export function compileValidatingAdmissionPolicy(
  policy: ValidatingAdmissionPolicy,
  bindings: readonly ValidatingAdmissionPolicyBinding[],
  options: { readonly compile?: CelCompile } = {},
): Result<CompiledValidatingAdmissionPolicy> {
  const issues: Diagnostic[] = [];
  const spec = policy.spec ?? {};
  const c = fieldCompiler('vap', VAP_VARIABLES, policy.metadata.name, issues, options);
  const field = (expression: unknown, path: FieldPath) =>
    compileAdmissionExpression((e, p) => compileField(c, e, p), issues, expression, path);
  const matchConditions = (spec.matchConditions ?? []).map((m, i) =>
    field(m?.expression, ['spec', 'matchConditions', i, 'expression']),
  );
  const variables = (spec.variables ?? []).map((v, i) => ({
    name: String(v?.name ?? ''),
    compiled: field(v?.expression, ['spec', 'variables', i, 'expression']),
  }));
  const validations = (spec.validations ?? []).map((v, i): CompiledValidation => {
    const hasMessageExpression = typeof v?.messageExpression === 'string' && v.messageExpression !== '';
    return {
      compiled: field(v?.expression, ['spec', 'validations', i, 'expression']),
      ...(typeof v?.message === 'string' && v.message !== '' ? { message: v.message } : {}),
      ...(hasMessageExpression
        ? { messageExpression: field(v.messageExpression, ['spec', 'validations', i, 'messageExpression']) }
        : {}),
    };
  });
  const auditAnnotations = (spec.auditAnnotations ?? []).map((a, i) => ({
    key: String(a?.key ?? ''),
    compiled: field(a?.valueExpression, ['spec', 'auditAnnotations', i, 'valueExpression']),
  }));
  return {
    ok: true,
    warnings: issues,
    value: {
      policy,
      bindings: bindings.filter((b) => b.spec?.policyName === policy.metadata.name),
      failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      matchConditions,
      variables,
      validations,
      auditAnnotations,
    },
  };
}

/** One evaluation of the policy (for one binding, or for the policy alone). */
export interface AdmissionEvaluation {
  readonly binding?: ValidatingAdmissionPolicyBinding;
  readonly params: KubeObject | null;
  readonly rule: RuleResult;
  /** `spec.auditAnnotations` values (policy-name/key → value) of a passing evaluation. */
  readonly auditAnnotations: Readonly<Record<string, string>>;
}

/** What the policy answered: not matched at all, or its rule results (empty: nothing evaluated). */
export type AdmissionPolicyOutcome =
  | { readonly matched: false }
  | {
      readonly matched: true;
      /** The rule Kyverno reports: the last evaluation's (none when nothing could be evaluated). */
      readonly rules: readonly RuleResult[];
      /** The binding of the reported rule. */
      readonly binding?: ValidatingAdmissionPolicyBinding;
      /** The reported binding's validation actions (`[Deny]` when unset or without a binding). */
      readonly actions: readonly ValidationAction[];
      /** Every evaluation, in binding order. */
      readonly evaluations: readonly AdmissionEvaluation[];
    };

function messageFor(v: CompiledValidation, activation: CelActivation, runtime: EvaluationRuntime): string {
  if (v.messageExpression !== undefined) {
    try {
      const m = run(v.messageExpression, activation, runtime);
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch {
      // Kubernetes falls back to the static message when messageExpression fails.
    }
  }
  return v.message ?? `failed expression: ${v.compiled.expression.trim()}`;
}

function auditValues(
  compiled: CompiledValidatingAdmissionPolicy,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, compiled: e } of compiled.auditAnnotations) {
    try {
      const v = run(e, activation, runtime);
      if (typeof v === 'string' && v !== '') out[`${compiled.policy.metadata.name}/${key}`] = v;
    } catch {
      // An audit annotation that fails to evaluate is dropped (Kubernetes only logs it).
    }
  }
  return out;
}

/** Kubernetes match conditions: any false → no match; errors → thrown (Fail) or no match (Ignore). */
function conditionsMatch(
  compiled: CompiledValidatingAdmissionPolicy,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): boolean {
  const errors: string[] = [];
  for (const m of compiled.matchConditions) {
    let out: unknown;
    try {
      out = run(m, activation, runtime);
    } catch (e) {
      errors.push(errorMessage(e));
      continue;
    }
    if (out === false) return false;
    if (out !== true) errors.push(`expected a bool result, got ${out === null ? 'null' : typeof out}`);
  }
  if (errors.length === 0) return true;
  if (compiled.failurePolicy === 'Ignore') return false;
  throw new AdmissionCompileError(`failed to evaluate match conditions: ${errors.join('; ')}`);
}

/** Kubernetes' validator for one (binding, params): first error or denial wins. */
function validateOnce(
  compiled: CompiledValidatingAdmissionPolicy,
  base: Readonly<Record<string, unknown>>,
  params: KubeObject | null,
  runtime: EvaluationRuntime,
): { rule: RuleResult; auditAnnotations: Record<string, string> } {
  const name = compiled.policy.metadata.name;
  const values: Record<string, unknown> = { ...base, ...toCelActivation({ params }).values };
  const activation: CelActivation = { celActivation: true, values };
  const lazy: Record<string, () => unknown> = {};
  for (const v of compiled.variables) lazy[v.name] = () => run(v.compiled, activation, runtime, true);
  values.variables = new CelLazyMap(lazy).celValue;
  const none = {};
  try {
    if (!conditionsMatch(compiled, activation, runtime)) {
      return {
        rule: ruleResult(name, 'Validation', 'skip', "match conditions aren't met"),
        auditAnnotations: none,
      };
    }
  } catch (e) {
    return { rule: ruleResult(name, 'Validation', 'error', errorMessage(e)), auditAnnotations: none };
  }
  for (const v of compiled.validations) {
    let out: unknown;
    try {
      out = run(v.compiled, activation, runtime);
    } catch (e) {
      const message = `expression '${v.compiled.expression.trim()}' resulted in error: ${errorMessage(e)}`;
      return { rule: ruleResult(name, 'Validation', 'error', message), auditAnnotations: none };
    }
    // Anything but true denies (Kubernetes compares the result with CEL true).
    if (out !== true) {
      return {
        rule: ruleResult(name, 'Validation', 'fail', messageFor(v, activation, runtime)),
        auditAnnotations: none,
      };
    }
  }
  return {
    rule: ruleResult(name, 'Validation', 'pass', ''),
    auditAnnotations: auditValues(compiled, activation, runtime),
  };
}

function actionsOf(binding: ValidatingAdmissionPolicyBinding | undefined): readonly ValidationAction[] {
  const a = binding?.spec?.validationActions;
  return a !== undefined && a.length > 0 ? a : ['Deny'];
}

/**
 * Evaluates the policy against one request. Params are read from `paramResources` when given, else
 * from the `admissionParams` port of `runtime`. Never throws.
 */
export function evaluateValidatingAdmissionPolicy(
  compiled: CompiledValidatingAdmissionPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
  paramResources?: readonly KubeObject[],
): AdmissionPolicyOutcome {
  const namespaceObject = requestNamespaceObject(input);
  const base = toCelActivation({ ...admissionData(input), namespaceObject }).values;
  if (compiled.bindings.length === 0) {
    const m = matchConstraints(compiled.policy.spec?.matchConstraints, input.attributes, namespaceObject);
    if (m.error !== undefined || !m.matches) return { matched: false };
    const once = validateOnce(compiled, base, null, runtime);
    return {
      matched: true,
      rules: [once.rule],
      actions: ['Deny'],
      evaluations: [{ params: null, ...once }],
    };
  }
  const bindings = applicableBindings(compiled.bindings, input, namespaceObject);
  if (bindings.length === 0) return { matched: false };
  const resources = paramResources ?? runtime.ports.admissionParams?.list() ?? [];
  const evaluations: AdmissionEvaluation[] = bindings.map((binding) => {
    const params = selectParams(compiled.policy.spec?.paramKind, binding.spec?.paramRef, resources);
    return { binding, params, ...validateOnce(compiled, base, params, runtime) };
  });
  const last = evaluations[evaluations.length - 1]!;
  return {
    matched: true,
    rules: [last.rule],
    ...(last.binding !== undefined ? { binding: last.binding } : {}),
    actions: actionsOf(last.binding),
    evaluations,
  };
}
