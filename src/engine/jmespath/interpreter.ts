/**
 * @module Tree interpreter with Kyverno's go-jmespath semantics.
 *
 * A missing map key raises `not-found` (`Unknown key "x" in path`) and propagates through
 * sub-expressions and index expressions. It is swallowed (read as null) by: both sides of `||`,
 * the left side of `&&`, the operand of `!`, both sides of comparators, function arguments,
 * expression references, each multi-select element, each side of `|`, the left side and each
 * element of projections, and filter conditions. The left side of `[]`, `[?…]` and `*` swallows
 * every evaluation error, as Kyverno's interpreter does.
 */
import { type AstNode, type ComparatorNode, type FieldNode, MissingKey, type SliceNode } from './ast.js';
import type { Budget } from './budget.js';
import { JmespathError } from './errors.js';
import { JmespathExpref } from './expref.js';
import type { FunctionContext } from './functions/types.js';
import { forgiving as readForgiving, lenient as readLenient } from './null-on-error.js';
import { callFunction, type RegisteredFunction } from './registry.js';
import { deepEqual, isFalse, isJsonObject, type JsonObject, setOwn } from './values.js';

export interface Evaluation {
  readonly functions: ReadonlyMap<string, RegisteredFunction>;
  readonly context: FunctionContext;
  readonly budget: Budget;
}

export { MissingKey } from './ast.js';

/** Evaluates `node`, a not-found error or missing key reading as null (null-on-error.ts). */
function lenient(node: AstNode, value: unknown, ev: Evaluation): unknown {
  return readLenient((v, e: Evaluation) => evaluateNode(node, v, e), value, ev);
}

/** Evaluates `node`, any evaluation error but a resource limit reading as null. */
function forgiving(node: AstNode, value: unknown, ev: Evaluation): unknown {
  return readForgiving((v, e: Evaluation) => evaluateNode(node, v, e), value, ev);
}

export function cloneLiteral(value: unknown): unknown {
  // Literals live in the cached AST; callers may mutate what a search returns.
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

export function field(value: unknown, node: FieldNode): unknown {
  if (!isJsonObject(value)) return null;
  const name = node.name;
  // One read of the key (data maps have many shapes, so each read is a slow lookup), and the own
  // check only for a value found: inherited keys (`constructor`, `toString`) are missing too.
  const found = value[name];
  return found === undefined || !Object.hasOwn(value, name) ? node.missing : found;
}

export function index(value: unknown, i: number): unknown {
  if (!Array.isArray(value)) return null;
  const at = i < 0 ? value.length + i : i;
  return at >= 0 && at < value.length ? (value[at] ?? null) : null;
}

export function slice(value: unknown, node: SliceNode): unknown {
  if (!Array.isArray(value)) return null;
  const length = value.length;
  const step = node.step ?? 1;
  const clamp = (n: number | null, dflt: number): number => {
    if (n === null) return dflt;
    if (n < 0) return Math.max(n + length, step < 0 ? -1 : 0);
    return Math.min(n, step < 0 ? length - 1 : length);
  };
  const start = clamp(node.start, step < 0 ? length - 1 : 0);
  const stop = clamp(node.stop, step < 0 ? -1 : length);
  const out: unknown[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(value[i]);
  else for (let i = start; i > stop; i += step) out.push(value[i]);
  return out;
}

function compare(node: ComparatorNode, value: unknown, ev: Evaluation): unknown {
  const left = lenient(node.left, value, ev);
  const right = lenient(node.right, value, ev);
  switch (node.op) {
    case '==':
      return deepEqual(left, right, ev.budget);
    case '!=':
      return !deepEqual(left, right, ev.budget);
  }
  // Ordering is defined on numbers only; anything else compares to null.
  if (typeof left !== 'number' || typeof right !== 'number') return null;
  switch (node.op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

function project(items: readonly unknown[], right: AstNode, ev: Evaluation): unknown[] {
  const collected: unknown[] = [];
  for (const item of items) {
    const current = lenient(right, item, ev);
    if (current !== null && current !== undefined) collected.push(current);
  }
  return collected;
}

function call(name: string, argNodes: readonly AstNode[], value: unknown, ev: Evaluation): unknown {
  const fn = ev.functions.get(name);
  if (fn === undefined) throw new JmespathError('unknown-function', `Unknown function: ${name}`);
  const args = argNodes.map((arg) => lenient(arg, value, ev));
  return callFunction(fn, args, ev.context);
}

export function evaluateNode(node: AstNode, value: unknown, ev: Evaluation): unknown {
  ev.budget.spend();
  switch (node.type) {
    case 'Identity':
    case 'Current':
      return value;
    case 'Field':
      return field(value, node);
    case 'Literal':
      return cloneLiteral(node.value);
    case 'Index':
      return index(value, node.index);
    case 'Slice':
      return slice(value, node);
    case 'Subexpression':
    case 'IndexExpression': {
      const left = evaluateNode(node.left, value, ev);
      if (left === undefined) return null;
      if (left instanceof MissingKey) return left;
      // go-jmespath does not stop at null: the right side runs on it (a field or index of null is
      // null, but a function such as `keys(@)` or `length(@)` then fails on its null argument).
      return evaluateNode(node.right, left, ev);
    }
    case 'Pipe':
      return lenient(node.right, lenient(node.left, value, ev), ev);
    case 'Or': {
      const left = lenient(node.left, value, ev);
      return isFalse(left) ? lenient(node.right, value, ev) : left;
    }
    case 'And': {
      const left = lenient(node.left, value, ev);
      return isFalse(left) ? left : evaluateNode(node.right, value, ev);
    }
    case 'Not':
      return isFalse(lenient(node.child, value, ev));
    case 'Comparator':
      return compare(node, value, ev);
    case 'Flatten': {
      const left = forgiving(node.child, value, ev);
      if (!Array.isArray(left)) return null;
      const flattened: unknown[] = [];
      for (const item of left) {
        if (Array.isArray(item)) flattened.push(...item);
        else flattened.push(item);
      }
      return flattened;
    }
    case 'Projection': {
      const left = lenient(node.left, value, ev);
      return Array.isArray(left) ? project(left, node.right, ev) : null;
    }
    case 'ValueProjection': {
      const left = forgiving(node.left, value, ev);
      return isJsonObject(left) ? project(Object.values(left), node.right, ev) : null;
    }
    case 'FilterProjection': {
      const left = forgiving(node.left, value, ev);
      if (!Array.isArray(left)) return null;
      const kept = left.filter((item) => !isFalse(lenient(node.condition, item, ev)));
      return project(kept, node.right, ev);
    }
    case 'MultiSelectList':
      if (value === null || value === undefined) return null;
      return node.children.map((child) => lenient(child, value, ev) ?? null);
    case 'MultiSelectHash': {
      if (value === null || value === undefined) return null;
      const out: JsonObject = {};
      for (const entry of node.entries) setOwn(out, entry.key, lenient(entry.value, value, ev) ?? null);
      return out;
    }
    case 'ExpressionReference': {
      const child = node.child;
      return new JmespathExpref((data) => lenient(child, data, ev));
    }
    case 'Function':
      return call(node.name, node.args, value, ev);
  }
}
