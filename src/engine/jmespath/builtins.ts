/** @module The JMESPath spec's built-in functions, with go-jmespath's signatures and behaviour. */

import { budgetOf } from './budget.js';
import { JmespathError } from './errors.js';
import type { JmespathExpref } from './expref.js';
import type { FunctionContext, JpType } from './functions/types.js';
import type { ArgSpec, ArgType, RegisteredFunction } from './registry.js';
import { deepEqual, goJsonMarshal, type JsonObject, jpTypeOf, setOwn } from './values.js';

type Impl = (args: readonly unknown[], context: FunctionContext) => unknown;

function publicType(type: ArgType): JpType {
  return type === 'array[number]' || type === 'array[string]' ? 'array' : type;
}

function builtin(
  name: string,
  args: readonly ArgSpec[],
  returns: readonly JpType[],
  note: string,
  impl: Impl,
) {
  const shown = args.map((a) => {
    const types = a.types.map(publicType).filter((t, i, all) => all.indexOf(t) === i);
    return { ...a, types };
  });
  const fn: RegisteredFunction = { name, args, entry: { name, args: shown, returns, note, impl } };
  return fn;
}

const arg = (...types: ArgType[]): ArgSpec => ({ types });
const variadic = (...types: ArgType[]): ArgSpec => ({ types, variadic: true });

function invalid(message: string): JmespathError {
  return new JmespathError('invalid-type', message);
}

/** Decimal floats as Go's strconv.ParseFloat reads them (no whitespace, no hex). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function compareKeys(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Evaluates `&expr` on every item; all keys must be numbers or all strings (by the first one). */
function keysOf(name: string, items: readonly unknown[], expref: JmespathExpref): (number | string)[] {
  const keys = items.map((item) => expref.evaluate(item));
  const first = jpTypeOf(keys[0]);
  if (first !== 'number' && first !== 'string')
    throw invalid(`${name}: invalid type, must be number or string`);
  for (const key of keys) {
    if (jpTypeOf(key) !== first) throw invalid(`${name}: invalid type, must be ${first}`);
  }
  return keys as (number | string)[];
}

function extremeBy(name: string, items: readonly unknown[], expref: JmespathExpref, sign: 1 | -1): unknown {
  if (items.length === 0) return null;
  const keys = keysOf(name, items, expref);
  let best = 0;
  for (let i = 1; i < items.length; i++) {
    if (compareKeys(keys[i] as number | string, keys[best] as number | string) * sign > 0) best = i;
  }
  return items[best];
}

function extreme(items: readonly (number | string)[], sign: 1 | -1): unknown {
  if (items.length === 0) return null;
  let best = items[0] as number | string;
  for (const item of items) if (compareKeys(item, best) * sign > 0) best = item;
  return best;
}

