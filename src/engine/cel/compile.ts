/**
 * @module Compiling and evaluating CEL expressions. `compileCel` parses, rewrites (RE2 regexes,
 * step budget) and type-checks once per (expression, environment shape); the returned program
 * evaluates plain JSON-like activations and returns plain values. Evaluation is bounded by a step
 * budget, so a runaway expression fails with a `CelEvalError` instead of hanging.
 */
import type { Ports } from '../ports.js';
import {
  allowHasOnAnyOperand,
  allowOrValueOnValues,
  instrumentBudget,
  publicName,
  renameRegexMethods,
  type StepBudget,
} from './ast.js';
import { type CelPolicyKind, environmentFor, environmentKey } from './environment.js';
import { CelCompileError, CelEvalError, positionOf } from './errors.js';
import { rewriteObjectConstruction } from './object-construction.js';
import { budgetExceeded, withBudget, withPorts } from './runtime.js';
import { type CelActivation, fromCel, isCelActivation, toCelActivation } from './values.js';

export type { CelPolicyKind } from './environment.js';
export { CelCompileError, CelEvalError } from './errors.js';

/** Evaluation steps allowed per expression (Kubernetes bounds CEL by cost; this is our equivalent). */
export const CEL_STEP_LIMIT = 1_000_000;

export interface CelEnvironmentOptions {
  /** Top-level variable names, each typed `dyn` (e.g. object, oldObject, request, variables). */
  readonly variables: readonly string[];
  readonly ports?: Ports;
  readonly kind?: CelPolicyKind;
}

export interface CelProgram {
  readonly expression: string;
  /** The checked result type (`bool`, `string`, `dyn`, …). */
  readonly type: string;
  /** Evaluates with plain JSON-like values; returns a plain value. Throws `CelEvalError`. */
  evaluate(activation: Readonly<Record<string, unknown>> | CelActivation): unknown;
  /** As `evaluate` but returns the raw CEL value (bigint ints, Optionals, …). */
  evaluateRaw(activation: Readonly<Record<string, unknown>> | CelActivation): unknown;
}

interface CompiledExpression {
  readonly run: (values: Readonly<Record<string, unknown>>) => unknown;
  readonly type: string;
  readonly budget: StepBudget;
  readonly built: ReturnType<typeof environmentFor>;
}

const PROGRAM_CACHE_LIMIT = 2048;
const programs = new Map<string, CompiledExpression>();

/** Parses and type-checks `expression`; throws `CelCompileError` naming the expression. */
export function compileCel(expression: string, options: CelEnvironmentOptions): CelProgram {
  const kind = options.kind ?? 'validating';
  const key = `${environmentKey(kind, options.variables)}\u0000${expression}`;
  let compiled = programs.get(key);
  if (compiled === undefined) {
    compiled = compileExpression(expression, kind, options.variables);
    if (programs.size >= PROGRAM_CACHE_LIMIT) programs.delete(programs.keys().next().value ?? '');
    programs.set(key, compiled);
  }
  return bindProgram(expression, compiled, options.ports);
}

function compileExpression(
  expression: string,
  kind: CelPolicyKind,
  variables: readonly string[],
): CompiledExpression {
  const built = environmentFor(kind, variables);
  let parsed: ReturnType<typeof built.env.parse>;
  try {
    // cel-js cannot parse message construction; mutating expressions need `Object{...}`.
    parsed = built.env.parse(kind === 'mutating' ? rewriteObjectConstruction(expression) : expression);
  } catch (e) {
    throw compileError(expression, e);
  }
  renameRegexMethods(parsed.ast);
  allowOrValueOnValues(parsed.ast);
  allowHasOnAnyOperand(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) throw compileError(expression, checked.error);
  const budget: StepBudget = { steps: 0, limit: CEL_STEP_LIMIT };
  instrumentBudget(parsed.ast, budget);
  return { run: (values) => parsed(values), type: checked.type ?? 'dyn', budget, built };
}

function bindProgram(expression: string, compiled: CompiledExpression, ports: Ports | undefined): CelProgram {
  const evaluateRaw = (activation: Readonly<Record<string, unknown>> | CelActivation): unknown => {
    const values = isCelActivation(activation) ? activation.values : toCelActivation(activation).values;
    const { budget } = compiled;
    const savedSteps = budget.steps;
    budget.steps = 0;
    try {
      const result = withBudget(budget, () =>
        withPorts(compiled.built.runtime, ports, () => compiled.run(values)),
      );
      // cel-js absorbs errors inside `||`/`&&`; an exhausted budget must still fail the expression.
      if (budget.steps > budget.limit) throw budgetExceeded(budget);
      return result;
    } catch (e) {
      throw evalError(e);
    } finally {
      budget.steps = savedSteps;
    }
  };
  return {
    expression,
    type: compiled.type,
    evaluateRaw,
    evaluate: (activation) => fromCel(evaluateRaw(activation)),
  };
}

/** The first line of a cel-js message (the rest is a source excerpt with a caret). */
function summaryOf(e: unknown): string {
  if (e instanceof Error) {
    const summary = (e as { summary?: unknown }).summary;
    const text = typeof summary === 'string' ? summary : e.message;
    return publicName(text.split('\n')[0] ?? text);
  }
  return String(e);
}

function compileError(expression: string, e: unknown): CelCompileError {
  const start = (e as { range?: { start?: unknown } } | undefined)?.range?.start;
  const position = typeof start === 'number' ? positionOf(expression, start) : undefined;
  const where = position !== undefined ? ` at ${position.line}:${position.column}` : '';
  return new CelCompileError(
    `failed to compile CEL expression '${expression}'${where}: ${summaryOf(e)}`,
    position,
    e,
  );
}

/** cel-go spells its errors in lower case ("no such key: x"); follow it. */
function evalError(e: unknown): CelEvalError {
  if (e instanceof CelEvalError) return e;
  const text = summaryOf(e);
  const cause = e instanceof Error ? e.cause : undefined;
  if (cause instanceof CelEvalError) return cause;
  return new CelEvalError(text.replace(/^No such key/, 'no such key'), e);
}

/** True when a CEL result is exactly boolean true (Kubernetes: anything else denies). */
export function celCheckResult(value: unknown): boolean {
  return value === true;
}
