/** @module `--test-case-selector policy=*,rule=*,resource=*`: filters a test's result rows. */
import { wildcardMatch } from '../../engine/index.js';
import type { TestResultRow } from '../../io/files/test-suite.js';

export interface TestCaseSelector {
  readonly policy: string;
  readonly rule: string;
  readonly resource: string;
}

export function parseSelector(text: string): { selector: TestCaseSelector; errors: string[] } {
  const sel = { policy: '*', rule: '*', resource: '*' };
  const errors: string[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [k, v, ...rest] = part.split('=');
    const key = (k ?? '').trim();
    if (v === undefined || rest.length > 0 || !(key === 'policy' || key === 'rule' || key === 'resource')) {
      errors.push(`invalid test case selector "${part}" (expected policy=…, rule=… or resource=…)`);
      continue;
    }
    sel[key] = v.trim();
  }
  return { selector: sel, errors };
}

export function selectRow(sel: TestCaseSelector, row: TestResultRow): boolean {
  if (!wildcardMatch(sel.policy, row.policy)) return false;
  if (!wildcardMatch(sel.rule, row.rule ?? '')) return false;
  if (sel.resource === '*') return true;
  return (row.resources ?? []).some((r) => wildcardMatch(sel.resource, r));
}
