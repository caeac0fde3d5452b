/**
 * @module An AST compiled into closures that evaluate it exactly as `evaluateNode` does: the same
 * budget step per node, before its children; the same missing keys, lenient and forgiving children,
 * order of evaluation and errors. The tree interpreter reads each node's type and fields through
 * loads that see every node shape (megamorphic); a closure holds its node's fields and children.
 * `evaluateNode` stays the reference (compile-ast.test.ts compares the two).
 */
import type { AstNode, ComparatorOp } from './ast.js';
import { JmespathError } from './errors.js';
import { JmespathExpref } from './expref.js';
import { cloneLiteral, type Evaluation, field, index, MissingKey, slice } from './interpreter.js';
import { forgiving, lenient } from './null-on-error.js';
import { callFunction } from './registry.js';
import { deepEqual, isFalse, isJsonObject, type JsonObject, setOwn } from './values.js';

/** A compiled node: its value on `value` (a MissingKey where evaluateNode answers one). */
export type CompiledNode = (value: unknown, ev: Evaluation) => unknown;

function project(items: readonly unknown[], right: CompiledNode, ev: Evaluation): unknown[] {
  const collected: unknown[] = [];
  for (const item of items) {
    const current = lenient(right, item, ev);
    if (current !== null && current !== undefined) collected.push(current);
  }
  return collected;
}

function compareValues(op: ComparatorOp, left: unknown, right: unknown, ev: Evaluation): unknown {
  switch (op) {
    case '==':
      return deepEqual(left, right, ev.budget);
    case '!=':
      return !deepEqual(left, right, ev.budget);
  }
  // Ordering is defined on numbers only; anything else compares to null.
  if (typeof left !== 'number' || typeof right !== 'number') return null;
  switch (op) {
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

/** Compiles `node` (and its children) once; the closures keep no state between evaluations. */
export function compileAst(node: AstNode): CompiledNode {
  switch (node.type) {
    case 'Identity':
    case 'Current':
      return (value, ev) => {
        ev.budget.spend();
        return value;
      };
    case 'Field':
      return (value, ev) => {
        ev.budget.spend();
        return field(value, node);
      };
    case 'Literal': {
      const literal = node.value;
      return (_value, ev) => {
        ev.budget.spend();
        return cloneLiteral(literal);
      };
    }
    case 'Index': {
      const i = node.index;
      return (value, ev) => {
        ev.budget.spend();
        return index(value, i);
      };
    }
    case 'Slice':
      return (value, ev) => {
        ev.budget.spend();
        return slice(value, node);
      };
    case 'Subexpression':
    case 'IndexExpression': {
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      return (value, ev) => {
        ev.budget.spend();
        const l = left(value, ev);
        if (l === undefined) return null;
        if (l instanceof MissingKey) return l;
        // go-jmespath does not stop at null: the right side runs on it (see the interpreter).
        return right(l, ev);
      };
    }
    case 'Pipe': {
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      return (value, ev) => {
        ev.budget.spend();
        return lenient(right, lenient(left, value, ev), ev);
      };
    }
    case 'Or': {
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      return (value, ev) => {
        ev.budget.spend();
        const l = lenient(left, value, ev);
        return isFalse(l) ? lenient(right, value, ev) : l;
      };
    }
    case 'And': {
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      return (value, ev) => {
        ev.budget.spend();
        const l = lenient(left, value, ev);
        return isFalse(l) ? l : right(value, ev);
      };
    }
    case 'Not': {
      const child = compileAst(node.child);
      return (value, ev) => {
        ev.budget.spend();
        return isFalse(lenient(child, value, ev));
      };
    }
    case 'Comparator': {
      const op = node.op;
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      return (value, ev) => {
        ev.budget.spend();
        const l = lenient(left, value, ev);
        const r = lenient(right, value, ev);
        return compareValues(op, l, r, ev);
      };
    }
    case 'Flatten': {
      const child = compileAst(node.child);
      return (value, ev) => {
        ev.budget.spend();
        const left = forgiving(child, value, ev);
        if (!Array.isArray(left)) return null;
        const flattened: unknown[] = [];
        for (const item of left) {
          if (Array.isArray(item)) flattened.push(...item);
          else flattened.push(item);
        }
        return flattened;
      };
    }
    case 'Projection': {
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      return (value, ev) => {
        ev.budget.spend();
        const l = lenient(left, value, ev);
        return Array.isArray(l) ? project(l, right, ev) : null;
      };
    }
    case 'ValueProjection': {
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      return (value, ev) => {
        ev.budget.spend();
        const l = forgiving(left, value, ev);
        return isJsonObject(l) ? project(Object.values(l), right, ev) : null;
      };
    }
    case 'FilterProjection': {
      const left = compileAst(node.left);
      const right = compileAst(node.right);
      const condition = compileAst(node.condition);
      return (value, ev) => {
        ev.budget.spend();
        const l = forgiving(left, value, ev);
        if (!Array.isArray(l)) return null;
        const kept = l.filter((item) => !isFalse(lenient(condition, item, ev)));
        return project(kept, right, ev);
      };
    }
    case 'MultiSelectList': {
      const children = node.children.map(compileAst);
      return (value, ev) => {
        ev.budget.spend();
        if (value === null || value === undefined) return null;
        return children.map((child) => lenient(child, value, ev) ?? null);
      };
    }
    case 'MultiSelectHash': {
      const entries = node.entries.map((entry) => ({ key: entry.key, value: compileAst(entry.value) }));
      return (value, ev) => {
        ev.budget.spend();
        if (value === null || value === undefined) return null;
        const out: JsonObject = {};
        for (const entry of entries) setOwn(out, entry.key, lenient(entry.value, value, ev) ?? null);
        return out;
      };
    }
    case 'ExpressionReference': {
      const child = compileAst(node.child);
      return (_value, ev) => {
        ev.budget.spend();
        return new JmespathExpref((data) => lenient(child, data, ev));
      };
    }
    case 'Function': {
      const name = node.name;
      const args = node.args.map(compileAst);
      return (value, ev) => {
        ev.budget.spend();
        const fn = ev.functions.get(name);
        if (fn === undefined) throw new JmespathError('unknown-function', `Unknown function: ${name}`);
        return callFunction(
          fn,
          args.map((arg) => lenient(arg, value, ev)),
          ev.context,
        );
      };
    }
  }
}
