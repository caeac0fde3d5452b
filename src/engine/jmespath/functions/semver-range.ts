/**
 * @module blang/semver v4 version ranges as `semver_compare` reads them: `>=1.2.0 <2.0.0 || 3.x`.
 * Space-separated comparators are ANDed, `||` ORs groups, `x` wildcards expand to bounds, and a
 * version must be strict `MAJOR.MINOR.PATCH[-pre][+build]` (no `v`, no leading zeros).
 */
import { compareSemver, parseSemver, type SemVer } from '../../units/semver.js';

export type SemverRange = (v: SemVer) => boolean;

/** blang `Parse`: strict, unlike the tolerant unit parser (rejects `v1.2.3`, `01.2.3`, `1.2.3-01`). */
export function parseStrictSemver(s: string): SemVer | undefined {
  if (s.startsWith('v') || s.trim() !== s) return undefined;
  const v = parseSemver(s);
  if (!v) return undefined;
  const pre = /^[^-+]*-([^+]*)/.exec(s)?.[1];
  if (pre?.split('.').some((p) => /^0\d+$/.test(p))) return undefined;
  return v;
}

/** blang's splitAndTrim: split on spaces, except right after an operator character. */
function splitAndTrim(s: string): string[] {
  const out: string[] = [];
  let last = 0;
  let lastChar = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ' ' && !['>', '<', '='].includes(lastChar)) {
      if (last < i - 1) out.push(s.slice(last, i));
      last = i + 1;
    } else if (s[i] !== ' ') {
      lastChar = s[i] ?? '';
    }
  }
  if (last < s.length - 1) out.push(s.slice(last));
  return out.map((p) => p.replaceAll(' ', ''));
}

function splitComparatorVersion(s: string): [string, string] {
  const i = s.search(/\d/);
  if (i < 0) throw new Error(`Could not get version from string: "${s}"`);
  return [s.slice(0, i).trim(), s.slice(i)];
}

function bump(v: string, index: 0 | 1): string {
  const parts = v.split('.');
  parts[index] = String(Number.parseInt(parts[index] ?? '', 10) + 1);
  return parts.join('.');
}

/** blang's expandWildcardVersion: `1.2.x` / `1.x` / `1.x.x` become explicit bounds. */
function expandWildcards(group: readonly string[]): string[] {
  const out: string[] = [];
  for (const part of group) {
    if (!part.includes('x')) {
      out.push(part);
      continue;
    }
    const [op, v] = splitComparatorVersion(part);
    const pieces = v.split('.');
    const wildcard = pieces[pieces.length - 1] === 'x' ? pieces.length : 0; // 2 = minor, 3 = patch
    let flat = v.replace('.x.x', '.x').replace('.x', '.0');
    if (flat.split('.').length === 2) flat += '.0';
    let resultOp = '';
    let increment = false;
    if (op === '>') [resultOp, increment] = ['>=', true];
    else if (op === '>=') resultOp = '>=';
    else if (op === '<') resultOp = '<';
    else if (op === '<=') [resultOp, increment] = ['<', true];
    else if (op === '' || op === '=' || op === '==') {
      out.push(`>=${flat}`);
      [resultOp, increment] = ['<', true];
    } else if (op === '!=' || op === '!') {
      out.push(`<${flat}`);
      [resultOp, increment] = ['>=', true];
    }
    let version = flat;
    if (increment) version = wildcard === 3 ? bump(flat, 1) : wildcard === 2 ? bump(flat, 0) : '';
    out.push(resultOp + version);
  }
  return out;
}

function comparator(op: string, v: SemVer): SemverRange | undefined {
  const cmp = (x: SemVer): number => compareSemver(x, v);
  switch (op) {
    case '':
    case '=':
    case '==':
      return (x) => cmp(x) === 0;
    case '!':
    case '!=':
      return (x) => cmp(x) !== 0;
    case '>':
      return (x) => cmp(x) > 0;
    case '>=':
      return (x) => cmp(x) >= 0;
    case '<':
      return (x) => cmp(x) < 0;
    case '<=':
      return (x) => cmp(x) <= 0;
    default:
      return undefined;
  }
}

/** blang `ParseRange`; throws an Error with blang's message when the range is malformed. */
export function parseSemverRange(s: string): SemverRange {
  const parts = splitAndTrim(s);
  const groups: string[][] = [];
  let last = 0;
  parts.forEach((p, i) => {
    if (p !== '||') return;
    if (i === 0) throw new Error("First element in range is '||'");
    groups.push(parts.slice(last, i));
    last = i + 1;
  });
  if (last === parts.length) throw new Error("Last element in range is '||'");
  groups.push(parts.slice(last));
  const ors = groups.map((group) => {
    const ands = expandWildcards(group).map((part) => {
      const [op, vStr] = splitComparatorVersion(part);
      const v = parseStrictSemver(vStr);
      if (!v)
        throw new Error(`Could not parse Range "${part}": Could not parse version "${vStr}" in "${part}"`);
      const fn = comparator(op, v);
      if (!fn)
        throw new Error(`Could not parse Range "${part}": Could not parse comparator "${op}" in "${part}"`);
      return fn;
    });
    return (x: SemVer) => ands.every((f) => f(x));
  });
  return (x) => ors.some((f) => f(x));
}
