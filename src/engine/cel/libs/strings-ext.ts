/**
 * @module cel-go ext strings (v2) functions that cel-js lacks: charAt, replace, reverse,
 * strings.quote and format (cel-go's strings-v2 formatter: `%s %d %f %e %x %X %o %b`, `%%`,
 * `%.Nf`/`%.Ne` precision). indexOf, lastIndexOf, split, substring, trim, join and
 * lower/upperAscii are cel-js built-ins.
 */
import { Buffer } from 'node:buffer';
import { formatFloat } from '../../primitives/go-float.js';
import { chargeSteps, stringCost } from '../budget.js';
import { Duration, UnsignedInt } from '../cel-js.js';
import { CelEvalError } from '../errors.js';
import { celToString, celTypeName, isCelTypeValue } from './go-format.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

function charAt(s: string, i: bigint): string {
  const chars = [...s];
  if (i < 0n || i > BigInt(chars.length)) throw new CelEvalError(`index out of range: ${i}`);
  return chars[Number(i)] ?? '';
}

/** Go's strings.Replace: `n < 0` replaces all; an empty `from` matches before every rune and at the end. */
function replace(s: string, from: string, to: string, n: bigint): string {
  const limit = n < 0n ? Number.POSITIVE_INFINITY : Number(n);
  const count = Math.min(limit, countMatches(s, from));
  // The output size is known before it is built: charge it first.
  chargeSteps(stringCost(Math.max(0, s.length + count * (to.length - from.length))));
  if (from === '') {
    const runes = [...s];
    let out = '';
    let done = 0;
    for (let i = 0; i <= runes.length; i++) {
      if (done < limit) {
        out += to;
        done++;
      }
      out += runes[i] ?? '';
    }
    return out;
  }
  let out = '';
  let rest = s;
  for (let done = 0; done < limit; done++) {
    const at = rest.indexOf(from);
    if (at < 0) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
  }
  return out + rest;
}

function countMatches(s: string, from: string): number {
  if (from === '') return [...s].length + 1;
  let count = 0;
  for (let at = s.indexOf(from); at >= 0; at = s.indexOf(from, at + from.length)) count++;
  return count;
}

const QUOTE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\x07', '\\a'],
  ['\b', '\\b'],
  ['\f', '\\f'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
  ['\v', '\\v'],
  ['\\', '\\\\'],
  ['"', '\\"'],
]);

/** cel-go `strings.quote`: a CEL string literal with escapes for control characters. */
function quote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    const esc = QUOTE_ESCAPES.get(c);
    if (esc !== undefined) out += esc;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

class FormatError extends CelEvalError {}

const during = (msg: string) => new FormatError(`error during formatting: ${msg}`);

/** `%s` of a list element / map value: literal-like (strings quoted, doubles %.6f, timestamp("…")). */
function formatMember(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (v instanceof Uint8Array) return `b${quote(celToString(v))}`;
  if (typeof v === 'number') {
    const text = Number.isFinite(v) ? v.toFixed(6) : formatFloat(v, 'g', 64);
    return Number.isFinite(v) ? text : quote(text);
  }
  if (v instanceof Date) return `timestamp(${quote(celToString(v))})`;
  if (v instanceof Duration) return `duration(${quote(celToString(v))})`;
  if (Array.isArray(v) || v instanceof Map || celTypeName(v) === 'map') return formatString(v);
  if (v === null || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof UnsignedInt) {
    return formatString(v);
  }
  if (isCelTypeValue(v)) return v.name;
  throw during(`no formatting function for ${celTypeName(v)}`);
}

function formatMapKey(k: unknown): string {
  if (typeof k === 'string') return quote(k);
  if (typeof k === 'boolean' || typeof k === 'bigint' || k instanceof UnsignedInt) return String(k);
  throw during(`no formatting function for map key of type ${celTypeName(k)}`);
}