export const builtinFunctions: readonly RegisteredFunction[] = [
  builtin('abs', [arg('number')], ['number'], 'Absolute value of a number.', ([n]) => Math.abs(n as number)),
  builtin(
    'avg',
    [arg('array[number]')],
    ['number'],
    'Average of an array of numbers (an error when empty).',
    ([a]) => {
      const items = a as number[];
      // go-jmespath divides by zero into NaN, which Kyverno cannot carry as a JSON value.
      if (items.length === 0) throw new JmespathError('function', 'json: unsupported value: NaN');
      return items.reduce((s, n) => s + n, 0) / items.length;
    },
  ),
  builtin('ceil', [arg('number')], ['number'], 'Smallest integer not below the number.', ([n]) =>
    Math.ceil(n as number),
  ),
  builtin(
    'contains',
    [arg('array', 'string'), arg('any')],
    ['boolean'],
    'Whether an array holds a value, or a string a substring.',
    ([subject, search], context) => {
      if (typeof subject === 'string') return typeof search === 'string' && subject.includes(search);
      const budget = budgetOf(context);
      return (subject as unknown[]).some((item) => deepEqual(item, search, budget));
    },
  ),
  builtin(
    'ends_with',
    [arg('string'), arg('string')],
    ['boolean'],
    'Whether a string ends with a suffix.',
    ([s, x]) => (s as string).endsWith(x as string),
  ),
  builtin('floor', [arg('number')], ['number'], 'Largest integer not above the number.', ([n]) =>
    Math.floor(n as number),
  ),
  builtin(
    'join',
    [arg('string'), arg('array[string]')],
    ['string'],
    'Joins strings with a separator.',
    ([sep, a], context) => {
      const items = a as string[];
      const separator = sep as string;
      // Measured before joining: `join` over a value and itself doubles it (Kyverno CVE-2026-23881).
      let length = Math.max(0, items.length - 1) * separator.length;
      for (const item of items) length += item.length;
      budgetOf(context).output('join', length);
      return items.join(separator);
    },
  ),
  builtin('keys', [arg('object')], ['array'], 'Keys of an object.', ([o]) => Object.keys(o as JsonObject)),
  builtin(
    'length',
    [arg('string', 'array', 'object')],
    ['number'],
    'Characters in a string, items in an array or keys in an object.',
    ([v]) => {
      if (typeof v === 'string') return [...v].length;
      if (Array.isArray(v)) return v.length;
      return Object.keys(v as JsonObject).length;
    },
  ),
  builtin('map', [arg('expref'), arg('array')], ['array'], 'Applies an expression to every item.', ([e, a]) =>
    (a as unknown[]).map((item) => {
      const r = (e as JmespathExpref).evaluate(item);
      return r === undefined ? null : r;
    }),
  ),
  builtin(
    'max',
    [arg('array[number]', 'array[string]')],
    ['number', 'string'],
    'Largest number or string.',
    ([a]) => extreme(a as (number | string)[], 1),
  ),
  builtin('max_by', [arg('array'), arg('expref')], ['any'], 'Item with the largest key.', ([a, e]) =>
    extremeBy('max_by', a as unknown[], e as JmespathExpref, 1),
  ),
  builtin('merge', [variadic('object')], ['object'], 'Merges objects; later keys win.', (objects) => {
    const merged: JsonObject = {};
    for (const o of objects) for (const [k, v] of Object.entries(o as JsonObject)) setOwn(merged, k, v);
    return merged;
  }),
  builtin(
    'min',
    [arg('array[number]', 'array[string]')],
    ['number', 'string'],
    'Smallest number or string.',
    ([a]) => extreme(a as (number | string)[], -1),
  ),
  builtin('min_by', [arg('array'), arg('expref')], ['any'], 'Item with the smallest key.', ([a, e]) =>
    extremeBy('min_by', a as unknown[], e as JmespathExpref, -1),
  ),
  builtin('not_null', [variadic('any')], ['any'], 'First argument that is not null.', (values) => {
    for (const v of values) if (v !== null && v !== undefined) return v;
    return null;
  }),
  builtin(
    'reverse',
    [arg('array', 'string')],
    ['array', 'string'],
    'Reverses an array or a string.',
    ([v]) => (typeof v === 'string' ? [...v].reverse().join('') : [...(v as unknown[])].reverse()),
  ),
  builtin('sort', [arg('array[string]', 'array[number]')], ['array'], 'Sorts numbers or strings.', ([a]) =>
    [...(a as (number | string)[])].sort(compareKeys),
  ),
  builtin(
    'sort_by',
    [arg('array'), arg('expref')],
    ['array'],
    'Sorts items by a key expression (stable).',
    ([a, e]) => {
      const items = a as unknown[];
      if (items.length < 2) return [...items];
      const keys = keysOf('sort_by', items, e as JmespathExpref);
      const order = items.map((_, i) => i);
      order.sort((i, j) => compareKeys(keys[i] as number | string, keys[j] as number | string) || i - j);
      return order.map((i) => items[i]);
    },
  ),
  builtin(
    'starts_with',
    [arg('string'), arg('string')],
    ['boolean'],
    'Whether a string starts with a prefix.',
    ([s, x]) => (s as string).startsWith(x as string),
  ),
  builtin('sum', [arg('array[number]')], ['number'], 'Sum of an array of numbers.', ([a]) =>
    (a as number[]).reduce((s, n) => s + n, 0),
  ),
  builtin('to_array', [arg('any')], ['array'], 'Wraps a non-array value in an array.', ([v]) =>
    Array.isArray(v) ? v : [v ?? null],
  ),
  builtin(
    'to_number',
    [arg('any')],
    ['number', 'null'],
    'Number, or a string parsed as one; otherwise null.',
    ([v]) => {
      if (typeof v === 'number') return v;
      // go-jmespath's own error for a Go integer (go-int.ts).
      if (typeof v === 'bigint') throw new JmespathError('function', 'unknown type');
      if (typeof v !== 'string' || !DECIMAL.test(v)) return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    },
  ),
  builtin(
    'to_string',
    [arg('any')],
    ['string'],
    'Strings unchanged; anything else as JSON (keys sorted).',
    ([v], context) => {
      if (typeof v === 'string') return v;
      const budget = budgetOf(context);
      budget.outputJson('to_string', v);
      return goJsonMarshal(v, budget);
    },
  ),
  builtin('type', [arg('any')], ['string'], 'JMESPath type name of a value.', ([v]) => {
    // A Go integer (go-int.ts) is none of go-jmespath's types.
    if (typeof v === 'bigint') throw new JmespathError('function', 'unknown type');
    const type = jpTypeOf(v);
    if (type === 'expref') throw invalid('Unknown type');
    return type;
  }),
  builtin('values', [arg('object')], ['array'], 'Values of an object.', ([o]) =>
    Object.values(o as JsonObject),
  ),
];
