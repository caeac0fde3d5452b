/**
 * @module cel-go ext math (greatest, least, ceil, floor, round, trunc, abs, sign, isNaN, isInf,
 * isFinite, sqrt, bit operations) plus Kyverno's `math.round(double, int)`.
 */
import { celCompare } from '../equality.js';
import { CelEvalError } from '../errors.js';
import { type CelFunctionEntry, type CelLibrary, namespaceLibraryParts } from './types.js';

const INT64_MIN = -9223372036854775808n;

function pick(values: readonly unknown[], sign: 1 | -1): unknown {
  if (values.length === 0) throw new CelEvalError('math.@max(list) argument must not be empty');
  let best = values[0];
  for (const v of values.slice(1)) if (celCompare(v, best) * sign > 0) best = v;
  return best;
}

/** Go's math.Round: halves away from zero. */
const roundHalfAway = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));

function variadic(name: string, sign: 1 | -1): CelFunctionEntry[] {
  const entries: CelFunctionEntry[] = [
    { signature: `MathNamespace.${name}(list): dyn`, impl: (_: unknown, l: unknown[]) => pick(l, sign) },
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
          if (x === INT64_MIN) throw new CelEvalError('overflow');
          return x < 0n ? -x : x;
        },
      },
      { signature: 'MathNamespace.sign(double): double', impl: (_: unknown, x: number) => Math.sign(x) },
      {
        signature: 'MathNamespace.sign(int): int',
        impl: (_: unknown, x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
      },
      {
        signature: 'MathNamespace.round(double, int): double',
        impl: (_: unknown, x: number, digits: bigint) => {
          const f = 10 ** Number(digits);
          return roundHalfAway(x * f) / f;
        },
        note: 'Kyverno',
      },
      { signature: 'MathNamespace.bitAnd(int, int): int', impl: (_: unknown, a: bigint, b: bigint) => a & b },
      { signature: 'MathNamespace.bitOr(int, int): int', impl: (_: unknown, a: bigint, b: bigint) => a | b },
      { signature: 'MathNamespace.bitXor(int, int): int', impl: (_: unknown, a: bigint, b: bigint) => a ^ b },
      { signature: 'MathNamespace.bitNot(int): int', impl: (_: unknown, a: bigint) => ~a },
      {
        signature: 'MathNamespace.bitShiftLeft(int, int): int',
        impl: (_: unknown, a: bigint, n: bigint) => BigInt.asIntN(64, a << n),
      },
      {
        signature: 'MathNamespace.bitShiftRight(int, int): int',
        impl: (_: unknown, a: bigint, n: bigint) => BigInt.asIntN(64, BigInt.asUintN(64, a) >> n),
      },
    ],
  };
}
