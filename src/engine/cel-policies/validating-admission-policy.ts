/**
 * @module Kubernetes ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding, evaluated the way
 * Kyverno's CLI does offline (reference §1.1; pkg/admissionpolicy/validate.go) with Kubernetes'
 * validator semantics: the policy's matchConstraints, then the first binding whose matchResources
 * select the request (no binding: the policy alone), its params (paramKind + paramRef name or
 * selector, parameterNotFoundAction), matchConditions, lazy variables and validations in order.
 * One Validation rule named after the policy: pass, fail (first false validation), error, or skip
 * "match conditions aren't met". CEL sees only the Kubernetes libraries.
 */
import type { CelProgram } from '../cel/compile.js';
import { type CelActivation, toCelActivation } from '../cel/values.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { labelSelectorMatches } from '../match/label-selector.js';
import type { KubeObject, LabelSelector, ObjectMeta } from '../policy/types.js';
import { errorMessage, ruleResult } from '../verdict/rule-result.js';
import type { RuleResult, RuleStatus } from '../verdict/types.js';
import { admissionData, type CelAdmissionInput } from './admission-evaluation.js';
import {
  bindLazyVariables,
  compileExpressions,
  compileField,
  compileNamedExpressions,
  fieldCompiler,
  matchAllConditions,
  type NamedProgram,
} from './compile-fields.js';
import { matchConstraints } from './match-constraints.js';
import { isClusterScopedKind } from './resource-kinds.js';
import type {
  AuditAnnotation,
  CelValidation,
  MatchConstraints,
  NamedExpression,
  ValidationAction,
} from './types.js';
import type { CelCompile } from './validating-policy.js';

export interface ValidatingAdmissionPolicySpec {
  paramKind?: { apiVersion?: string; kind?: string };
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

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: LabelSelector;
  parameterNotFoundAction?: 'Allow' | 'Deny';
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

interface CompiledValidation {
  readonly expression: string;
  readonly program: CelProgram;
  readonly message?: string;
  readonly messageExpression?: CelProgram;
}

export interface CompiledValidatingAdmissionPolicy {
  readonly policy: ValidatingAdmissionPolicy;
  readonly bindings: readonly ValidatingAdmissionPolicyBinding[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
  readonly validations: readonly CompiledValidation[];
  readonly auditAnnotations: readonly { readonly key: string; readonly program: CelProgram }[];
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
 * Compiles a policy with the bindings that name it (`spec.policyName`). Never throws; CEL problems
 * come back as `cel/compile-error` diagnostics with field paths.
 */
export function compileValidatingAdmissionPolicy(
  policy: ValidatingAdmissionPolicy,
  bindings: readonly ValidatingAdmissionPolicyBinding[],
  options: { readonly compile?: CelCompile } = {},
): Result<CompiledValidatingAdmissionPolicy> {
  const issues: Diagnostic[] = [];
  const spec = policy.spec ?? {};
  const c = fieldCompiler('vap', VAP_VARIABLES, policy.metadata.name, issues, options);
  const matchConditions = compileExpressions(c, spec.matchConditions, 'matchConditions');
  const variables = compileNamedExpressions(c, spec.variables, 'variables');
  const validations = (spec.validations ?? []).map((v, i) => {
    const program = compileField(c, v?.expression, ['spec', 'validations', i, 'expression']);
    const messageExpression =
      typeof v?.messageExpression === 'string' && v.messageExpression !== ''
        ? compileField(c, v.messageExpression, ['spec', 'validations', i, 'messageExpression'])
        : undefined;
    if (program === undefined) return undefined;
    const out: CompiledValidation = {
      expression: v.expression,
      program,
      ...(typeof v.message === 'string' && v.message !== '' ? { message: v.message } : {}),
      ...(messageExpression !== undefined ? { messageExpression } : {}),
    };
    return out;
  });
  const auditAnnotations = (spec.auditAnnotations ?? []).map((a, i) => {
    const program = compileField(c, a?.valueExpression, ['spec', 'auditAnnotations', i, 'valueExpression']);
    return program === undefined ? undefined : { key: String(a?.key ?? ''), program };
  });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    warnings: [],
    value: {
      policy,
      bindings: bindings.filter((b) => b.spec?.policyName === policy.metadata.name),
      failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      matchConditions: matchConditions as CelProgram[],
      variables: variables as NamedProgram[],
      validations: validations as CompiledValidation[],
      auditAnnotations: auditAnnotations as { key: string; program: CelProgram }[],
    },
  };
}

/** What the policy answered: not matched at all, or its rule results (empty: nothing evaluated). */
export type AdmissionPolicyOutcome =
  | { readonly matched: false }
  | {
      readonly matched: true;
      readonly rules: readonly RuleResult[];
      readonly binding?: ValidatingAdmissionPolicyBinding;
      /** Resolved validation actions (the binding's; `[Deny]` without a binding). */
      readonly actions: readonly ValidationAction[];
    };

class BindingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BindingConfigError';
  }
}

