/**
 * @module Go's `strconv.FormatFloat(f, 'f', -1, 32)`: the shortest decimal that round-trips
 * through float32, written without an exponent. Kyverno stringifies numeric regex arguments this way.
 */

export function formatFloat32(value: number): string {
  const f = Math.fround(value);
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let shortest = f.toPrecision(9);
  for (let p = 1; p <= 9; p++) {
    const candidate = f.toPrecision(p);
    if (Math.fround(Number(candidate)) === f) {
      shortest = candidate;
      break;
    }
  }
  return toPlainDecimal(shortest);
}

/** Rewrites `1.5e+21` / `1.2e-7` / `12.50` as a plain decimal with no exponent and no trailing zeros. */
function toPlainDecimal(s: string): string {
  let sign = '';
  let body = s;
  if (body.startsWith('-')) {
    sign = '-';
    body = body.slice(1);
  }
  const [mantissa = '', expPart] = body.split('e');
  const exp = expPart === undefined ? 0 : Number(expPart);
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  let digits = intPart + fracPart;
  let point = intPart.length + exp; // position of the decimal point within `digits`
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + out;
}

/** Kyverno's `ifaceToString`: strings pass through, numbers use float32 formatting. */
export function scalarToString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat32(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}
