/**
 * @module A two-level string map as Go's YAML encoder writes it (go.yaml.in/yaml/v3, `SetIndent(2)`,
 * no line folding): Kyverno encodes its admission denial's policy → rule → message map this way
 * (pkg/webhooks/utils/block.go), and users and tools match on that text. Keys are sorted in yaml.v3's
 * order (numbers in keys compare by value, letters before other characters); each scalar is plain when
 * YAML would read it back as the same string, else single-quoted, else double-quoted; multi-line
 * values are literal blocks.
 */

const RESERVED = new Set([
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  '<<',
]);
// YAML 1.1 booleans, which yaml.v3 still quotes on the way out.
const OLD_BOOLS = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'off',
  'Off',
  'OFF',
]);
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:([Tt]| +)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?(Z|[-+][0-9]{2}(:?[0-9]{2})?)?)?$/;

/** Would an unquoted `s` read back as something other than this string (yaml.v3 `resolve`)? */
function resolvesToNonString(s: string): boolean {
  if (RESERVED.has(s) || OLD_BOOLS.has(s) || BASE60_FLOAT.test(s)) return true;
  const first = s[0] ?? '';
  if (first === '.') return YAML_FLOAT.test(s);
  if (!/[-+0-9]/.test(first)) return false;
  if (TIMESTAMP.test(s)) return true;
  const plain = s.replaceAll('_', '');
  return GO_INT.test(plain) || YAML_FLOAT.test(plain);
}

const isBreak = (c: string): boolean =>
  c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || isBreak(c);

function isPrintable(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    code === 0x85 ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

interface Analysis {
  readonly plain: boolean;
  readonly singleQuoted: boolean;
  readonly block: boolean;
  readonly multiline: boolean;
}

/** Which styles the emitter allows for a scalar (yaml_emitter_analyze_scalar, block context). */
function analyze(s: string): Analysis {
  if (s === '') return { plain: true, singleQuoted: true, block: false, multiline: false };
  const chars = [...s];
  let indicators = s.startsWith('---') || s.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const followedByWhitespace = isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) indicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) indicators = true;
    } else if (c === ':' && followedByWhitespace) indicators = true;
    else if (c === '#' && precededByWhitespace) indicators = true;
    if (c === '\t') tabs = true;
    else if (!isPrintable(c)) special = true;
    const last = i === chars.length - 1;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c);
  }
  const edges = leadingSpace || leadingBreak || trailingSpace || trailingBreak;
  const unquotable = breakSpace || spaceBreak || tabs || special;
  return {
    plain: !(edges || unquotable || lineBreaks || indicators),
    singleQuoted: !unquotable,
    block: !(trailingSpace || spaceBreak || special),
    multiline: lineBreaks,
  };
}

const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\u0085': '\\N',
  '\u00a0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

function doubleQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const escaped = ESCAPES[c];
    if (escaped !== undefined) out += escaped;
    else if (isPrintable(c) && c !== '\ufeff') out += c;
    else {
      const code = c.codePointAt(0) ?? 0;
      out +=
        code <= 0xff
          ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
          : code <= 0xffff
            ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
            : `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

/** A literal block (`|`), its lines indented to `indent`. */
function literal(s: string, indent: number): string {
  const chomp = !s.endsWith('\n') ? '-' : s.endsWith('\n\n') || s === '\n' ? '+' : '';
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const pad = ' '.repeat(indent);
  const body = (chomp === '' || chomp === '+' ? s.slice(0, -1) : s)
    .split('\n')
    .map((line) => (line === '' ? '' : pad + line))
    .join('\n');
  return `|${hint}${chomp}\n${body}`;
}

/** One scalar as yaml.v3 writes it; a key (`simpleKey`) never takes a block style. */
export function goYamlScalar(s: string, options: { simpleKey?: boolean; indent?: number } = {}): string {
  const a = analyze(s);
  if (s.includes('\n') && !options.simpleKey) {
    if (a.block) return literal(s, options.indent ?? 2);
    return doubleQuoted(s);
  }
  if (resolvesToNonString(s) || (options.simpleKey === true && a.multiline)) return doubleQuoted(s);
  if (a.plain) return s;
  if (a.singleQuoted) return `'${s.replaceAll("'", "''")}'`;
  return doubleQuoted(s);
}

const isDigit = (c: string): boolean => /\p{Nd}/u.test(c);
const isLetter = (c: string): boolean => /\p{L}/u.test(c);

/** yaml.v3's order of string map keys (sorter.go `keyList.Less`): numbers by value, letters first. */
export function goYamlKeyCompare(a: string, b: string): number {
  if (a === b) return 0;
  return goYamlKeyLess(a, b) ? -1 : 1;
}

function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) {
      digits = isDigit(x);
      continue;
    }
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return x < y;
    if (xl || yl) return digits ? xl : yl;
    let an = 0;
    let bn = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

/** `outer:\n  inner: value\n` for every entry, sorted as yaml.v3 sorts map keys. */
export function goYamlNestedMap(map: ReadonlyMap<string, ReadonlyMap<string, string>>): string {
  let out = '';
  for (const outer of [...map.keys()].sort(goYamlKeyCompare)) {
    out += `${goYamlScalar(outer, { simpleKey: true })}:\n`;
    const inner = map.get(outer)!;
    for (const key of [...inner.keys()].sort(goYamlKeyCompare))
      out += `  ${goYamlScalar(key, { simpleKey: true })}: ${goYamlScalar(inner.get(key)!, { indent: 4 })}\n`;
  }
  return out;
}
