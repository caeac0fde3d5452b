/**
 * @module `validate.cel` rule handler (Kyverno validate_cel.go on Kubernetes' VAP validator):
 * `celPreconditions` (any false → skip "cel preconditions not met"), lazily evaluated
 * `variables`, then `expressions` in order. The first expression that is not true fails the rule
 * with messageExpression's result, else its message (or the rule's), else
 * `failed expression: <expr>`. An evaluation error denies too (failure policy Fail), with
 * Kubernetes' `expression '<expr>' resulted in error: <err>` text. Compile errors are rule errors.
 * The programs are compiled with the policy (`pinCelRule`) into its memo; a rule finds them there.
 */
import { Buffer } from 'node:buffer';
import { CelLimitError, type CelProgram, celProgramKey, compileCel } from '../../../cel/compile.js';
import { type CelActivation, CelLazyMap, toCelActivation } from '../../../cel/values.js';
import type { CompileMemo } from '../../../compile-memo.js';
import { labelSelectorMatches } from '../../../match/label-selector.js';
import type { KubeObject } from '../../../model/kube-object.js';
import type { EvaluationRequest } from '../../../request.js';
import type { EvaluationRuntime } from '../../../runtime.js';
import { errorMessage, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { CelRuleExpression, CelValidate, Rule } from '../types.js';
import { celRuleActivation } from './cel-activation.js';

import type { RuleEnv } from './rule-env.js';

/** Variables a VAP expression may reference (k8s admission/plugin/cel). */
export const VAP_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'namespaceObject',
  'params',
  'variables',
  'authorizer',
] as const;

/** Kubernetes drops messageExpression results longer than this (celconfig). */
const MAX_MESSAGE_BYTES = 5 * 1024;

interface CompiledValidation {
  readonly spec: CelRuleExpression;
  readonly program: CelProgram;
  readonly messageProgram?: CelProgram;
}

interface CompiledCelRule {
  readonly preconditions: readonly CelProgram[];
  readonly variables: readonly { readonly name: string; readonly program: CelProgram }[];
  readonly validations: readonly CompiledValidation[];
}

class RuleCompileError extends Error {}

const CEL_OPTIONS = { variables: VAP_VARIABLES, kind: 'vap' as const };

function programIn(memo: CompileMemo, expression: string): CelProgram {
  return memo.celProgram(celProgramKey(expression, CEL_OPTIONS), () => compileCel(expression, CEL_OPTIONS));
}

/** Compiles the rule's CEL expressions into `memo`, once, with the policy. */
export function pinCelRule(rule: Rule, memo: CompileMemo): void {
  const spec = rule.validate?.cel;
  if (spec === undefined || spec === null) return;
  const list = <T>(v: readonly T[] | undefined): readonly T[] => (Array.isArray(v) ? v : []);
  const expressions = [
    ...list(rule.celPreconditions).map((c) => c?.expression),
    ...list(spec.variables).map((v) => v?.expression),
    ...list(spec.expressions).flatMap((v) => [v?.expression, v?.messageExpression]),
  ];
  for (const expression of expressions) {
    if (typeof expression !== 'string' || expression.trim() === '') continue;
    memo.pinCelProgram(celProgramKey(expression, CEL_OPTIONS), () => compileCel(expression, CEL_OPTIONS));
  }
}

function compileAll(rule: Rule, spec: CelValidate, memo: CompileMemo): CompiledCelRule {
  const compile = (expression: unknown, what: string): CelProgram => {
    if (typeof expression !== 'string' || expression.trim() === '') {
      throw new RuleCompileError(`${what}: expression must be a non-empty string`);
    }
    try {
      return programIn(memo, expression);
    } catch (e) {
      throw new RuleCompileError(errorMessage(e));
    }
  };
  const mustBeBool = (p: CelProgram): CelProgram => {
    if (p.type !== 'bool' && p.type !== 'dyn') {
      throw new RuleCompileError(
        `failed to compile CEL expression '${p.expression}': cel expression must evaluate to a bool, got ${p.type}`,
      );
    }
    return p;
  };
  return {
    preconditions: (rule.celPreconditions ?? []).map((c, i) =>
      mustBeBool(compile(c.expression, `celPreconditions[${i}]`)),
    ),
    variables: (spec.variables ?? []).map((v, i) => ({
      name: v.name,
      program: compile(v.expression, `cel.variables[${i}]`),
    })),
    validations: (spec.expressions ?? []).map((v, i) => {
      const program = mustBeBool(compile(v.expression, `cel.expressions[${i}]`));
      const messageProgram =
        v.messageExpression !== undefined && v.messageExpression !== ''
          ? compile(v.messageExpression, `cel.expressions[${i}].messageExpression`)
          : undefined;
      return messageProgram !== undefined ? { spec: v, program, messageProgram } : { spec: v, program };
    }),
  };
}

type Outcome =
  | { readonly status: 'pass' }
  | { readonly status: 'skip' | 'fail' | 'error'; readonly message: string };

/**
 * An expression that failed: Kubernetes denies (`fail`); one stopped by an evaluation limit is an
 * `error` naming the limit (docs/limits.md), as for every other rule.
 */
