/**
 * @module Go's `strconv.FormatFloat(f, fmt, -1, bitSize)` (shortest digits that round-trip) and
 * `strconv.ParseFloat(s, 64)` for decimal text. Kyverno prints and reads numbers through these, so
 * messages, stringified arguments and comparisons depend on the exact spelling.
 */

/** The verbs used here: `f` never has an exponent, `e`/`E` always, `g` (`%v`) switches by size. */
export type FloatFormat = 'e' | 'E' | 'f' | 'g';

/** Shortest decimal digits of |value| (no leading/trailing zeros) and the point position `dp`. */
interface Decimal {
  readonly digits: string;
  readonly dp: number;
}

/** Reads `1.25e+3`, `0.000125` or `1250` into digits and the decimal point position. */
function toDecimal(text: string): Decimal {
  const [mantissa = '', expPart] = text.split('e');
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  let digits = intPart + fracPart;
  let dp = intPart.length + (expPart === undefined ? 0 : Number(expPart));
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  dp -= lead;
  return { digits, dp };
}

/** float32 has no JS type: try 1..9 significant digits until one reads back as the same float32. */
function shortest32(abs: number): Decimal {
  const f = Math.fround(abs);
  let text = f.toPrecision(9);
  for (let p = 1; p <= 9; p++) {
    const candidate = f.toPrecision(p);
    if (Math.fround(Number(candidate)) === f) {
      text = candidate;
      break;
    }
  }
  return toDecimal(text);
}

function layoutF({ digits, dp }: Decimal): string {
  if (dp <= 0) return `0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return digits + '0'.repeat(dp - digits.length);
  return `${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

function layoutE({ digits, dp }: Decimal, letter: 'e' | 'E'): string {
  // Go prints zero as 0e+00 and pads the exponent to at least two digits.
  const exp = digits === '' ? 0 : dp - 1;
  const first = digits === '' ? '0' : digits.slice(0, 1);
  const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
  return `${first}${rest}${letter}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * `strconv.FormatFloat(value, fmt, -1, bitSize)`. With 32, the value is first rounded to float32.
 * `g` uses the exponent form when the exponent is below -4 or at least 6 (Go's rule for shortest `%g`).
 */
export function formatFloat(value: number, fmt: FloatFormat, bitSize: 32 | 64): string {
  const x = bitSize === 32 ? Math.fround(value) : value;
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const abs = Math.abs(x);
  let dec: Decimal;
  if (abs === 0) dec = { digits: '', dp: 0 };
  else dec = bitSize === 32 ? shortest32(abs) : toDecimal(abs.toExponential());
  if (dec.digits === '' && fmt !== 'e' && fmt !== 'E') return `${sign}0`;
  switch (fmt) {
    case 'f':
      return sign + layoutF(dec);
    case 'e':
    case 'E':
      return sign + layoutE(dec, fmt);
    case 'g': {
      const exp = dec.dp - 1;
      return sign + (exp < -4 || exp >= 6 ? layoutE(dec, 'e') : layoutF(dec));
    }
  }
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * `strconv.ParseFloat(s, 64)` for decimal text and the `inf`/`infinity`/`nan` spellings (any case;
 * a sign is allowed on the infinities only). Undefined where Go returns a syntax error. Hex floats
 * and underscores are not read, and out-of-range text gives ±Infinity rather than Go's ErrRange.
 */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL_FLOAT.test(s)) return Number(s);
  switch (s.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    case 'nan':
      return Number.NaN;
    default:
      return undefined;
  }
}
