/**
 * @module ValidatingPolicy / NamespacedValidatingPolicy: compile once (CEL programs for the policy
 * and its pod-controller autogen variants, plus the CEL PolicyExceptions that name it), then
 * evaluate per request with Kyverno's pipeline (reference §1.4; pkg/cel/policies/vpol):
 * matchConstraints → exceptions → matchConditions → lazy variables → validations (first false
 * stops) → auditAnnotations. Each variant answers with at most one rule result.
 */
import { type CelEnvironmentOptions, type CelProgram, compileCel } from '../cel/compile.js';
import { CelCompileError } from '../cel/errors.js';
import { type CelActivation, CelLazyMap, toCelActivation } from '../cel/values.js';
import type { Diagnostic, FieldPath, Result } from '../diagnostics/diagnostic.js';
import { diagnostic, formatFieldPath } from '../diagnostics/diagnostic.js';
import type { KubeObject } from '../policy/types.js';
import type { Ports } from '../ports.js';
import type { AdmissionUserInfo } from '../request.js';
import { errorMessage, ruleError, ruleResult } from '../verdict/rule-result.js';
import type { RuleResult } from '../verdict/types.js';
import { type AutogenFamily, autogenVariants } from './autogen.js';
import { exceptionRefersTo, exceptionResult, isFullExemption } from './cel-exception.js';
import { type AdmissionAttributes, matchConstraints } from './match-constraints.js';
import type {
  CelPolicyException,
  MatchConstraints,
  ValidatingPolicy,
  ValidatingPolicySpec,
  ValidationAction,
} from './types.js';

/** The CEL compiler the policy is compiled with (default: `compileCel`). */
export type CelCompile = (expression: string, options: CelEnvironmentOptions) => CelProgram;

export interface CompileValidatingPolicyOptions {
  readonly compile?: CelCompile;
  /** CEL PolicyExceptions; those whose `policyRefs` name this policy are compiled in. */
  readonly exceptions?: readonly CelPolicyException[];
  readonly ports?: Ports;
}

interface CompiledValidation {
  readonly program: CelProgram;
  readonly message?: string;
  readonly messageExpression?: CelProgram;
}

interface CompiledException {
  readonly exception: CelPolicyException;
  readonly matchConditions: readonly CelProgram[];
}

/** The policy itself, or one of its autogen variants: a complete, independently evaluated spec. */
export interface CompiledVariant {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly { readonly name: string; readonly program: CelProgram }[];
  readonly validations: readonly CompiledValidation[];
  readonly auditAnnotations: readonly { readonly key: string; readonly program: CelProgram }[];
}

export interface CompiledValidatingPolicy {
  readonly policy: ValidatingPolicy;
  /** `name`, or `namespace/name` for a NamespacedValidatingPolicy. */
  readonly key: string;
  /** The namespace a NamespacedValidatingPolicy is confined to. */
  readonly namespace?: string;
  readonly mode: 'Kubernetes' | 'JSON' | 'HTTP' | 'Envoy';
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** `spec.validationActions`, defaulting to `[Deny]`. */
  readonly actions: readonly ValidationAction[];
  readonly variants: readonly CompiledVariant[];
  readonly exceptions: readonly CompiledException[];
}

/** What one variant of the policy answered; `rules` is empty when it did not match. */
export interface VariantResponse {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
  readonly rules: readonly RuleResult[];
}

