/**
 * @module List functions: Kubernetes' lists library (isSorted, sum, min, max, indexOf,
 * lastIndexOf), cel-go ext lists v3 (slice, flatten, distinct, reverse, sort, sortBy, first,
 * last, lists.range) and ext sets (sets.contains, sets.equivalent, sets.intersects).
 */
import { Optional } from '@marcbachmann/cel-js';
import { chargeSteps } from '../budget.js';
import { Duration, UnsignedInt } from '../cel-js.js';
import { celCompare, celEquals } from '../equality.js';
import { CelEvalError } from '../errors.js';
import {
  type CelType,
  identifierOf,
  type MacroInput,
  type MacroNode,
  type OneVarMacro,
  oneVarType,
} from './macro-support.js';
import { type CelFunctionEntry, type CelLibrary, namespaceLibraryParts } from './types.js';

type List = readonly unknown[];

function isSorted(l: List): boolean {
  for (let i = 1; i < l.length; i++) if (celCompare(l[i - 1], l[i]) > 0) return false;
  return true;
}

const UINT64_MAX = 18446744073709551615n;

/** Kubernetes `sum()`: int, uint, double or duration elements; an empty list sums to int 0. */
function sum(l: List): unknown {
  if (l.every((x) => typeof x === 'bigint')) return (l as bigint[]).reduce((a, b) => a + b, 0n);
  if (l.every((x) => x instanceof UnsignedInt)) {
    const total = (l as UnsignedInt[]).reduce((a, b) => a + b.valueOf(), 0n);
    if (total > UINT64_MAX) throw new CelEvalError('unsigned integer overflow');
    return new UnsignedInt(total);
  }
  if (l.every((x) => typeof x === 'number')) return (l as number[]).reduce((a, b) => a + b, 0);
  if (l.every((x) => x instanceof Duration)) {
    return (l as Duration[]).slice(1).reduce((a, b) => a.addDuration(b), l[0] as Duration);
  }
  throw new CelEvalError('no such overload: sum() needs a list of int, uint, double or duration');
}

function extreme(name: string, l: List, sign: 1 | -1): unknown {
  if (l.length === 0) throw new CelEvalError(`${name} called on empty list`);
  let best = l[0];
  for (const x of l.slice(1)) if (celCompare(x, best) * sign > 0) best = x;
  return best;
}

function indexOf(l: List, v: unknown): bigint {
  return BigInt(l.findIndex((x) => celEquals(x, v)));
}

function lastIndexOf(l: List, v: unknown): bigint {
  for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
  return -1n;
}

function slice(l: List, start: bigint, end: bigint): unknown[] {
  if (start < 0n || end < 0n)
    throw new CelEvalError(`cannot slice(${start}, ${end}), negative indexes not supported`);
  if (start > end)
    throw new CelEvalError(
      `cannot slice(${start}, ${end}), start index must be less than or equal to end index`,
    );
  if (end > BigInt(l.length))
    throw new CelEvalError(`cannot slice(${start}, ${end}), list is length ${l.length}`);
  return l.slice(Number(start), Number(end));
}

function flatten(l: List, depth: bigint): unknown[] {
  if (depth < 0n) throw new CelEvalError('level must be non-negative');
  const out: unknown[] = [];
  for (const x of l) {
    if (Array.isArray(x) && depth > 0n) out.push(...flatten(x, depth - 1n));
    else out.push(x);
  }
  return out;
}

function distinct(l: List): unknown[] {
  const out: unknown[] = [];
  for (const x of l) if (!out.some((y) => celEquals(x, y))) out.push(x);
  return out;
}

function range(n: bigint): bigint[] {
  if (n > 1_000_000n) throw new CelEvalError('lists.range: size too large');
  // Charged before allocating, so nested ranges stop at the cost limit instead of exhausting memory.
  chargeSteps(Number(n));
  const out: bigint[] = [];
  for (let i = 0n; i < n; i++) out.push(i);
  return out;
}

