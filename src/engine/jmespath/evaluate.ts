/**
 * @module Public JMESPath API of the engine: compile once (with unknown functions rejected),
 * search many times with Kyverno's go-jmespath semantics and function table.
 */
import type { AstNode } from './ast.js';
import { childrenOf } from './ast.js';
import { attachBudget, Budget, DEFAULT_STEP_LIMIT } from './budget.js';
import { builtinFunctions } from './builtins.js';
import { JmespathError } from './errors.js';
import { formatAst } from './format-ast.js';
import { kyvernoFunctions } from './functions/index.js';
import type { FunctionContext, FunctionEntry } from './functions/types.js';
import { evaluateNode } from './interpreter.js';
import { parseJmespath } from './parser.js';
import { buildRegistry, type RegisteredFunction } from './registry.js';

export type { JmespathErrorCode } from './errors.js';
export { JmespathError } from './errors.js';
export { JmespathExpref } from './expref.js';

export interface CompiledJmespath {
  readonly expression: string;
  /** Throws JmespathError. */
  search(data: unknown, ctx?: FunctionContext): unknown;
}

let registry: ReadonlyMap<string, RegisteredFunction> | undefined;

/** Built lazily so the Kyverno table (a separate module) is fully initialised first. */
function functions(): ReadonlyMap<string, RegisteredFunction> {
  registry ??= buildRegistry(builtinFunctions, kyvernoFunctions);
  return registry;
}

function checkFunctionNames(root: AstNode, table: ReadonlyMap<string, RegisteredFunction>): void {
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AstNode;
    if (node.type === 'Function' && !table.has(node.name)) {
      throw new JmespathError('unknown-function', `Unknown function: ${node.name}`);
    }
    stack.push(...childrenOf(node));
  }
}

function wrapUnexpected(error: unknown): JmespathError {
  if (error instanceof JmespathError) return error;
  // A stack overflow or a bug in a function must not escape as a raw error.
  const reason = error instanceof Error ? error.message : String(error);
  return new JmespathError('function', `JMESPath evaluation failed: ${reason}`, { cause: error });
}

class Compiled implements CompiledJmespath {
  readonly expression: string;
  readonly #ast: AstNode;
  constructor(expression: string, ast: AstNode) {
    this.expression = expression;
    this.#ast = ast;
  }
  search(data: unknown, ctx: FunctionContext = {}): unknown {
    let budget: Budget;
    try {
      budget = new Budget(DEFAULT_STEP_LIMIT, ctx.meter, this.expression);
    } catch (error) {
      throw wrapUnexpected(error);
    }
    // A fresh object per search carries this search's budget to the functions.
    const context: FunctionContext = { ...ctx };
    attachBudget(context, budget);
    try {
      const result = evaluateNode(this.#ast, data === undefined ? null : data, {
        functions: functions(),
        context,
        budget,
      });
      budget.settle();
      return result === undefined ? null : result;
    } catch (error) {
      try {
        budget.settle();
      } catch {
        // The limit this reports is already recorded by the meter; the first error is the one to show.
      }
      throw wrapUnexpected(error);
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
  checkFunctionNames(ast, functions());
  return new Compiled(expression, ast);
}

const CACHE_LIMIT = 2000;
const cache = new Map<string, CompiledJmespath>();

function cachedCompile(expression: string): CompiledJmespath {
  const hit = cache.get(expression);
  if (hit !== undefined) return hit;
  const compiled = compileJmespath(expression);
  // Oldest-first eviction keeps memory bounded without tracking recency.
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(expression, compiled);
  return compiled;
}

/** Compiles (cached) and searches. Throws JmespathError. */
export function searchJmespath(expression: string, data: unknown, ctx?: FunctionContext): unknown {
  return cachedCompile(expression).search(data, ctx);
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