/** The request around the object, for Kubernetes-mode evaluation. */
export interface CelAdmissionInput {
  readonly attributes: AdmissionAttributes;
  /** The object's Namespace, when known (CEL `namespaceObject`; also for namespaceSelector). */
  readonly namespaceObject: KubeObject | null;
  readonly userInfo?: AdmissionUserInfo;
  readonly dryRun?: boolean;
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

class CompileFailure extends Error {
  readonly diagnostic: Diagnostic;
  constructor(d: Diagnostic) {
    super(d.message);
    this.name = 'CompileFailure';
    this.diagnostic = d;
  }
}

function compileAt(
  options: CompileValidatingPolicyOptions,
  policyName: string,
  expression: unknown,
  path: FieldPath,
): CelProgram {
  const where = formatFieldPath(path);
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new CompileFailure(
      diagnostic('policy/missing-field', `policy ${policyName}: ${where} must be a CEL expression`, path),
    );
  }
  try {
    return (options.compile ?? compileCel)(expression, {
      variables: VALIDATING_POLICY_VARIABLES,
      kind: 'validating',
      ...(options.ports !== undefined ? { ports: options.ports } : {}),
    });
  } catch (e) {
    const at =
      e instanceof CelCompileError && e.line !== undefined
        ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})`
        : '';
    throw new CompileFailure(
      diagnostic(
        'cel/compile-error',
        `policy ${policyName}: ${where}${at}: compilation failed: ${errorMessage(e)}`,
        path,
      ),
    );
  }
}

function compileVariant(
  spec: ValidatingPolicySpec,
  options: CompileValidatingPolicyOptions,
  policyName: string,
  autogen: AutogenFamily | undefined,
  issues: Diagnostic[],
): CompiledVariant | undefined {
  // Autogen variants are rewrites of the policy's own fields; report problems at those fields.
  const base: FieldPath = ['spec'];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof CompileFailure)) throw e;
      if (!issues.some((d) => d.message === e.diagnostic.message)) issues.push(e.diagnostic);
      return undefined;
    }
  };
  const before = issues.length;
  const matchConditions = (spec.matchConditions ?? []).map((m, i) =>
    attempt(() =>
      compileAt(options, policyName, m?.expression, [...base, 'matchConditions', i, 'expression']),
    ),
  );
  const variables = (spec.variables ?? []).map((v, i) => {
    const program = attempt(() =>
      compileAt(options, policyName, v?.expression, [...base, 'variables', i, 'expression']),
    );
    return program === undefined ? undefined : { name: String(v?.name ?? ''), program };
  });
  const validations = (spec.validations ?? []).map((v, i) => {
    const program = attempt(() =>
      compileAt(options, policyName, v?.expression, [...base, 'validations', i, 'expression']),
    );
    const messageExpression =
      v?.messageExpression === undefined || v.messageExpression === ''
        ? undefined
        : attempt(() =>
            compileAt(options, policyName, v.messageExpression, [
              ...base,
              'validations',
              i,
              'messageExpression',
            ]),
          );
    if (program === undefined) return undefined;
    const out: CompiledValidation = {
      program,
      ...(typeof v.message === 'string' ? { message: v.message } : {}),
      ...(messageExpression !== undefined ? { messageExpression } : {}),
    };
    return out;
  });
  const auditAnnotations = (spec.auditAnnotations ?? []).map((a, i) => {
    const program = attempt(() =>
      compileAt(options, policyName, a?.valueExpression, [...base, 'auditAnnotations', i, 'valueExpression']),
    );
    return program === undefined ? undefined : { key: String(a?.key ?? ''), program };
  });
  if (issues.length > before) return undefined;
  return {
    ...(autogen !== undefined ? { autogen } : {}),
    ...(spec.matchConstraints !== undefined ? { matchConstraints: spec.matchConstraints } : {}),
    matchConditions: matchConditions as CelProgram[],
    variables: variables as { name: string; program: CelProgram }[],
    validations: validations as CompiledValidation[],
    auditAnnotations: auditAnnotations as { key: string; program: CelProgram }[],
  };
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
  const issues: Diagnostic[] = [];
  const name = policy.metadata.name;
  const spec = policy.spec ?? {};
  const variants: CompiledVariant[] = [];
  try {
    const main = compileVariant(spec, options, name, undefined, issues);
    if (main !== undefined) variants.push(main);
    if (issues.length === 0) {
      for (const v of autogenVariants(spec)) {
        const compiled = compileVariant(v.spec, options, name, v.family, issues);
        if (compiled !== undefined) variants.push(compiled);
      }
    }
  } catch (e) {
    issues.push(diagnostic('cel/compile-error', `policy ${name}: ${errorMessage(e)}`, ['spec']));
  }
  const exceptions: CompiledException[] = [];
  for (const exception of options.exceptions ?? []) {
    if (!exceptionRefersTo(exception, policy)) continue;
    const conditions: CelProgram[] = [];
    (exception.spec.matchConditions ?? []).forEach((m, i) => {
      try {
        conditions.push(
          compileAt(options, `${name} (exception ${exception.metadata.name})`, m?.expression, [
            'spec',
            'matchConditions',
            i,
            'expression',
          ]),
        );
      } catch (e) {
        if (e instanceof CompileFailure) issues.push(e.diagnostic);
        else throw e;
      }
    });
    exceptions.push({ exception, matchConditions: conditions });
  }
  if (issues.length > 0) return { ok: false, issues };
  const namespace =
    policy.kind === 'NamespacedValidatingPolicy' ? (policy.metadata.namespace ?? 'default') : undefined;
  const actions =
    spec.validationActions !== undefined && spec.validationActions.length > 0
      ? [...spec.validationActions]
      : (['Deny'] as ValidationAction[]);
  return {
    ok: true,
    warnings: [],
    value: {
      policy,
      key: namespace !== undefined ? `${namespace}/${name}` : name,
      ...(namespace !== undefined ? { namespace } : {}),
      mode: spec.evaluation?.mode ?? 'Kubernetes',
      failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      actions,
      variants,
      exceptions,
    },
  };
}

// ---- evaluation ---------------------------------------------------------------------------------

class MatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchError';
  }
}

/** All conditions true → true; any false → false; errors → error (or no match with Ignore). */
function matchAll(
  programs: readonly CelProgram[],
  activation: CelActivation,
  failurePolicy: 'Fail' | 'Ignore',
): boolean {
  const errors: string[] = [];
  for (const p of programs) {
    let out: unknown;
    try {
      out = p.evaluate(activation);
    } catch (e) {
      errors.push(errorMessage(e));
      continue;
    }
    if (typeof out !== 'boolean') {
      errors.push(`expected a bool result, got ${out === null ? 'null' : typeof out}`);
      continue;
    }
    if (!out) return false;
  }
  if (errors.length === 0) return true;
  if (failurePolicy === 'Ignore') return false;
  throw new MatchError(errors.join('; '));
}

function auditAnnotationValues(variant: CompiledVariant, activation: CelActivation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, program } of variant.auditAnnotations) {
    let value: unknown;
    try {
      value = program.evaluate(activation);
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
  return Object.keys(properties).length > 0 ? { ...r, properties } : r;
}

interface EvaluationData {
  readonly object: unknown;
  readonly oldObject: unknown;
  readonly request: unknown;
  readonly namespaceObject: unknown;
}

/** Exceptions, matchConditions, variables, validations: Kyverno's evaluateWithData. */
function evaluateVariant(
  compiled: CompiledValidatingPolicy,
  variant: CompiledVariant,
  data: EvaluationData,
): RuleResult {
  const allowedImages: string[] = [];
  const allowedValues: string[] = [];
  // Converted to CEL values once; every expression of the variant shares this activation.
  const base = toCelActivation({ ...data });
  try {
    if (compiled.exceptions.length > 0) {
      const matched: CelPolicyException[] = [];
      for (const e of compiled.exceptions) {
        if (!matchAll(e.matchConditions, base, compiled.failurePolicy)) continue;
        matched.push(e.exception);
        allowedImages.push(...(e.exception.spec.images ?? []));
        allowedValues.push(...(e.exception.spec.allowedValues ?? []));
      }
      if (matched.length > 0 && matched.every(isFullExemption)) return exceptionResult(matched);
    }
    const values: Record<string, unknown> = {
      ...base.values,
      ...toCelActivation({ exceptions: { allowedImages, allowedValues } }).values,
    };
    const activation: CelActivation = { celActivation: true, values };
    if (!matchAll(variant.matchConditions, activation, compiled.failurePolicy)) {
      return ruleResult('', 'Validation', 'skip', 'skip');
    }
    // Variables are evaluated on first use, in the order they are referenced (Kyverno's lazy map).
    const lazy: Record<string, () => unknown> = {};
    for (const { name, program } of variant.variables) lazy[name] = () => program.evaluateRaw(activation);
    values.variables = new CelLazyMap(lazy).celValue;
    for (const [index, v] of variant.validations.entries()) {
      const indexProps = { 'cel.validationIndex': String(index) };
      let out: unknown;
      try {
        out = v.program.evaluate(activation);
      } catch (e) {
        return withProperties(ruleError('', 'Validation', 'error', e), indexProps);
      }
      if (typeof out !== 'boolean') {
        return withProperties(
          ruleError(
            '',
            'Validation',
            'error',
            `expected a bool result, got ${out === null ? 'null' : typeof out}`,
          ),
          indexProps,
        );
      }
      if (out) continue;
      let message = v.message ?? '';
      if (v.messageExpression !== undefined) {
        try {
          const m = v.messageExpression.evaluate(activation);
          message =
            typeof m === 'string'
              ? m
              : `failed to convert message expression to string: got ${m === null ? 'null' : typeof m}`;
        } catch (e) {
          message = `failed to evaluate message expression: ${errorMessage(e)}`;
        }
      }
      if (message === '') message = `CEL expression validation failed at index ${index}`;
      const annotations = auditAnnotationValues(variant, activation);
      const props = { ...annotations };
      if (props['cel.validationIndex'] === undefined) props['cel.validationIndex'] = String(index);
      return withProperties(ruleResult('', 'Validation', 'fail', message), props);
    }
    return withProperties(
      ruleResult('', 'Validation', 'pass', 'success'),
      auditAnnotationValues(variant, activation),
    );
  } catch (e) {
    // Exception/matchCondition/auditAnnotation failures: Kyverno reports them as a context error.
    return ruleError('', 'Validation', 'failed to load context', e);
  }
}

/** The AdmissionRequest as CEL `request` sees it (admission/v1 JSON, empty fields omitted). */
export function buildAdmissionRequest(input: CelAdmissionInput): Record<string, unknown> {
  const a = input.attributes;
  const kind = { group: a.group, version: a.version, kind: a.kind };
  const resource = { group: a.group, version: a.version, resource: a.resource };
  const user = input.userInfo ?? {};
  return {
    uid: '',
    kind,
    resource,
    ...(a.subresource !== '' ? { subResource: a.subresource, requestSubResource: a.subresource } : {}),
    requestKind: kind,
    requestResource: resource,
    ...(a.name !== '' ? { name: a.name } : {}),
    ...(a.namespace !== '' ? { namespace: a.namespace } : {}),
    operation: a.operation,
    userInfo: {
      ...(user.username !== undefined ? { username: user.username } : {}),
      ...(user.uid !== undefined ? { uid: user.uid } : {}),
      ...(user.groups !== undefined ? { groups: [...user.groups] } : {}),
      ...(user.extra !== undefined ? { extra: user.extra } : {}),
    },
    ...(a.object !== null ? { object: a.object } : {}),
    ...(a.oldObject !== null ? { oldObject: a.oldObject } : {}),
    dryRun: input.dryRun ?? false,
  };
}

/**
 * Evaluates a Kubernetes-mode policy against one admission request: one response per variant
 * (the policy, then its autogen variants). Never throws.
 */
export function evaluateValidatingPolicy(
  compiled: CompiledValidatingPolicy,
  input: CelAdmissionInput,
): VariantResponse[] {
  if (compiled.namespace !== undefined && input.attributes.namespace !== compiled.namespace) return [];
  const data: EvaluationData = {
    object: input.attributes.object,
    oldObject: input.attributes.oldObject,
    request: buildAdmissionRequest(input),
    namespaceObject: input.namespaceObject,
  };
  return compiled.variants.map((variant) => {
    const head = {
      ...(variant.autogen !== undefined ? { autogen: variant.autogen } : {}),
      ...(variant.matchConstraints !== undefined ? { matchConstraints: variant.matchConstraints } : {}),
    };
    const m = matchConstraints(variant.matchConstraints, input.attributes, input.namespaceObject);
    if (m.error !== undefined) {
      return {
        ...head,
        rules: [ruleError('', 'Validation', 'failed to execute matching', new MatchError(m.error))],
      };
    }
    if (!m.matches) return { ...head, rules: [] };
    return { ...head, rules: [evaluateVariant(compiled, variant, data)] };
  });
}

/** Evaluates a JSON-mode policy: `object` is the payload, nothing is matched. Never throws. */
export function evaluateValidatingPolicyJson(
  compiled: CompiledValidatingPolicy,
  payload: unknown,
): VariantResponse[] {
  const main = compiled.variants.find((v) => v.autogen === undefined);
  if (main === undefined) return [];
  const data: EvaluationData = { object: payload, oldObject: null, request: null, namespaceObject: null };
  return [{ rules: [evaluateVariant(compiled, main, data)] }];
}
