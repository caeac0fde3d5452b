/**
 * @module cel-go ext math v2 (greatest, least, ceil, floor, round, trunc, abs, sign, isNaN, isInf,
 * isFinite, sqrt, bitAnd/Or/Xor/Not, bitShiftLeft/Right over int and uint) plus Kyverno's
 * `math.round(double, int)`.
 */
import { UnsignedInt } from '../cel-js.js';
import { celCompare } from '../equality.js';
import { CelEvalError } from '../errors.js';
import { type CelFunctionEntry, type CelLibrary, namespaceLibraryParts } from './types.js';

const INT64_MIN = -9223372036854775808n;

function pick(values: readonly unknown[], sign: 1 | -1): unknown {
  if (values.length === 0) {
    throw new CelEvalError(`math.@${sign > 0 ? 'max' : 'min'}(list) argument must not be empty`);
  }
  let best = values[0];
  for (const v of values.slice(1)) if (celCompare(v, best) * sign > 0) best = v;
  return best;
}

/** Go's math.Round: halves away from zero. */
const roundHalfAway = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));

function variadic(name: string, sign: 1 | -1): CelFunctionEntry[] {
  const entries: CelFunctionEntry[] = [
    { signature: `MathNamespace.${name}(list): dyn`, impl: (_: unknown, l: unknown[]) => pick(l, sign) },
    ...['int', 'uint', 'double'].map((t) => ({
      signature: `MathNamespace.${name}(${t}): ${t}`,
      impl: (_: unknown, x: unknown) => x,
    })),
  ];
  for (let n = 2; n <= 6; n++) {
    const args = new Array(n).fill('dyn').join(', ');
    entries.push({
      signature: `MathNamespace.${name}(${args}): dyn`,
      impl: (_: unknown, ...xs: unknown[]) => pick(xs, sign),
    });
  }
  return entries;
}

const UINT64_MASK = (1n << 64n) - 1n;
const uint = (v: bigint) => new UnsignedInt(v & UINT64_MASK);
const u = (v: UnsignedInt) => v.valueOf();

function shiftBits(name: string, n: bigint): number | undefined {
  if (n < 0n) throw new CelEvalError(`math.${name}() negative offset: ${n}`);
  return n >= 64n ? undefined : Number(n);
}

/** Bit operations on int (two's complement int64) and uint (uint64); shifts of 64+ bits give 0. */
function bitwise(): CelFunctionEntry[] {
  const ns = 'MathNamespace';
  return [
    { signature: `${ns}.bitAnd(int, int): int`, impl: (_: unknown, a: bigint, b: bigint) => a & b },
    {
      signature: `${ns}.bitAnd(uint, uint): uint`,
      impl: (_: unknown, a: UnsignedInt, b: UnsignedInt) => uint(u(a) & u(b)),
    },
    { signature: `${ns}.bitOr(int, int): int`, impl: (_: unknown, a: bigint, b: bigint) => a | b },
    {
      signature: `${ns}.bitOr(uint, uint): uint`,
      impl: (_: unknown, a: UnsignedInt, b: UnsignedInt) => uint(u(a) | u(b)),
    },
    { signature: `${ns}.bitXor(int, int): int`, impl: (_: unknown, a: bigint, b: bigint) => a ^ b },
    {
      signature: `${ns}.bitXor(uint, uint): uint`,
      impl: (_: unknown, a: UnsignedInt, b: UnsignedInt) => uint(u(a) ^ u(b)),
    },
    { signature: `${ns}.bitNot(int): int`, impl: (_: unknown, a: bigint) => ~a },
    { signature: `${ns}.bitNot(uint): uint`, impl: (_: unknown, a: UnsignedInt) => uint(~u(a)) },
    {
      signature: `${ns}.bitShiftLeft(int, int): int`,
      impl: (_: unknown, a: bigint, n: bigint) => {
        const bits = shiftBits('bitShiftLeft', n);
        return bits === undefined ? 0n : BigInt.asIntN(64, a << BigInt(bits));
      },
    },
    {
      signature: `${ns}.bitShiftLeft(uint, int): uint`,
      impl: (_: unknown, a: UnsignedInt, n: bigint) => {
        const bits = shiftBits('bitShiftLeft', n);
        return uint(bits === undefined ? 0n : u(a) << BigInt(bits));
      },
    },
    {
      // cel-go shifts the int's bit pattern logically: the sign bit is not preserved.
      signature: `${ns}.bitShiftRight(int, int): int`,
      impl: (_: unknown, a: bigint, n: bigint) => {
        const bits = shiftBits('bitShiftRight', n);
        return bits === undefined ? 0n : BigInt.asIntN(64, BigInt.asUintN(64, a) >> BigInt(bits));
      },
    },
    {
      signature: `${ns}.bitShiftRight(uint, int): uint`,
      impl: (_: unknown, a: UnsignedInt, n: bigint) => {
        const bits = shiftBits('bitShiftRight', n);
        return uint(bits === undefined ? 0n : u(a) >> BigInt(bits));
      },
    },
  ];
}

export function mathLibrary(): CelLibrary {
  const ns = namespaceLibraryParts('MathNamespace', 'math');
  const dbl = (name: string, f: (x: number) => unknown): CelFunctionEntry => ({
    signature: `MathNamespace.${name}(double): ${typeof f(1) === 'boolean' ? 'bool' : 'double'}`,
    impl: (_: unknown, x: number) => f(x),
  });
  return {
    name: 'math',
    ...ns,
    functions: [
      ...variadic('greatest', 1),
      ...variadic('least', -1),
      dbl('ceil', Math.ceil),
      dbl('floor', Math.floor),
      dbl('round', roundHalfAway),
      dbl('trunc', Math.trunc),
      dbl('sqrt', Math.sqrt),
      dbl('isNaN', Number.isNaN),
      dbl('isInf', (x) => x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY),
      dbl('isFinite', Number.isFinite),
      { signature: 'MathNamespace.abs(double): double', impl: (_: unknown, x: number) => Math.abs(x) },
      {
        signature: 'MathNamespace.abs(int): int',
        impl: (_: unknown, x: bigint) => {
          if (x === INT64_MIN) throw new CelEvalError('integer overflow');
          return x < 0n ? -x : x;
        },
      },
      { signature: 'MathNamespace.abs(uint): uint', impl: (_: unknown, x: UnsignedInt) => x },
      { signature: 'MathNamespace.sign(double): double', impl: (_: unknown, x: number) => Math.sign(x) },
      {
        signature: 'MathNamespace.sign(int): int',
        impl: (_: unknown, x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
      },
      {
        signature: 'MathNamespace.sign(uint): uint',
        impl: (_: unknown, x: UnsignedInt) => new UnsignedInt(x.valueOf() > 0n ? 1n : 0n),
      },
      { signature: 'MathNamespace.sqrt(int): double', impl: (_: unknown, x: bigint) => Math.sqrt(Number(x)) },
      {
        signature: 'MathNamespace.sqrt(uint): double',
        impl: (_: unknown, x: UnsignedInt) => Math.sqrt(Number(x.valueOf())),
      },
      {
        signature: 'MathNamespace.round(double, int): double',
        impl: (_: unknown, x: number, digits: bigint) => {
          const f = 10 ** Number(digits);
          return roundHalfAway(x * f) / f;
        },
        note: 'Kyverno',
      },
      ...bitwise(),
    ],
  };
}
