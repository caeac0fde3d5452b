/**
 * @module Arithmetic functions: add, subtract, multiply, divide, modulo, sum, round.
 * Operands are scalars (JSON numbers), Kubernetes quantities (strings such as "100Mi" or "2")
 * or Go durations ("1h30m"); a string is tried as a quantity before a duration
 * (pkg/engine/jmespath/arithmetic.go). Quantities are exact nano-unit bigints.
 */
import { formatDuration, parseDuration } from '../../primitives/go-duration.js';
import { formatQuantity, parseQuantity, type Quantity } from '../../units/quantity.js';
import {
  fail,
  NON_INT_MODULO,
  NON_INT_ROUND,
  TYPES_MISMATCH,
  toInteger,
  ZERO_DIVISOR,
} from './function-errors.js';
import type { FunctionEntry, JpArgSpec } from './types.js';

type Operand =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'quantity'; readonly q: Quantity; readonly text: string }
  | { readonly kind: 'duration'; readonly ns: number };

const NANO = 1_000_000_000n;

function toOperand(v: unknown): Operand | undefined {
  if (typeof v === 'number') return { kind: 'scalar', value: v };
  if (typeof v !== 'string' || v.trim() !== v) return undefined;
  const q = parseQuantity(v);
  if (q) return { kind: 'quantity', q, text: v };
  const ns = parseDuration(v);
  if (ns !== undefined) return { kind: 'duration', ns };
  return undefined;
}

function operands(name: string, args: readonly unknown[]): [Operand, Operand] {
  const a = toOperand(args[0]);
  const b = toOperand(args[1]);
  if (!a || !b) return fail(name, 'invalid operands');
  return [a, b];
}

/** Go's `fmt.Sprintf("%v", f)` for a float64 (shortest digits, exponent form outside [1e-4, 1e6)). */
export function goFormatV(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant = '', expStr = '0'] = Math.abs(f).toExponential().split('e');
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * The decimal scale `inf.Dec` gives a parsed quantity literal (digits after the point, may be
 * negative): Kubernetes keeps `value × 10^scale` from the literal on its int64 fast path and
 * rounds to nano units (scale 9) otherwise. `divide` rounds quotients at this scale.
 */
function decimalScale(text: string): number {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(.*)$/.exec(text);
  const num = m?.[1] ?? '';
  const denom = m?.[2] ?? '';
  const suffix = m?.[3] ?? '';
  const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
  const decimal: Record<string, number> = {
    n: -9,
    u: -6,
    m: -3,
    '': 0,
    k: 3,
    M: 6,
    G: 9,
    T: 12,
    P: 15,
    E: 18,
  };
  const binExp = binary[suffix];
  if (binExp !== undefined) {
    const precision = 15 - num.length - Math.trunc((binExp * 3) / 10) - 1;
    return denom === '' && precision >= 0 ? 0 : 9;
  }
  const exp = decimal[suffix] ?? Number(suffix.slice(1));
  const precision = 18 - (num.length + denom.length);
  const scale = exp - denom.length;
  return precision >= 0 && scale >= -9 ? -scale : 9;
}

const q = (nanos: bigint, format: Quantity['format']): string => formatQuantity({ nanos, format });
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Go's `Duration.Seconds()`. */
const seconds = (ns: number): number => Math.trunc(ns / 1e9) + (ns % 1e9) / 1e9;
/** float64 seconds → Duration, truncating like Go's int64 conversion. */
const fromSeconds = (s: number): number => Math.trunc(s * 1e9);

function add(name: string, a: Operand, b: Operand, sign: 1 | -1): unknown {
  if (a.kind === 'quantity' && b.kind === 'quantity') {
    const format = a.q.nanos === 0n ? b.q.format : a.q.format;
    return q(sign === 1 ? a.q.nanos + b.q.nanos : a.q.nanos - b.q.nanos, format);
  }
  if (a.kind === 'duration' && b.kind === 'duration') return formatDuration(a.ns + sign * b.ns);
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.value + sign * b.value;
  return fail(name, TYPES_MISMATCH);
}

