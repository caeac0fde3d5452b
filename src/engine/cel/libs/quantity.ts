/** @module Kubernetes' quantity library: `quantity("100Mi")`, `isQuantity`, comparisons and arithmetic. */
import {
  compareQuantity,
  formatQuantity,
  parseQuantity,
  type Quantity,
  quantityToNumber,
} from '../../units/quantity.js';
import { CelEvalError } from '../errors.js';
import type { CelLibrary } from './types.js';

const NANO = 1_000_000_000n;
const INT64_MAX = 9223372036854775807n;

export class CelQuantity {
  readonly q: Quantity;
  constructor(q: Quantity) {
    this.q = q;
  }
  toString(): string {
    return formatQuantity(this.q);
  }
}

function quantity(s: string): CelQuantity {
  const q = parseQuantity(s);
  if (q === undefined || s.trim() !== s || s === '')
    throw new CelEvalError(
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  return new CelQuantity(q);
}

function asInteger(x: CelQuantity): bigint {
  if (x.q.nanos % NANO !== 0n) throw new CelEvalError('cannot convert value to integer');
  const v = x.q.nanos / NANO;
  if (v > INT64_MAX || v < -INT64_MAX - 1n) throw new CelEvalError('cannot convert value to integer');
  return v;
}

const plus = (x: CelQuantity, nanos: bigint) =>
  new CelQuantity({ nanos: x.q.nanos + nanos, format: x.q.format });

export function quantityLibrary(): CelLibrary {
  return {
    name: 'quantity',
    types: [{ name: 'kubernetes.Quantity', ctor: CelQuantity }],
    // Kubernetes compares quantities by value: quantity("1Gi") == quantity("1024Mi").
    operators: [
      {
        signature: 'kubernetes.Quantity == kubernetes.Quantity',
        impl: (a: CelQuantity, b: CelQuantity) => compareQuantity(a.q, b.q) === 0,
      },
    ],
    functions: [
      { signature: 'quantity(string): kubernetes.Quantity', impl: quantity },
      {
        signature: 'isQuantity(string): bool',
        impl: (s: string) => s !== '' && s.trim() === s && parseQuantity(s) !== undefined,
      },
      {
        signature: 'kubernetes.Quantity.sign(): int',
        impl: (x: CelQuantity) => BigInt(compareQuantity(x.q, { nanos: 0n, format: x.q.format })),
      },
      {
        signature: 'kubernetes.Quantity.isInteger(): bool',
        impl: (x: CelQuantity) => x.q.nanos % NANO === 0n,
      },
      { signature: 'kubernetes.Quantity.asInteger(): int', impl: asInteger },
      {
        signature: 'kubernetes.Quantity.asApproximateFloat(): double',
        impl: (x: CelQuantity) => quantityToNumber(x.q),
      },
      {
        signature: 'kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity',
        impl: (x: CelQuantity, y: CelQuantity) => plus(x, y.q.nanos),
      },
      {
        signature: 'kubernetes.Quantity.add(int): kubernetes.Quantity',
        impl: (x: CelQuantity, y: bigint) => plus(x, y * NANO),
      },
      {
        signature: 'kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity',
        impl: (x: CelQuantity, y: CelQuantity) => plus(x, -y.q.nanos),
      },
      {
        signature: 'kubernetes.Quantity.sub(int): kubernetes.Quantity',
        impl: (x: CelQuantity, y: bigint) => plus(x, -y * NANO),
      },
      {
        signature: 'kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool',
        impl: (x: CelQuantity, y: CelQuantity) => compareQuantity(x.q, y.q) > 0,
      },
      {
        signature: 'kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool',
        impl: (x: CelQuantity, y: CelQuantity) => compareQuantity(x.q, y.q) < 0,
      },
      {
        signature: 'kubernetes.Quantity.compareTo(kubernetes.Quantity): int',
        impl: (x: CelQuantity, y: CelQuantity) => BigInt(compareQuantity(x.q, y.q)),
      },
    ],
  };
}