/** The params a binding selects (Kubernetes CollectParams); `[null]` when the policy takes none. */
export function collectParams(
  paramKind: ValidatingAdmissionPolicySpec['paramKind'],
  paramRef: ParamRef | undefined,
  requestNamespace: string,
  paramResources: readonly KubeObject[],
): (KubeObject | null)[] {
  if (paramKind === undefined || paramRef === undefined) return [null];
  const kind = paramKind.kind ?? '';
  const apiVersion = paramKind.apiVersion ?? '';
  const clusterScoped = isClusterScopedKind(kind);
  const namespace = clusterScoped ? '' : (paramRef.namespace ?? requestNamespace);
  const candidates = paramResources.filter((p) => {
    if (p.kind !== kind || (apiVersion !== '' && p.apiVersion !== apiVersion)) return false;
    const ns = p.metadata?.namespace ?? '';
    return namespace === '' || ns === '' || ns === namespace;
  });
  let found: KubeObject[];
  if (paramRef.name !== undefined && paramRef.name !== '') {
    found = candidates.filter((p) => p.metadata?.name === paramRef.name);
  } else if (paramRef.selector !== undefined) {
    const selector = paramRef.selector;
    found = candidates.filter((p) =>
      labelSelectorMatches(selector, (p.metadata?.labels ?? {}) as Record<string, string>),
    );
  } else {
    throw new BindingConfigError('one of name or selector must be set in paramRef');
  }
  if (found.length > 0) return found;
  if (paramRef.parameterNotFoundAction === 'Allow') return [];
  throw new BindingConfigError('no params found for policy binding with `Deny` parameterNotFoundAction');
}

function messageFor(v: CompiledValidation, activation: CelActivation): string {
  if (v.messageExpression !== undefined) {
    try {
      const m = v.messageExpression.evaluate(activation);
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch {
      // Kubernetes falls back to the static message when messageExpression fails.
    }
  }
  return v.message ?? `failed expression: ${v.expression.trim()}`;
}

function auditProperties(
  compiled: CompiledValidatingAdmissionPolicy,
  activation: CelActivation,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, program } of compiled.auditAnnotations) {
    try {
      const v = program.evaluate(activation);
      if (typeof v === 'string' && v !== '') out[`${compiled.policy.metadata.name}/${key}`] = v;
    } catch {
      // An audit annotation that fails to evaluate is dropped (and logged by Kubernetes).
    }
  }
  return out;
}

