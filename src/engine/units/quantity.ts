/**
 * @module Kubernetes resource quantities (`100Mi`, `0.5`, `250m`, `1e3`), held exactly as a count
 * of nano-units in a bigint so that `1Gi` equals `1024Mi` and sums print like Kubernetes does.
 */

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** The value times 10^9. Finer values are rounded up, as Kubernetes does. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const BINARY: Record<string, bigint> = {
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX_BY_EXP: Record<number, string> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Parses a quantity string; undefined when it is not one. */
export function parseQuantity(input: string): Quantity | undefined {
  const m = QUANTITY.exec(input.trim());
  if (!m) return undefined;
  const [, sign = '', num = '', suffix = ''] = m;
  const [intPart = '', fracPart = ''] = num.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  let exp10 = -fracPart.length; // value = digits * 10^exp10 * binaryMult
  let binary = 1n;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    binary = BINARY[suffix] ?? 1n;
    format = 'BinarySI';
  } else if (suffix.startsWith('e') || suffix.startsWith('E')) {
    exp10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    exp10 += DECIMAL[suffix] ?? 0;
  }
  if (Math.abs(exp10) > 60) return undefined;
  // nanos = digits * binary * 10^(exp10 + 9), rounded up when fractional
  const shift = exp10 + 9;
  let nanos: bigint;
  if (shift >= 0) nanos = digits * binary * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    const whole = digits * binary;
    nanos = whole / div + (whole % div === 0n ? 0n : 1n);
  }
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** The quantity's value as a float (for arithmetic with plain numbers). */
export function quantityToNumber(q: Quantity): number {
  return Number(q.nanos) / 1e9;
}

export function quantityFromNumber(n: number, format: QuantityFormat): Quantity {
  return { nanos: BigInt(Math.round(n * 1e9)), format };
}

/** Formats in Kubernetes' canonical form (`Quantity.String()`): `228Mi`, `1500m`, `2k`. */
export function formatQuantity(q: Quantity): string {
  const neg = q.nanos < 0n;
  const abs = neg ? -q.nanos : q.nanos;
  const sign = neg ? '-' : '';
  if (abs === 0n) return '0';
  if (q.format === 'BinarySI' && abs >= 1024n * NANO && abs % NANO === 0n) {
    const units = abs / NANO;
    const suffixes = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const;
    for (const s of suffixes) {
      const mult = BINARY[s] ?? 1n;
      if (units % mult === 0n) return `${sign}${units / mult}${s}`;
    }
    return `${sign}${units}`;
  }
  // Decimal: the largest exponent (multiple of 3) that leaves an integer mantissa.
  for (let e = 18; e >= -9; e -= 3) {
    const div = 10n ** BigInt(e + 9);
    if (abs % div === 0n) {
      const mantissa = abs / div;
      const suffix =
        q.format === 'DecimalExponent' ? (e === 0 ? '' : `e${e}`) : (DECIMAL_SUFFIX_BY_EXP[e] ?? '');
      return `${sign}${mantissa}${suffix}`;
    }
  }
  return `${sign}${abs}n`;
}