/** `%s`: cel-go's FormatString. */
function formatString(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatMember).join(', ')}]`;
  const type = celTypeName(v);
  if (type === 'map') {
    const entries = v instanceof Map ? [...v] : Object.entries(v as object);
    const pairs = entries.map(([k, x]) => [formatMapKey(k), formatMember(x)] as const);
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `{${pairs.map(([k, x]) => `${k}:${x}`).join(', ')}}`;
  }
  try {
    return celToString(v);
  } catch {
    throw during(
      `string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given ${type}`,
    );
  }
}

function intOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

/** A double for %f/%e; the strings "NaN", "Infinity" and "-Infinity" are accepted too (cel-go). */
function doubleOf(v: unknown, clause: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw during(`${clause} clause can only be used on doubles, was given ${celTypeName(v)}`);
}

/** Non-finite doubles as cel-go's en_US number printer spells them. */
function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '-∞';
  return undefined;
}

/**
 * `x` (non-negative) with exactly `precision` decimals, rounding its shortest decimal form half
 * up, as cel-go's en_US number printer does ("%.3f" of 1.2345 is "1.235", not binary-exact "1.234").
 */
function roundShortest(x: number, precision: number): string {
  const [mantissa = '0', expText = '0'] = x.toExponential().split('e');
  let digits = mantissa.replace('.', '');
  let point = Number(expText) + 1; // digits before the decimal point
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  const keep = point + precision;
  let head = digits.slice(0, keep).padEnd(keep, '0');
  if ((digits[keep] ?? '0') >= '5') head = incrementDecimal(head);
  const whole = head.length > precision ? head.slice(0, head.length - precision) : '0';
  const frac = head.slice(head.length - precision).padStart(precision, '0');
  return precision === 0 ? whole : `${whole}.${frac}`;
}

/** Adds one to a string of decimal digits ("" counts as 0). */
function incrementDecimal(d: string): string {
  const out = d.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/** %f: fixed point, en_US digit grouping of the integer part (cel-go formats through x/text). */
function formatFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const [whole = '0', frac] = roundShortest(Math.abs(x), precision).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${x < 0 || Object.is(x, -0) ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** %e: `d.dddddde±dd`. */
function formatScientific(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  return x.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

function formatHex(v: unknown, upper: boolean): string {
  let hex: string;
  const n = intOf(v);
  if (n !== undefined) hex = n < 0n ? `-${(-n).toString(16)}` : n.toString(16);
  else if (typeof v === 'string') hex = Buffer.from(v, 'utf8').toString('hex');
  else if (v instanceof Uint8Array) hex = Buffer.from(v).toString('hex');
  else
    throw during(
      `only integers, byte buffers, and strings can be formatted as hex, was given ${celTypeName(v)}`,
    );
  return upper ? hex.toUpperCase() : hex;
}

function formatRadix(v: unknown, radix: 2 | 8, what: string): string {
  if (radix === 2 && typeof v === 'boolean') return v ? '1' : '0';
  const n = intOf(v);
  if (n === undefined) throw during(`${what}, was given ${celTypeName(v)}`);
  return n < 0n ? `-${(-n).toString(radix)}` : n.toString(radix);
}

function formatClause(verb: string, precision: number | undefined, arg: unknown): string {
  switch (verb) {
    case 's':
      return formatString(arg);
    case 'd': {
      const n = intOf(arg);
      if (n === undefined)
        throw during(`decimal clause can only be used on integers, was given ${celTypeName(arg)}`);
      return n.toString();
    }
    case 'f':
      return formatFixed(doubleOf(arg, 'fixed-point'), precision ?? 6);
    case 'e':
      return formatScientific(doubleOf(arg, 'scientific'), precision ?? 6);
    case 'x':
    case 'X':
      return formatHex(arg, verb === 'X');
    case 'o':
      return formatRadix(arg, 8, 'octal clause can only be used on integers');
    case 'b':
      return formatRadix(arg, 2, 'only integers and bools can be formatted as binary');
    default:
      throw new FormatError(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
  }
}

/** `"%s is %d".format([a, b])` with cel-go's (strings v2) clauses %s %d %f %e %x %X %o %b and %%. */
function format(template: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < template.length) {
    const c = template[i] as string;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '%') {
      out += '%';
      i += 2;
      continue;
    }
    if (next >= args.length) throw new FormatError(`index ${next} out of range`);
    if (i + 1 >= template.length) throw new FormatError('unexpected end of string');
    let j = i + 1;
    let precision: number | undefined;
    const m = /^\.(\d*)/.exec(template.slice(j));
    if (m) {
      if (j + m[0].length >= template.length)
        throw new FormatError(
          'could not parse formatting clause: error while parsing precision: could not find end of precision specifier',
        );
      precision = Number(m[1] || '0');
      j += m[0].length;
    }
    // Precision sizes the output: charge it before building the digits.
    chargeSteps(stringCost(precision ?? 0));
    out += formatClause(template[j] ?? '', precision, args[next++]);
    i = j + 1;
  }
  return out;
}

export function stringsExtLibrary(): CelLibrary {
  return {
    name: 'strings-ext',
    ...namespaceLibraryParts('StringsNamespace', 'strings'),
    functions: [
      { signature: 'string.charAt(int): string', impl: charAt },
      {
        signature: 'string.replace(string, string): string',
        impl: (s: string, a: string, b: string) => replace(s, a, b, -1n),
      },
      { signature: 'string.replace(string, string, int): string', impl: replace },
      { signature: 'string.reverse(): string', impl: (s: string) => [...s].reverse().join('') },
      { signature: 'string.format(list): string', impl: format },
      { signature: 'StringsNamespace.quote(string): string', impl: (_: unknown, s: string) => quote(s) },
    ],
  };
}