function multiply(a: Operand, b: Operand): unknown {
  if (a.kind === 'scalar' && b.kind !== 'scalar') return multiply(b, a);
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.value * b.value;
  if (b.kind !== 'scalar') return fail('multiply', TYPES_MISMATCH);
  if (a.kind === 'duration') return formatDuration(fromSeconds(seconds(a.ns) * b.value));
  if (a.kind !== 'quantity') return fail('multiply', TYPES_MISMATCH);
  const factor = parseQuantity(goFormatV(b.value));
  if (!factor)
    return fail(
      'multiply',
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  const product = a.q.nanos * factor.nanos;
  // Sub-nano products are rounded up, as Kubernetes rounds parsed quantities.
  const nanos = product / NANO + (product % NANO > 0n ? 1n : 0n);
  return q(nanos, a.q.format);
}

function divide(a: Operand, b: Operand): unknown {
  if (a.kind === 'quantity' && b.kind === 'quantity') {
    if (b.q.nanos === 0n) return fail('divide', ZERO_DIVISOR);
    return Number(a.q.nanos) / Number(b.q.nanos);
  }
  if (a.kind === 'quantity' && b.kind === 'scalar') {
    if (b.value === 0) return fail('divide', ZERO_DIVISOR);
    const text = goFormatV(b.value);
    const divisor = parseQuantity(text);
    if (!divisor || divisor.nanos === 0n) return fail('divide', ZERO_DIVISOR);
    const scale = Math.max(decimalScale(a.text), decimalScale(text));
    // Quotient rounded toward zero at `scale` decimals (inf.Dec QuoRound with RoundDown).
    const truncated =
      scale >= 0 ? (a.q.nanos * pow10(scale)) / divisor.nanos : a.q.nanos / (divisor.nanos * pow10(-scale));
    return q(truncated * pow10(9 - scale), a.q.format);
  }
  if (a.kind === 'duration' && b.kind === 'duration') {
    if (seconds(b.ns) === 0) return fail('divide', ZERO_DIVISOR);
    return seconds(a.ns) / seconds(b.ns);
  }
  if (a.kind === 'duration' && b.kind === 'scalar') {
    if (b.value === 0) return fail('divide', ZERO_DIVISOR);
    return formatDuration(fromSeconds(seconds(a.ns) / b.value));
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    if (b.value === 0) return fail('divide', ZERO_DIVISOR);
    return a.value / b.value;
  }
  return fail('divide', TYPES_MISMATCH);
}

function modulo(a: Operand, b: Operand): unknown {
  if (a.kind === 'quantity' && b.kind === 'quantity') {
    if (a.q.nanos % NANO !== 0n || b.q.nanos % NANO !== 0n) return fail('modulo', NON_INT_MODULO);
    if (b.q.nanos === 0n) return fail('modulo', ZERO_DIVISOR);
    return q(((a.q.nanos / NANO) % (b.q.nanos / NANO)) * NANO, a.q.format);
  }
  if (a.kind === 'duration' && b.kind === 'duration') {
    if (b.ns === 0) return fail('modulo', ZERO_DIVISOR);
    return formatDuration(a.ns % b.ns);
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    if (!Number.isInteger(a.value) || !Number.isInteger(b.value)) return fail('modulo', NON_INT_MODULO);
    if (b.value === 0) return fail('modulo', ZERO_DIVISOR);
    return (a.value % b.value) + 0;
  }
  return fail('modulo', TYPES_MISMATCH);
}

/** Go's `math.Round`: half away from zero, exact for every float. */
function goRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

const ANY: JpArgSpec = { types: ['any'] };
const NUM: JpArgSpec = { types: ['number'] };

export const arithmeticFunctions: readonly FunctionEntry[] = [
  {
    name: 'add',
    args: [ANY, ANY],
    returns: ['any'],
    note: 'does arithmetic addition of two specified values of numbers, quantities, and durations',
    impl: (args) => add('add', ...operands('add', args), 1),
  },
  {
    name: 'sum',
    args: [{ types: ['array'] }],
    returns: ['any'],
    note: 'does arithmetic addition of specified array of values of numbers, quantities, and durations',
    impl: ([items]) => {
      const list = items as readonly unknown[];
      if (list.length === 0) return fail('sum', 'at least one element in the array is required');
      return list.slice(1).reduce((acc, item) => add('sum', ...operands('sum', [acc, item]), 1), list[0]);
    },
  },
  {
    name: 'subtract',
    args: [ANY, ANY],
    returns: ['any'],
    note: 'does arithmetic subtraction of two specified values of numbers, quantities, and durations',
    impl: (args) => add('subtract', ...operands('subtract', args), -1),
  },
  {
    name: 'multiply',
    args: [ANY, ANY],
    returns: ['any'],
    note: 'does arithmetic multiplication of two specified values of numbers, quantities, and durations',
    impl: (args) => multiply(...operands('multiply', args)),
  },
  {
    name: 'divide',
    args: [ANY, ANY],
    returns: ['any'],
    note: 'divisor must be non zero',
    impl: (args) => divide(...operands('divide', args)),
  },
  {
    name: 'modulo',
    args: [ANY, ANY],
    returns: ['any'],
    note: 'divisor must be non-zero, arguments must be integers',
    impl: (args) => modulo(...operands('modulo', args)),
  },
  {
    name: 'round',
    args: [NUM, NUM],
    returns: ['number'],
    note: 'does roundoff to upto the given decimal places',
    impl: ([value, digits]) => {
      const n = toInteger(digits as number);
      if (typeof n === 'string') return fail('round', NON_INT_ROUND);
      if (n < 0) return fail('round', `2 argument is out of bounds (${n})`);
      const shift = 10 ** n;
      return goRound((value as number) * shift) / shift;
    },
  },
];
