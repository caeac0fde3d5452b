/**
 * @module List functions: Kubernetes' lists library (isSorted, sum, min, max, indexOf,
 * lastIndexOf), cel-go ext lists v3 (slice, flatten, distinct, reverse, sort, first, last,
 * lists.range) and ext sets (sets.contains, sets.equivalent, sets.intersects).
 */
import { Optional } from '@marcbachmann/cel-js';
import { celCompare, celEquals } from '../equality.js';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

type List = readonly unknown[];

function isSorted(l: List): boolean {
  for (let i = 1; i < l.length; i++) if (celCompare(l[i - 1], l[i]) > 0) return false;
  return true;
}

function sum(l: List): unknown {
  if (l.every((x) => typeof x === 'bigint')) return (l as bigint[]).reduce((a, b) => a + b, 0n);
  if (l.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
    return l.reduce<number>((a, b) => a + Number(b), 0);
  }
  throw new CelEvalError('sum: list elements must be numbers');
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
  const out: bigint[] = [];
  for (let i = 0n; i < n; i++) out.push(i);
  return out;
}

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
      { signature: 'list.sort(): list', impl: (l: List) => [...l].sort(celCompare) },
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
