/**
 * @module Compiling and evaluating CEL expressions. `compileCel` parses, rewrites (RE2 regexes,
 * step budget) and type-checks an expression; the returned program evaluates plain JSON-like
 * activations and returns plain values. The caller keeps the program (a compiled policy holds its
 * own), together with the regexes its literal patterns compiled to. A program holds no ports: each
 * evaluation is given the runtime it runs with, which reaches the I/O libraries through the
 * activation. Evaluation is bounded by a step budget, so a runaway expression fails with a
 * `CelEvalError` instead of hanging.
 */
import { RE2JS } from 're2js';
import { DEFAULT_EVALUATION_LIMITS, resolveLimits } from '../limits.js';
import type { EvaluationRuntime } from '../runtime.js';
import { evaluationValues } from './activation.js';
import {
  allowHasOnAnyOperand,
  allowOrValueOnValues,
  appendContextArguments,
  errorOnOptionalSelectOfList,
  forEachNode,
  instrumentBudget,
  isolateReusedContexts,
  publicName,
  referencedIdentifiers,
  releaseContexts,
  renameRegexMethods,
  reusedContexts,
  structuralKey,
  variableFieldReads,
} from './ast.js';
import { budgetExceeded, CelLimitError, checkRequestTime, type StepBudget, withBudget } from './budget.js';
import { compileClosures, type Evaluator, evaluatorOf } from './closures.js';
import { type BuiltEnvironment, type CelPolicyKind, environmentFor, environmentKey } from './environment.js';
import { CelCompileError, CelEvalError, positionOf } from './errors.js';
import { literalPatternOf } from './libs/regex.js';
import type { CelContextVariable } from './libs/types.js';
import { rewriteObjectConstruction } from './object-construction.js';
import { type CelActivation, fromCel, isCelActivation } from './values.js';

export { CelLimitError } from './budget.js';
export type { CelPolicyKind } from './environment.js';
export { CelCompileError, CelEvalError } from './errors.js';

/** Default cost allowed per expression (`maxCelCost`, Kubernetes' `PerCallLimit`). */
export const CEL_STEP_LIMIT = DEFAULT_EVALUATION_LIMITS.maxCelCost;

export interface CelEnvironmentOptions {
  /** Top-level variable names, each typed `dyn` (e.g. object, oldObject, request, variables). */
  readonly variables: readonly string[];
  readonly kind?: CelPolicyKind;
}

export interface CelProgram {
  readonly expression: string;
  /** The checked result type (`bool`, `string`, `dyn`, …). */
  readonly type: string;
  /**
   * Set when the expression reads no variable but `object`, `oldObject`, `request` and
   * `namespaceObject`, and no I/O namespace or per-evaluation function: its result (and cost) is
   * then the same wherever those values are, so an activation's `shared` results may hold it.
   * Expressions that parse to the same tree (see `structuralKey`) have the same key.
   */
  readonly sharedKey: string | undefined;
  /** True when it runs as JavaScript closures (closures.ts), false when cel-js interprets it. */
  readonly closures: boolean;
  /**
   * The fields of `variables` it selects (`variables.x`), where in the expression: the policy
   * kinds check them against the variables declared before the field (see compile-fields.ts).
   */
  readonly variableReads: readonly VariableRead[];
  /**
   * Evaluates with plain JSON-like values (or a prepared activation) and the runtime whose ports
   * the I/O libraries use; returns a plain value. Throws `CelEvalError`.
   */
  evaluate(
    activation: Readonly<Record<string, unknown>> | CelActivation,
    runtime: EvaluationRuntime,
  ): unknown;
  /** As `evaluate` but returns the raw CEL value (bigint ints, Optionals, …). */
  evaluateRaw(
    activation: Readonly<Record<string, unknown>> | CelActivation,
    runtime: EvaluationRuntime,
  ): unknown;
}

