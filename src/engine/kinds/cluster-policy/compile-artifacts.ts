/**
 * @module What a ClusterPolicy/Policy (or a PolicyException) lets compile before any request: the
 * JMESPath of every `{{ }}` in its text, of its context entries' `jmesPath` and foreach `list`s, the
 * literal patterns of their regex functions, the kind selectors of match/exclude and the programs
 * of `validate.cel` rules. They are pinned into the owner's memo, where evaluation finds them; only
 * what substitution builds at run time (nested variables, `{{@}}` paths) is compiled then.
 */
import type { CompileMemo } from '../../compile-memo.js';
import { isMap } from '../../model/json-map.js';
import { findVariables, variableExpression } from '../../variables/template.js';
import type { MatchResources, PolicyException, Rule } from './types.js';
import { pinCelRule } from './validate/cel.js';

/** The expressions `{{ }}` variables in `text` query (as substitution sends them to JMESPath). */
function pinVariables(text: string, memo: CompileMemo): void {
  memo.pinTemplate(text);
  for (const v of findVariables(text)) {
    let expression = variableExpression(v.text);
    if (expression.startsWith('-')) expression = expression.slice(1).trim();
    // `{{@}}` becomes the path of the value being substituted: known once that value is.
    if (expression === '' || expression === '@') continue;
    memo.pinJmespath(expression);
    // A DELETE request reads the old object (see substitute.ts).
    if (expression.includes('request.object'))
      memo.pinJmespath(expression.replaceAll('request.object', 'request.oldObject'));
  }
}

/** A query field without variables is queried as written (`jmesPath`) or trimmed (foreach `list`). */
function pinQuery(value: unknown, memo: CompileMemo, trim: boolean): void {
  if (typeof value !== 'string' || value === '' || value.includes('{{')) return;
  memo.pinJmespath(trim ? value.trim() : value);
}

/** Every string and key of `value`; `key` is the key `value` sits under (arrays pass theirs on). */
function walk(value: unknown, key: string, memo: CompileMemo): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) pinVariables(value, memo);
  } else if (Array.isArray(value)) {
    for (const item of value) walk(item, key, memo);
  } else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('{{')) pinVariables(k, memo);
      if (k === 'jmesPath') pinQuery(v, memo, false);
      else if (k === 'list' && key === 'foreach') pinQuery(v, memo, true);
      walk(v, k, memo);
    }
  }
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function pinKindSelectors(match: MatchResources | undefined, memo: CompileMemo): void {
  if (typeof match !== 'object' || match === null) return;
  const filters = [...listOf(match.any), ...listOf(match.all)] as MatchResources[];
  const lists = [match.resources?.kinds, ...filters.map((f) => f?.resources?.kinds)];
  for (const kinds of lists) {
    if (!Array.isArray(kinds)) continue;
    for (const kind of kinds) memo.pinKindSelector(String(kind));
  }
}

interface PatternHolder {
  readonly pattern?: unknown;
  readonly anyPattern?: unknown;
  readonly foreach?: unknown;
}

/** Plans the maps of the validate patterns (`pattern`, `anyPattern`, nested foreach entries). */
function planValidatePatterns(holder: PatternHolder | undefined, memo: CompileMemo, depth: number): void {
  if (typeof holder !== 'object' || holder === null || depth > 64) return;
  memo.patterns.add(holder.pattern);
  memo.patterns.add(holder.anyPattern);
  for (const entry of listOf(holder.foreach)) planValidatePatterns(entry as PatternHolder, memo, depth + 1);
}

/** Pins what the rules (autogen clones included) compile to. Never throws. */
export function pinRuleArtifacts(rules: readonly Rule[], memo: CompileMemo): void {
  for (const rule of rules) {
    walk(rule, '', memo);
    planValidatePatterns(rule.validate, memo, 0);
    pinKindSelectors(rule.match, memo);
    pinKindSelectors(rule.exclude, memo);
    pinCelRule(rule, memo);
  }
}

/** Pins what PolicyExceptions compile to: their conditions' variables and match kinds. Never throws. */
export function pinExceptionArtifacts(exceptions: readonly PolicyException[], memo: CompileMemo): void {
  for (const e of exceptions) {
    walk(e.spec?.conditions, 'conditions', memo);
    pinKindSelectors(e.spec?.match, memo);
  }
}