/** One (binding, param) evaluation: Kubernetes' validator, first error or denial wins. */
function validateOnce(
  compiled: CompiledValidatingAdmissionPolicy,
  base: Readonly<Record<string, unknown>>,
  params: KubeObject | null,
): RuleResult {
  const name = compiled.policy.metadata.name;
  const values: Record<string, unknown> = { ...base, ...toCelActivation({ params }).values };
  const activation: CelActivation = { celActivation: true, values };
  try {
    if (!matchAllConditions(compiled.matchConditions, activation, compiled.failurePolicy)) {
      return ruleResult(name, 'Validation', 'skip', "match conditions aren't met");
    }
  } catch (e) {
    return ruleResult(name, 'Validation', 'error', `failed to evaluate match conditions: ${errorMessage(e)}`);
  }
  bindLazyVariables(values, compiled.variables, activation);
  for (const v of compiled.validations) {
    let out: unknown;
    try {
      out = v.program.evaluate(activation);
    } catch (e) {
      if (compiled.failurePolicy === 'Ignore') continue;
      return ruleResult(
        name,
        'Validation',
        'error',
        `expression '${v.expression.trim()}' resulted in error: ${errorMessage(e)}`,
      );
    }
    if (typeof out !== 'boolean') {
      if (compiled.failurePolicy === 'Ignore') continue;
      return ruleResult(
        name,
        'Validation',
        'error',
        `expression '${v.expression.trim()}' resulted in error: expected a bool result`,
      );
    }
    if (!out) return ruleResult(name, 'Validation', 'fail', messageFor(v, activation));
  }
  const props = auditProperties(compiled, activation);
  const pass = ruleResult(name, 'Validation', 'pass', '');
  return Object.keys(props).length > 0 ? { ...pass, properties: props } : pass;
}

const SEVERITY: Readonly<Record<RuleStatus, number>> = { error: 4, fail: 3, warn: 2, pass: 1, skip: 0 };

/**
 * Evaluates the policy against one request. `paramResources` are the objects params are read from
 * (`--parameter-resource`, test `paramResources`). Never throws.
 */
export function evaluateValidatingAdmissionPolicy(
  compiled: CompiledValidatingAdmissionPolicy,
  input: CelAdmissionInput,
  paramResources: readonly KubeObject[] = [],
): AdmissionPolicyOutcome {
  const name = compiled.policy.metadata.name;
  const attr = input.attributes;
  const namespaceName = attr.resource === 'namespaces' && attr.group === '' ? '' : attr.namespace;
  const namespaceObject: KubeObject | null =
    input.namespaceObject ??
    (namespaceName !== ''
      ? {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespaceName, labels: { 'kubernetes.io/metadata.name': namespaceName } },
        }
      : null);
  const policyMatch = matchConstraints(compiled.policy.spec.matchConstraints, attr, namespaceObject);
  if (policyMatch.error !== undefined) {
    return {
      matched: true,
      actions: ['Deny'],
      rules: [ruleResult(name, 'Validation', 'error', `failed to execute matching: ${policyMatch.error}`)],
    };
  }
  if (!policyMatch.matches) return { matched: false };
  let binding: ValidatingAdmissionPolicyBinding | undefined;
  if (compiled.bindings.length > 0) {
    binding = compiled.bindings.find((b) => {
      if (b.spec.matchResources === undefined) return true;
      return matchConstraints(b.spec.matchResources, attr, namespaceObject).matches;
    });
    if (binding === undefined) return { matched: false };
  }
  const actions: readonly ValidationAction[] =
    binding?.spec.validationActions !== undefined && binding.spec.validationActions.length > 0
      ? binding.spec.validationActions
      : ['Deny'];
  const base = toCelActivation({ ...admissionData(input), namespaceObject }).values;
  let params: (KubeObject | null)[];
  try {
    params = collectParams(
      compiled.policy.spec.paramKind,
      binding?.spec.paramRef,
      attr.namespace,
      paramResources,
    );
  } catch (e) {
    const rules =
      compiled.failurePolicy === 'Ignore'
        ? []
        : [ruleResult(name, 'Validation', 'error', `failed to configure binding: ${errorMessage(e)}`)];
    return { matched: true, actions, rules, ...(binding !== undefined ? { binding } : {}) };
  }
  if (params.length === 0) {
    return { matched: true, actions, rules: [], ...(binding !== undefined ? { binding } : {}) };
  }
  let worst: RuleResult | undefined;
  for (const p of params) {
    const r = validateOnce(compiled, base, p);
    if (worst === undefined || SEVERITY[r.status] > SEVERITY[worst.status]) worst = r;
    if (r.status === 'error' || r.status === 'fail') break;
  }
  let rule = worst!;
  // Warn-only bindings surface a failed validation as a warning rather than a denial.
  if (rule.status === 'fail' && !actions.includes('Deny') && actions.includes('Warn'))
    rule = { ...rule, status: 'warn' };
  return { matched: true, actions, rules: [rule], ...(binding !== undefined ? { binding } : {}) };
}
