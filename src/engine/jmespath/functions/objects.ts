/** @module Object functions: lookup, items, object_from_lists, label_match. */
import { fail, failArgType, isRecord, toInteger } from './function-errors.js';
import { scalarToString } from './scalar-to-string.js';
import type { FunctionEntry } from './types.js';

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** Go's `sort.Strings`: byte order of UTF-8, which equals code-point order. */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function lookup(collection: unknown, key: unknown): unknown {
  if (isRecord(collection)) {
    if (typeof key !== 'string') return failArgType('lookup', 2, 'String');
    return Object.hasOwn(collection, key) ? collection[key] : null;
  }
  if (Array.isArray(collection)) {
    if (typeof key !== 'number') return failArgType('lookup', 2, 'Number');
    const index = toInteger(key);
    if (typeof index === 'string') return fail('lookup', `argument #2: ${index}`);
    return index < 0 || index >= collection.length ? null : collection[index];
  }
  return failArgType('lookup', 1, 'Object or Array');
}

function items(collection: unknown, keyName: string, valName: string): unknown[] {
  if (isRecord(collection)) {
    return Object.keys(collection)
      .sort(byCodePoint)
      .map((k) => ({ [keyName]: k, [valName]: collection[k] }));
  }
  if (Array.isArray(collection)) return collection.map((v, i) => ({ [keyName]: i, [valName]: v }));
  return failArgType('items', 1, 'Object or Array');
}

function objectFromLists(keys: readonly unknown[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    const key = scalarToString(k);
    if (key === undefined) failArgType('object_from_lists', 1, 'StringArray');
    out[key] = i < values.length ? values[i] : null;
  });
  return out;
}

export const objectFunctions: readonly FunctionEntry[] = [
  {
    name: 'lookup',
    args: [{ types: ['object', 'array'] }, { types: ['string', 'number'] }],
    returns: ['any'],
    note: 'returns the value corresponding to the given key/index in the given object/array',
    impl: ([collection, key]) => lookup(collection, key),
  },
  {
    name: 'items',
    args: [{ types: ['object', 'array'] }, { types: ['string'] }, { types: ['string'] }],
    returns: ['array'],
    note: 'converts a map or array to an array of objects where each key:value is an item in the array',
    impl: ([collection, keyName, valName]) => items(collection, keyName as string, valName as string),
  },
  {
    name: 'object_from_lists',
    args: [{ types: ['array'] }, { types: ['array'] }],
    returns: ['object'],
    note: 'converts a pair of lists containing keys and values to an object',
    impl: ([keys, values]) => objectFromLists(keys as unknown[], values as unknown[]),
  },
  {
    name: 'label_match',
    args: [{ types: ['object'] }, { types: ['object'] }],
    returns: ['boolean'],
    note: 'object arguments must be enclosed in backticks; ex. `{{request.object.spec.template.metadata.labels}}`',
    impl: ([selector, labels]) => {
      const sel = selector as Record<string, unknown>;
      const set = labels as Record<string, unknown>;
      return Object.keys(sel).every((k) => Object.hasOwn(set, k) && deepEqual(sel[k], set[k]));
    },
  },
];