/** Sorts by `celCompare`; elements must be mutually comparable (cel-go: same orderable type). */
function sortList(l: List): unknown[] {
  return [...l].sort(celCompare);
}

/** `list.sortBy(e, keyExpr)`: a stable sort of the list by the key computed for each element. */
const sortBy: CelFunctionEntry = {
  signature: 'dyn.sortBy(ast, ast): list',
  impl: ({ args, receiver }: MacroInput): OneVarMacro => {
    if (receiver === null) throw new CelEvalError('sortBy must be called on a list');
    return {
      receiver,
      name: identifierOf(args[0], 'sortBy'),
      body: args[1] as MacroNode,
      async: false,
      typeCheck(chk, m, ctx) {
        const listType = chk.check(m.receiver, ctx);
        if (listType.kind !== 'list' && listType.kind !== 'dyn') {
          throw chk.createError('invalid_argument', 'sortBy must be called on a list', m.receiver);
        }
        m.varType = oneVarType(chk, listType, m.receiver);
        chk.check(m.body, ctx.forkWithVariable(m.name, m.varType));
        return listType.kind === 'list' ? listType : chk.registry.getListType(chk.dynType);
      },
      evaluate(ev, m, ctx) {
        const list = ev.run(m.receiver, ctx);
        if (!Array.isArray(list)) throw new CelEvalError('sortBy must be called on a list');
        const c = ctx.forkWithVariable(m.name, m.varType as CelType);
        const keyed = list.map((item, index) => {
          c.iterValue = item;
          return { item, index, key: ev.run(m.body, c) };
        });
        keyed.sort((a, b) => celCompare(a.key, b.key) || a.index - b.index);
        return keyed.map((k) => k.item);
      },
    };
  },
};

const contains = (a: List, b: List) => b.every((x) => a.some((y) => celEquals(x, y)));

export function listsLibrary(): CelLibrary {
  const lists = namespaceLibraryParts('ListsNamespace', 'lists');
  const sets = namespaceLibraryParts('SetsNamespace', 'sets');
  return {
    name: 'lists',
    types: [...lists.types, ...sets.types],
    constants: [...lists.constants, ...sets.constants],
    functions: [
      { signature: 'list.isSorted(): bool', impl: isSorted },
      { signature: 'list.sum(): dyn', impl: sum },
      { signature: 'list.min(): dyn', impl: (l: List) => extreme('min', l, -1) },
      { signature: 'list.max(): dyn', impl: (l: List) => extreme('max', l, 1) },
      { signature: 'list.indexOf(dyn): int', impl: indexOf },
      { signature: 'list.lastIndexOf(dyn): int', impl: lastIndexOf },
      { signature: 'list.slice(int, int): list', impl: slice },
      { signature: 'list.flatten(): list', impl: (l: List) => flatten(l, 1n) },
      { signature: 'list.flatten(int): list', impl: flatten },
      { signature: 'list.distinct(): list', impl: distinct },
      { signature: 'list.reverse(): list', impl: (l: List) => [...l].reverse() },
      { signature: 'list.sort(): list', impl: sortList },
      sortBy,
      {
        signature: 'list.first(): optional<dyn>',
        impl: (l: List) => (l.length > 0 ? Optional.of(l[0]) : Optional.none()),
      },
      {
        signature: 'list.last(): optional<dyn>',
        impl: (l: List) => (l.length > 0 ? Optional.of(l[l.length - 1]) : Optional.none()),
      },
      { signature: 'ListsNamespace.range(int): list<int>', impl: (_: unknown, n: bigint) => range(n) },
      {
        signature: 'SetsNamespace.contains(list, list): bool',
        impl: (_: unknown, a: List, b: List) => contains(a, b),
      },
      {
        signature: 'SetsNamespace.equivalent(list, list): bool',
        impl: (_: unknown, a: List, b: List) => contains(a, b) && contains(b, a),
      },
      {
        signature: 'SetsNamespace.intersects(list, list): bool',
        impl: (_: unknown, a: List, b: List) => a.some((x) => b.some((y) => celEquals(x, y))),
      },
    ],
  };
}
