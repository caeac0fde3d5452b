/**
 * @module Regex functions: regex_replace_all, regex_replace_all_literal, regex_match, pattern_match.
 * Patterns come from policies, so they run on RE2 (re2js) only; replacement follows Go's
 * `Regexp.ReplaceAll` (empty-match rules, `$1` / `${name}` expansion).
 */
import { RE2JS } from 're2js';
import { wildcardMatch } from '../../units/wildcard.js';
import { budgetOf } from '../budget.js';
import { fail, failArgType } from './function-errors.js';
import { scalarToString } from './scalar-to-string.js';
import type { FunctionContext, FunctionEntry, JpArgSpec } from './types.js';

const STR: JpArgSpec = { types: ['string'] };
const STR_OR_NUM: JpArgSpec = { types: ['string', 'number'] };

/** The pattern compiled by the evaluation's memo (a policy's literals are pinned there), else afresh. */
function compile(name: string, pattern: string, ctx: FunctionContext): RE2JS {
  try {
    return ctx.memo !== undefined ? ctx.memo.regex(pattern) : RE2JS.compile(pattern);
  } catch (e) {
    return fail(name, e instanceof Error ? e.message : String(e));
  }
}

function stringArg(name: string, v: unknown, position: number): string {
  const s = scalarToString(v);
  return s === undefined ? failArgType(name, position, 'String or Real') : s;
}

type Match = { readonly start: number; readonly end: number; group(i: number): string | null };

/** Go's extract(): parses `name` or `{name}` after a `$`; undefined when malformed. */
function extractName(t: string): { name: string; rest: string } | undefined {
  let s = t;
  let brace = false;
  if (s.startsWith('{')) {
    brace = true;
    s = s.slice(1);
  }
  const m = /^[\p{L}\p{Nd}_]+/u.exec(s);
  if (!m) return undefined;
  const name = m[0];
  let i = name.length;
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  return { name, rest: s.slice(i) };
}

/** Go's `Regexp.Expand`: `$$` → `$`, `$n`/`${n}` and `$name`/`${name}`; unknown groups expand to "". */
function expand(template: string, match: Match, named: Record<string, number>): string {
  let out = '';
  let t = template;
  for (;;) {
    const at = t.indexOf('$');
    if (at < 0) break;
    out += t.slice(0, at);
    t = t.slice(at + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const ex = extractName(t);
    if (!ex) {
      out += '$';
      continue;
    }
    t = ex.rest;
    let num = /^\d+$/.test(ex.name) && ex.name.length <= 9 ? Number(ex.name) : -1;
    if (ex.name.length > 1 && ex.name.startsWith('0')) num = -1;
    const index = num >= 0 ? num : named[ex.name];
    if (index !== undefined) out += match.group(index) ?? '';
  }
  return out + t;
}

/** Go `ReplaceAll`: an empty match right after a previous match is not replaced. */
function replaceAll(
  re: RE2JS,
  src: string,
  replacement: (m: Match) => string,
  charge: (length: number) => void,
): string {
  const m = re.matcher(src);
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= src.length && m.find(pos)) {
    const start = m.start();
    const end = m.end();
    out += src.slice(lastEnd, start);
    if (end > lastEnd || start === 0) {
      out += replacement({ start, end, group: (i) => (i <= m.groupCount() ? m.group(i) : null) });
      // A replacement longer than what it replaces grows the output per match: check as it grows.
      charge(out.length + src.length - end);
    }
    lastEnd = end;
    const cp = src.codePointAt(pos);
    const width = cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
    if (pos + width > end) pos += width;
    else if (pos + 1 > end) pos++;
    else pos = end;
  }
  return out + src.slice(lastEnd);
}

export function regexReplaceAll(
  name: string,
  args: readonly unknown[],
  literal: boolean,
  ctx: FunctionContext = {},
): string {
  const [pattern, srcArg, replArg] = args;
  const src = stringArg(name, srcArg, 2);
  const repl = stringArg(name, replArg, 3);
  const budget = budgetOf(ctx);
  budget.regexInput(name, src.length);
  const re = compile(name, pattern as string, ctx);
  const named = re.namedGroups();
  let charged = 0;
  const charge = (length: number): void => {
    if (length > budget.maxValueSize) budget.output(name, length);
    // Work is charged per 64 characters built, not per match.
    if (length - charged >= 64 * 64) {
      budget.spend(Math.ceil((length - charged) / 64));
      charged = length;
    }
  };
  return replaceAll(re, src, literal ? () => repl : (m) => expand(repl, m, named), charge);
}

export const regexFunctions: readonly FunctionEntry[] = [
  {
    name: 'regex_replace_all',
    args: [STR, STR_OR_NUM, STR_OR_NUM],
    returns: ['string'],
    note: 'converts all parameters to string',
    impl: (args, ctx) => regexReplaceAll('regex_replace_all', args, false, ctx),
  },
  {
    name: 'regex_replace_all_literal',
    args: [STR, STR_OR_NUM, STR_OR_NUM],
    returns: ['string'],
    note: 'converts all parameters to string',
    impl: (args, ctx) => regexReplaceAll('regex_replace_all_literal', args, true, ctx),
  },
  {
    name: 'regex_match',
    args: [STR, STR_OR_NUM],
    returns: ['boolean'],
    note: 'first string is the regular exression which is compared with second input which can be a number or string',
    impl: ([pattern, src], ctx) => {
      const s = stringArg('regex_match', src, 2);
      budgetOf(ctx).regexInput('regex_match', s.length);
      return compile('regex_match', pattern as string, ctx).test(s);
    },
  },
  {
    name: 'pattern_match',
    args: [STR, STR_OR_NUM],
    returns: ['boolean'],
    note: "'*' matches zero or more alphanumeric characters, '?' matches a single alphanumeric character",
    impl: ([pattern, src], ctx) => {
      const s = stringArg('pattern_match', src, 2);
      budgetOf(ctx).regexInput('pattern_match', s.length);
      return wildcardMatch(pattern as string, s);
    },
  },
];