/** A `variables.<name>` an expression reads, at its 1-based line and column. */
export interface VariableRead {
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

interface CompiledExpression {
  readonly variableReads: readonly VariableRead[];
  readonly run: (values: Readonly<Record<string, unknown>>) => unknown;
  readonly closures: boolean;
  /** Set when the result depends on the request's data only (see `CelProgram.sharedKey`). */
  readonly sharedKey: string | undefined;
  readonly type: string;
  /** The I/O namespaces the expression names: each evaluation binds them to its runtime. */
  readonly namespaces: readonly CelContextVariable[];
  /** Its literal regex patterns, compiled (an invalid one is left to fail when evaluated, as before). */
  readonly patterns: ReadonlyMap<string, RE2JS>;
}

/** The key of an expression in an environment shape, for owners that keep programs (`CompileMemo`). */
export function celProgramKey(expression: string, options: CelEnvironmentOptions): string {
  return `${environmentKey(options.kind ?? 'validating', options.variables)}\u0000${expression}`;
}

/** Parses and type-checks `expression`; throws `CelCompileError` naming the expression. */
export function compileCel(expression: string, options: CelEnvironmentOptions): CelProgram {
  const kind = options.kind ?? 'validating';
  return programOf(expression, compileExpression(expression, kind, options.variables));
}

/** The variables whose values are the request's data, the same for every policy of a request. */
const REQUEST_DATA = new Set(['object', 'oldObject', 'request', 'namespaceObject']);

/**
 * True when `ast` reads nothing but the request's data: of the environment's variables and I/O
 * namespaces it names only REQUEST_DATA (other names are its own loop variables), and it calls no
 * function that takes a per-evaluation argument. Its result is then a function of that data alone.
 */
function readsRequestDataOnly(ast: unknown, built: BuiltEnvironment, names: ReadonlySet<string>): boolean {
  for (const name of names) {
    if (REQUEST_DATA.has(name)) continue;
    if (built.variables.includes(name) || built.namespaces.some((v) => v.name === name)) return false;
  }
  let perEvaluation = false;
  forEachNode(ast, (node) => {
    if (node.op === 'call' && Array.isArray(node.args) && built.contextArguments.has(String(node.args[0])))
      perEvaluation = true;
  });
  return !perEvaluation;
}

function literalPatterns(ast: unknown): ReadonlyMap<string, RE2JS> {
  const patterns = new Map<string, RE2JS>();
  forEachNode(ast, (node) => {
    const pattern = literalPatternOf(node);
    if (pattern === undefined || patterns.has(pattern)) return;
    try {
      patterns.set(pattern, RE2JS.compile(pattern));
    } catch {
      // Reported by the regex function when the call is evaluated, as cel-go does.
    }
  });
  return patterns;
}

/** Each environment's evaluator, which the compiled closures hand to cel-js's handlers. */
const evaluators = new WeakMap<BuiltEnvironment, Evaluator | undefined>();

function evaluatorFor(built: BuiltEnvironment): Evaluator | undefined {
  if (!evaluators.has(built))
    evaluators.set(
      built,
      evaluatorOf((e) => built.env.parse(e)),
    );
  return evaluators.get(built);
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
  // Before the rewrites below change the tree in place.
  const structure = structuralKey(parsed.ast);
  const variableReads = variableFieldReads(parsed.ast).map(({ name, start }) => {
    const dot = expression.indexOf('.', start);
    return { name, ...positionOf(expression, dot < 0 ? start : dot) };
  });
  renameRegexMethods(parsed.ast);
  allowOrValueOnValues(parsed.ast);
  allowHasOnAnyOperand(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) throw compileError(expression, checked.error);
  // After the check: it sets up the call handlers these rewrites reuse.
  appendContextArguments(parsed.ast, built.contextArguments);
  isolateReusedContexts(parsed.ast);
  errorOnOptionalSelectOfList(parsed.ast);
  instrumentBudget(parsed.ast);
  const names = referencedIdentifiers(parsed.ast);
  const namespaces = built.namespaces.filter((v) => names.has(v.name));
  const patterns = literalPatterns(parsed.ast);
  const closures = compileClosures(parsed.ast, evaluatorFor(built), new Set(built.contextArguments.keys()));
  // By structure, not text: the policies of a request that declare one variable spelled
  // differently (spaces, line breaks, parentheses) share its result.
  const sharedKey = readsRequestDataOnly(parsed.ast, built, names)
    ? `${environmentKey(kind, variables)}\u0000${structure === undefined ? `text\u0000${expression}` : `tree\u0000${structure}`}`
    : undefined;
  const type = checked.type ?? 'dyn';
  if (closures !== undefined)
    return { run: closures, closures: true, sharedKey, type, namespaces, patterns, variableReads };
  const contexts = reusedContexts(parsed.ast);
  // Evaluations of one expression nest (a port callback); the loop state is released by the outermost.
  let running = 0;
  const run = (values: Readonly<Record<string, unknown>>): unknown => {
    running++;
    try {
      return parsed(values);
    } finally {
      running--;
      if (running === 0 && contexts.length > 0) releaseContexts(contexts);
    }
  };
  return { run, closures: false, sharedKey, type, namespaces, patterns, variableReads };
}

/** The cost budget of one evaluation: `maxCelCost`, within what the request has left. */
function stepBudget(
  expression: string,
  compiled: CompiledExpression,
  runtime: EvaluationRuntime,
): StepBudget {
  const request = runtime.budget;
  const limits =
    request?.limits ??
    (runtime.limits === undefined ? DEFAULT_EVALUATION_LIMITS : resolveLimits(runtime.limits));
  const requestLeft = request?.celLeft() ?? Number.POSITIVE_INFINITY;
  const ownLimit = requestLeft >= limits.maxCelCost;
  return {
    steps: 0,
    limit: ownLimit ? limits.maxCelCost : Math.max(0, requestLeft),
    limitName: ownLimit ? 'maxCelCost' : 'maxRequestCelCost',
    limitValue: ownLimit ? limits.maxCelCost : limits.maxRequestCelCost,
    expression,
    request,
    nextTimeCheck: 0,
    patterns: compiled.patterns,
    memo: runtime.compileMemo,
  };
}

/** A program is stateless: everything one evaluation needs is in its activation and budget. */
function programOf(expression: string, compiled: CompiledExpression): CelProgram {
  const evaluateRaw = (
    activation: Readonly<Record<string, unknown>> | CelActivation,
    runtime: EvaluationRuntime,
  ): unknown => {
    const values = evaluationValues(activation, runtime, compiled.namespaces);
    const budget = stepBudget(expression, compiled, runtime);
    const key = compiled.sharedKey;
    const shared = key !== undefined && isCelActivation(activation) ? activation.shared : undefined;
    try {
      // A request already out of time or work does not start another expression.
      checkRequestTime(budget);
      let result: unknown;
      const hit = key !== undefined ? shared?.get(key) : undefined;
      // Within this evaluation's limit, reusing a result costs what computing it did; past it, the
      // expression runs again to fail where it fails.
      if (hit !== undefined && hit.steps <= budget.limit) {
        budget.steps = hit.steps;
        result = hit.value;
      } else {
        result = withBudget(budget, compiled.run, values);
        // cel-js absorbs errors inside `||`/`&&`; an exhausted budget must still fail the expression.
        if (budget.steps > budget.limit) throw budgetExceeded(budget);
        if (budget.request?.stopped !== undefined) throw new CelLimitError(budget.request.stopped);
        if (key !== undefined) shared?.set(key, { value: result, steps: budget.steps });
        return result;
      }
      if (budget.request?.stopped !== undefined) throw new CelLimitError(budget.request.stopped);
      return result;
    } catch (e) {
      throw evalError(e);
    } finally {
      // Within what the request had left, so this never throws.
      budget.request?.chargeCel(Math.min(budget.steps, budget.limit), expression);
    }
  };
  return {
    expression,
    type: compiled.type,
    sharedKey: compiled.sharedKey,
    closures: compiled.closures,
    variableReads: compiled.variableReads,
    evaluateRaw,
    evaluate: (activation, runtime) => fromCel(evaluateRaw(activation, runtime)),
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
