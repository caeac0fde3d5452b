/** @module String functions: compare, equal_fold, replace, replace_all, to_upper, to_lower, trim, trim_prefix, split, truncate. */
import { Buffer } from 'node:buffer';
import { budgetOf } from '../budget.js';
import type { FunctionEntry, JpArgSpec } from './types.js';

const STR: JpArgSpec = { types: ['string'] };
const NUM: JpArgSpec = { types: ['number'] };

/** Go `strings.Compare`: byte order of the UTF-8 encodings (not UTF-16 code units). */
function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Per-rune simple case mapping, like Go's `unicode.ToUpper`/`ToLower` (ß stays ß). */
function mapRunes(s: string, map: (ch: string) => string): string {
  let out = '';
  for (const ch of s) {
    const mapped = map(ch);
    out += Array.from(mapped).length === 1 ? mapped : ch;
  }
  return out;
}

const upper = (s: string): string => mapRunes(s, (c) => c.toUpperCase());
const lower = (s: string): string => mapRunes(s, (c) => c.toLowerCase());

/** Go `strings.EqualFold`: rune-wise simple case folding. */
function equalFold(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length !== y.length) return false;
  return x.every((c, i) => {
    const d = y[i] ?? '';
    return c === d || lower(c) === lower(d) || upper(c) === upper(d);
  });
}

/** Go `strings.Replace(s, old, new, n)`; n < 0 replaces all, an empty `old` matches between runes. */
export function goReplace(
  s: string,
  old: string,
  replacement: string,
  n: number,
  charge: (length: number) => void = () => {},
): string {
  if (old === replacement || n === 0) return s;
  const runes = Array.from(s);
  let count = 0;
  if (old === '') count = runes.length + 1;
  else for (let i = s.indexOf(old); i >= 0; i = s.indexOf(old, i + old.length)) count++;
  if (count === 0) return s;
  const limit = n < 0 || count < n ? count : n;
  // Replacing every character with the whole string squares it: measure before building.
  charge(s.length + limit * (replacement.length - old.length));
  let out = '';
  let start = 0;
  for (let i = 0; i < limit; i++) {
    let j = start;
    if (old === '') {
      if (i > 0) j += (runes[i - 1] ?? '').length;
    } else {
      j = s.indexOf(old, start);
    }
    out += s.slice(start, j) + replacement;
    start = j + old.length;
  }
  return out + s.slice(start);
}

/** Go `strings.Trim`: strips runes found in `cutset` from both ends. */
function trim(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const cut = new Set(Array.from(cutset));
  const runes = Array.from(s);
  let a = 0;
  let b = runes.length;
  while (a < b && cut.has(runes[a] ?? '')) a++;
  while (b > a && cut.has(runes[b - 1] ?? '')) b--;
  return runes.slice(a, b).join('');
}

/** Go `strings.Split`: an empty separator splits into runes (and "" into nothing). */
function split(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

/** Go's float64 → int conversion truncates toward zero. */
const goInt = (n: number): number =>
  Number.isFinite(n) ? Math.trunc(n) : n > 0 ? Number.MAX_SAFE_INTEGER : 0;

export const stringFunctions: readonly FunctionEntry[] = [
  {
    name: 'compare',
    args: [STR, STR],
    returns: ['number'],
    note: 'compares two strings lexicographically',
    impl: ([a, b]) => compareStrings(a as string, b as string),
  },
  {
    name: 'equal_fold',
    args: [STR, STR],
    returns: ['boolean'],
    note: 'allows comparing two strings for equivalency where the only differences are letter cases',
    impl: ([a, b]) => equalFold(a as string, b as string),
  },
  {
    name: 'replace',
    args: [STR, STR, STR, NUM],
    returns: ['string'],
    note: 'replaces a specified number of instances of the source string with the replacement string in a parent',
    impl: ([s, old, rep, n], ctx) =>
      goReplace(s as string, old as string, rep as string, goInt(n as number), (length) =>
        budgetOf(ctx).output('replace', length),
      ),
  },
  {
    name: 'replace_all',
    args: [STR, STR, STR],
    returns: ['string'],
    note: 'replace all instances of one string with another in an overall parent string',
    impl: ([s, old, rep], ctx) =>
      goReplace(s as string, old as string, rep as string, -1, (length) =>
        budgetOf(ctx).output('replace_all', length),
      ),
  },
  {
    name: 'to_upper',
    args: [STR],
    returns: ['string'],
    note: 'takes in a string and outputs the same string with all upper-case letters',
    impl: ([s]) => upper(s as string),
  },
  {
    name: 'to_lower',
    args: [STR],
    returns: ['string'],
    note: 'takes in a string and outputs the same string with all lower-case letters',
    impl: ([s]) => lower(s as string),
  },
  {
    name: 'trim',
    args: [STR, STR],
    returns: ['string'],
    note: 'trims both ends of the source string by characters appearing in the second string',
    impl: ([s, cutset]) => trim(s as string, cutset as string),
  },
  {
    name: 'trim_prefix',
    args: [STR, STR],
    returns: ['string'],
    note: 'trims the second string prefix from the first string if the first string starts with the prefix',
    impl: ([s, prefix]) => {
      const str = s as string;
      const p = prefix as string;
      return str.startsWith(p) ? str.slice(p.length) : str;
    },
  },
  {
    name: 'split',
    args: [STR, STR],
    returns: ['array'],
    note: 'splits the first string when the second string is found and converts it into an array',
    impl: ([s, sep]) => split(s as string, sep as string),
  },
  {
    name: 'truncate',
    args: [STR, NUM],
    returns: ['string'],
    note: 'length argument must be enclosed in backticks; ex. "{{request.object.metadata.name | truncate(@, `9`)}}"',
    impl: ([s, len]) => {
      const n = Math.max(0, goInt(len as number));
      return Array.from(s as string)
        .slice(0, n)
        .join('');
    },
  },
];