function failedOutcome(expression: string, e: unknown): Outcome {
  if (e instanceof CelLimitError) return { status: 'error', message: `evaluation stopped: ${e.message}` };
  return { status: 'fail', message: `expression '${expression}' resulted in error: ${errorMessage(e)}` };
}

function messageFor(
  v: CompiledValidation,
  rule: Rule,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): string {
  if (v.messageProgram !== undefined) {
    try {
      const out = v.messageProgram.evaluateRaw(activation, runtime);
      if (typeof out === 'string') {
        const trimmed = out.trim();
        if (trimmed !== '' && Buffer.byteLength(trimmed) <= MAX_MESSAGE_BYTES && !trimmed.includes('\n'))
          return trimmed;
      }
    } catch {
      // Kubernetes logs a failed messageExpression and falls back to the static message.
    }
  }
  const message = (
    v.spec.message !== undefined && v.spec.message !== '' ? v.spec.message : (rule.validate?.message ?? '')
  ).trim();
  return message !== '' ? message : `failed expression: ${v.spec.expression.trim()}`;
}

function evaluateOnce(
  rule: Rule,
  compiled: CompiledCelRule,
  base: Readonly<Record<string, unknown>>,
  params: unknown,
  runtime: EvaluationRuntime,
): Outcome {
  const programs = Object.fromEntries(compiled.variables.map((v) => [v.name, v.program]));
  let activation: CelActivation;
  // Variables see the same activation (including `variables` itself), evaluated on first use.
  const lazy = new CelLazyMap(
    Object.fromEntries(
      Object.entries(programs).map(([name, p]) => [name, () => p.evaluateRaw(activation, runtime)]),
    ),
  );
  activation = toCelActivation({ ...base, params: params ?? null, variables: lazy });

  let preconditionError: Outcome | undefined;
  for (const p of compiled.preconditions) {
    try {
      if (p.evaluateRaw(activation, runtime) !== true)
        return { status: 'skip', message: 'cel preconditions not met' };
    } catch (e) {
      preconditionError ??= failedOutcome(p.expression, e);
    }
  }
  if (preconditionError !== undefined) return preconditionError;

  for (const v of compiled.validations) {
    let result: unknown;
    try {
      result = v.program.evaluateRaw(activation, runtime);
    } catch (e) {
      return failedOutcome(v.spec.expression, e);
    }
    if (result !== true) return { status: 'fail', message: messageFor(v, rule, activation, runtime) };
  }
  return { status: 'pass' };
}

/** Params named by paramKind/paramRef, read through the cluster port (admissionpolicy.CollectParams). */
function collectParams(
  spec: CelValidate,
  request: EvaluationRequest,
  namespace: string,
): readonly KubeObject[] {
  const kind = spec.paramKind?.kind ?? '';
  const apiVersion = spec.paramKind?.apiVersion ?? '';
  const ref = spec.paramRef ?? {};
  const cluster = request.ports.cluster;
  if (cluster === undefined) throw new Error('no cluster access to read parameter resources');
  const ns = ref.namespace !== undefined && ref.namespace !== '' ? ref.namespace : namespace;
  let params: readonly KubeObject[] = [];
  if (ref.name !== undefined && ref.name !== '') {
    const found =
      cluster.get(apiVersion, kind, ns === '' ? undefined : ns, ref.name) ??
      cluster.get(apiVersion, kind, undefined, ref.name);
    if (found === undefined) throw new Error(`${kind} "${ref.name}" not found`);
    params = [found];
  } else if (ref.selector !== undefined) {
    params = cluster
      .list(apiVersion, kind, ns === '' ? undefined : ns)
      .filter((o) => labelSelectorMatches(ref.selector ?? {}, o.metadata?.labels ?? {}));
  }
  if (params.length === 0 && ref.parameterNotFoundAction === 'Deny') throw new Error('no params found');
  return params;
}

export function validateCelRule(env: RuleEnv): RuleResult {
  const { rule, request } = env;
  const spec = rule.validate?.cel ?? {};
  let compiled: CompiledCelRule;
  try {
    compiled = compileAll(rule, spec, env.ctx.memo);
  } catch (e) {
    return ruleResult(rule.name, 'Validation', 'error', errorMessage(e));
  }
  const { values, namespace } = celRuleActivation(request, env.resource);
  const hasParams = spec.paramKind !== undefined && spec.paramRef !== undefined;
  let paramSets: readonly unknown[] = [null];
  if (hasParams) {
    try {
      paramSets = collectParams(spec, request, namespace);
    } catch (e) {
      return ruleResult(
        rule.name,
        'Validation',
        'error',
        `error in parameterized resource: ${errorMessage(e)}`,
      );
    }
  }
  // The request's budget: its CEL work and time are shared with every other policy of the request.
  const runtime: EvaluationRuntime = {
    ports: request.ports,
    compileMemo: env.ctx.memo,
    budget: env.ctx.meter.request,
  };
  for (const params of paramSets) {
    const outcome = evaluateOnce(rule, compiled, values, params, runtime);
    if (outcome.status !== 'pass')
      return ruleResult(rule.name, 'Validation', outcome.status, outcome.message);
  }
  return ruleResult(rule.name, 'Validation', 'pass', `Validation rule '${rule.name}' passed.`);
}
