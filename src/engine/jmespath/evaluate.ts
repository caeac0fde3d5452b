/**
 * @module Public JMESPath API of the engine: compile once (with unknown functions rejected),
 * search many times with Kyverno's go-jmespath semantics and function table. Compiled expressions
 * are kept by their owner (a `CompileMemo`), never here.
 */
import type { AstNode } from './ast.js';
import { childrenOf } from './ast.js';
import { Budget, DEFAULT_STEP_LIMIT, enterSearch, leaveSearch } from './budget.js';
import { builtinFunctions } from './builtins.js';
import { type CompiledNode, compileAst } from './compile-ast.js';
import { JmespathError, notFoundError } from './errors.js';
import { formatAst } from './format-ast.js';
import { kyvernoFunctions } from './functions/index.js';
import type { FunctionContext, FunctionEntry } from './functions/types.js';
import { MissingKey } from './interpreter.js';
import { parseJmespath } from './parser.js';
import { buildRegistry, type RegisteredFunction } from './registry.js';

export type { JmespathErrorCode } from './errors.js';
export { JmespathError } from './errors.js';
export { JmespathExpref } from './expref.js';

export interface CompiledJmespath {
  readonly expression: string;
  /** Literal patterns of its regex functions (`regex_match('^a', x)`): compiled with the expression. */
  readonly regexLiterals: readonly string[];
  /** Throws JmespathError. */
  search(data: unknown, ctx?: FunctionContext): unknown;
}

let registry: ReadonlyMap<string, RegisteredFunction> | undefined;

/** Built lazily so the Kyverno table (a separate module) is fully initialised first. */
function functions(): ReadonlyMap<string, RegisteredFunction> {
  registry ??= buildRegistry(builtinFunctions, kyvernoFunctions);
  return registry;
}

/** Functions whose first argument is an RE2 pattern. */
const REGEX_FUNCTIONS: ReadonlySet<string> = new Set([
  'regex_match',
  'regex_replace_all',
  'regex_replace_all_literal',
]);

/** Checks function names; answers the literal patterns given to regex functions and whether it calls any. */
function checkFunctionNames(
  root: AstNode,
  table: ReadonlyMap<string, RegisteredFunction>,
): { patterns: string[]; calls: boolean } {
  const patterns: string[] = [];
  let calls = false;
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AstNode;
    if (node.type === 'Function') {
      calls = true;
      if (!table.has(node.name))
        throw new JmespathError('unknown-function', `Unknown function: ${node.name}`);
      const first = node.args[0];
      if (REGEX_FUNCTIONS.has(node.name) && first?.type === 'Literal' && typeof first.value === 'string')
        patterns.push(first.value);
    }
    stack.push(...childrenOf(node));
  }
  return { patterns, calls };
}

function wrapUnexpected(error: unknown): JmespathError {
  if (error instanceof JmespathError) return error;
  // A stack overflow or a bug in a function must not escape as a raw error.
  const reason = error instanceof Error ? error.message : String(error);
  return new JmespathError('function', `JMESPath evaluation failed: ${reason}`, { cause: error });
}

class Compiled implements CompiledJmespath {
  readonly expression: string;
  readonly regexLiterals: readonly string[];
  /** The AST compiled into closures (compile-ast.ts), evaluated as the interpreter evaluates it. */
  readonly #run: CompiledNode;
  constructor(expression: string, ast: AstNode, regexLiterals: readonly string[]) {
    this.expression = expression;
    this.#run = compileAst(ast);
    this.regexLiterals = regexLiterals;
  }
  search(data: unknown, ctx: FunctionContext = {}): unknown {
    let budget: Budget;
    try {
      budget = new Budget(DEFAULT_STEP_LIMIT, ctx.meter, this.expression);
    } catch (error) {
      throw wrapUnexpected(error);
    }
    // Functions find this search's budget through `budgetOf` (no copy of the context per search).
    const outer = enterSearch(budget);
    try {
      const result = this.#run(data === undefined ? null : data, {
        functions: functions(),
        context: ctx,
        budget,
      });
      budget.settle();
      if (result instanceof MissingKey) throw notFoundError(result.key);
      return result === undefined ? null : result;
    } catch (error) {
      try {
        budget.settle();
      } catch {
        // The limit this reports is already recorded by the meter; the first error is the one to show.
      }
      throw wrapUnexpected(error);
    } finally {
      leaveSearch(outer);
    }
  }
}

/** Parses (2015 grammar) and checks function names. Throws JmespathError ('syntax' | 'unknown-function'). */
export function compileJmespath(expression: string): CompiledJmespath {
  let ast: AstNode;
  try {
    ast = parseJmespath(expression);
  } catch (error) {
    throw wrapUnexpected(error);
  }
  const { patterns } = checkFunctionNames(ast, functions());
  return new Compiled(expression, ast, patterns);
}

/**
 * Compiles and searches; the compiled expression comes from `ctx.memo` when given (the evaluation's
 * owner keeps it), else it is compiled for this search only. Throws JmespathError.
 */
export function searchJmespath(expression: string, data: unknown, ctx?: FunctionContext): unknown {
  const memo = ctx?.memo;
  return (memo !== undefined ? memo.jmespath(expression) : compileJmespath(expression)).search(data, ctx);
}

/** Built-ins and Kyverno's functions (Kyverno's replace built-ins of the same name), sorted by name. */
export function listFunctions(): readonly FunctionEntry[] {
  return [...functions().values()]
    .map((fn) => fn.entry)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The parse tree, one node per line. Throws JmespathError('syntax'). */
export function formatJmespathAst(expression: string): string {
  try {
    return formatAst(parseJmespath(expression));
  } catch (error) {
    throw wrapUnexpected(error);
  }
}
