/**
 * @module Helpers for CEL macros registered on cel-js (`name(ast, …)` overloads): the handler runs
 * at parse time and returns `typeCheck`/`evaluate` hooks. These helpers describe the slice of the
 * cel-js checker/evaluator/context API the macros use, and iterate collections as cel-go does.
 */
import { CelEvalError } from '../errors.js';
import { isMapPrototype } from '../map-prototype.js';

export interface CelType {
  readonly kind: string;
  readonly name?: string;
  readonly valueType?: CelType;
  readonly keyType?: CelType;
  isDynOrBool(): boolean;
}

export interface MacroChecker {
  readonly dynType: CelType;
  readonly intType: CelType;
  readonly boolType: CelType;
  readonly registry: { getListType(t: CelType): CelType; getMapType(k: CelType, v: CelType): CelType };
  check(node: unknown, ctx: MacroContext): CelType;
  getType(name: string): CelType;
  createError(code: string, message: string, node: unknown): Error;
}

export interface MacroContext {
  forkWithVariable(name: string, type: CelType): MacroContext & { iterValue?: unknown };
}

export interface MacroEvaluator {
  run(node: unknown, ctx: MacroContext): unknown;
  tryEval(node: unknown, ctx: MacroContext): unknown;
}

export interface MacroNode {
  readonly op: string;
  readonly args: unknown;
}

export interface MacroInput {
  readonly ast: unknown;
  readonly args: readonly MacroNode[];
  readonly receiver: MacroNode | null;
}

/**
 * A macro `receiver.f(x, body)` that binds one iteration variable `name` in `body`; the type check
 * records the variable's type for evaluation.
 */
export interface OneVarMacro {
  readonly receiver: MacroNode;
  readonly name: string;
  readonly body: MacroNode;
  varType?: CelType;
  readonly async: false;
  typeCheck(chk: MacroChecker, m: OneVarMacro, ctx: MacroContext): CelType;
  evaluate(ev: MacroEvaluator, m: OneVarMacro, ctx: MacroContext): unknown;
}

/** The iteration variable name of a macro argument (must be a plain identifier). */
export function identifierOf(node: MacroNode | undefined, macro: string): string {
  if (node?.op === 'id' && typeof node.args === 'string') return node.args;
  throw new CelEvalError(`${macro}: argument must be a simple name`);
}

/** (first, second) variable types when iterating a collection of `type`: list → (int, elem), map → (key, value). */
export function twoVarTypes(chk: MacroChecker, type: CelType, node: unknown): [CelType, CelType] {
  if (type.kind === 'list') return [chk.intType, type.valueType ?? chk.dynType];
  if (type.kind === 'map') return [type.keyType ?? chk.dynType, type.valueType ?? chk.dynType];
  if (type.kind === 'dyn') return [chk.dynType, chk.dynType];
  throw chk.createError(
    'invalid_comprehension_range',
    `expression of type '${type.name ?? type.kind}' cannot be range of a comprehension (must be list, map, or dynamic)`,
    node,
  );
}

/** The element type of a single-variable iteration over `type` (list element or map key). */
export function oneVarType(chk: MacroChecker, type: CelType, node: unknown): CelType {
  if (type.kind === 'list') return type.valueType ?? chk.dynType;
  return twoVarTypes(chk, type, node)[0];
}

export function requireBool(chk: MacroChecker, type: CelType, node: unknown, what: string): void {
  if (!type.isDynOrBool()) {
    throw chk.createError(
      'invalid_condition_type',
      `${what} must return bool, got '${type.name ?? type.kind}'`,
      node,
    );
  }
}

/** The (key, value) pairs of a runtime list (index, element) or map (key, value). */
export function entriesOf(coll: unknown): Array<[unknown, unknown]> {
  if (Array.isArray(coll)) return coll.map((v, i) => [BigInt(i), v]);
  if (coll instanceof Set) return [...coll].map((v, i) => [BigInt(i), v]);
  if (coll instanceof Map) return [...coll.entries()];
  if (typeof coll === 'object' && coll !== null && !(coll instanceof Uint8Array)) {
    if (isMapPrototype(Object.getPrototypeOf(coll))) return Object.entries(coll);
  }
  throw new CelEvalError(`expression of type '${typeName(coll)}' cannot be range of a comprehension`);
}

function typeName(v: unknown): string {
  if (v === null) return 'null_type';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'dyn';
}

/** A map value in cel-js' representation: a null-prototype object when every key is a string. */
export function buildMap(entries: ReadonlyArray<readonly [unknown, unknown]>): unknown {
  if (entries.every(([k]) => typeof k === 'string')) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of entries) out[k as string] = v;
    return out;
  }
  return new Map(entries);
}

/** Raises a predicate result that is not a bool (cel-go: "no matching overload"). */
export function asBool(value: unknown): boolean | Error {
  if (typeof value === 'boolean' || value instanceof Error) return value;
  return new CelEvalError(`no such overload: predicate returned ${typeName(value)}, want bool`);
}
