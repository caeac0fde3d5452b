/**
 * @module The `kyverno test` result contract (reference §8.3, commands/test/output.go): selects the
 * engine responses each expected result row refers to and compares the report result. Pure.
 *
 * Quirks copied on purpose: a row naming resources that match nothing checks every resource; a
 * policy response without a matching rule is `Pass / Excluded` (counted as skip); no response of the
 * policy at all is `Fail / Not found`. Not copied: Kyverno's bug that counts any mismatch as success
 * when the expected result is `fail` (kyverno/kyverno#11519) — a mismatch always fails here.
 */
import type { RuleResult } from '../../engine/index.js';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { computeReportStatus } from '../../io/report/report-result.js';
import type { EngineResponse } from './evaluate-resources.js';

export type RowOutcome = 'Pass' | 'Fail';

export interface CheckedRow {
  readonly id: number;
  readonly policy: string;
  readonly rule: string;
  readonly resource: string;
  readonly result: RowOutcome;
  readonly reason: string;
  readonly message: string;
  readonly expected: string;
  /** The actual report result, when a rule response was found. */
  readonly actual?: string;
  /** Counted as skip rather than pass (expected skip, or Excluded). */
  readonly skipped: boolean;
  readonly note?: string;
}

export interface ResultCounts {
  pass: number;
  fail: number;
  skip: number;
}

/** key → responses, key = `apiVersion,Kind,namespace,name` of the loaded resource. */
export type ResponsesByResource = ReadonlyMap<string, readonly EngineResponse[]>;

function isRuleless(row: TestResultRow): boolean {
  return (
    row.isValidatingAdmissionPolicy === true ||
    row.isMutatingAdmissionPolicy === true ||
    row.isValidatingPolicy === true ||
    row.isMutatingPolicy === true ||
    row.isGeneratingPolicy === true ||
    row.isDeletingPolicy === true ||
    row.isImageValidatingPolicy === true
  );
}

/** The rule responses a row refers to: `rule`, `autogen-rule` or `autogen-cronjob-rule`. */
export function lookupRuleResponses(row: TestResultRow, rules: readonly RuleResult[]): RuleResult[] {
  if (isRuleless(row)) return [...rules];
  const name = row.rule ?? '';
  return rules.filter(
    (r) => r.name === name || r.name === `autogen-${name}` || r.name === `autogen-cronjob-${name}`,
  );
}

/** Which response keys a row selects (see the module note on the match-nothing quirk). */
export function selectResources(row: TestResultRow, keys: readonly string[]): string[] {
  const selected: string[] = [];
  if (row.resources !== undefined) {
    for (const r of row.resources) {
      const nsName = r.split('/');
      for (const key of keys) {
        const parts = key.split(',');
        const name = parts[parts.length - 1];
        const ns = parts[parts.length - 2];
        if (nsName.length === 1 && r === name) selected.push(key);
        if (nsName.length === 2 && nsName[0] === ns && nsName[1] === name) selected.push(key);
      }
    }
    for (const spec of row.resourceSpecs ?? []) {
      for (const key of keys) {
        const parts = key.split(',');
        const gv =
          spec.group === undefined || spec.group === ''
            ? (spec.version ?? '')
            : `${spec.group}/${spec.version ?? ''}`;
        if (gv !== parts[0]) continue;
        if ((spec.namespace ?? '') !== parts[parts.length - 2]) continue;
        if (spec.name === parts[parts.length - 1]) selected.push(key);
      }
    }
  }
  return selected.length > 0 ? selected : [...keys];
}

function displayResource(key: string): string {
  return key.split(',').join('/');
}

/** Checks every row against the responses; returns table rows and counts. */
export function checkResults(
  rows: readonly TestResultRow[],
  responsesFor: (row: TestResultRow) => ResponsesByResource,
): {
  rows: CheckedRow[];
  counts: ResultCounts;
} {
  const out: CheckedRow[] = [];
  const counts: ResultCounts = { pass: 0, fail: 0, skip: 0 };
  let id = 1;
  const push = (r: Omit<CheckedRow, 'id'>): void => {
    out.push({ id: id++, ...r });
    if (r.result === 'Fail') counts.fail++;
    else if (r.skipped) counts.skip++;
    else counts.pass++;
  };
  for (const row of rows) {
    const responses = responsesFor(row);
    const policyName = row.policy.split('/').pop() ?? row.policy;
    const rule = row.rule ?? '';
    const note =
      row.patchedResources !== undefined ||
      row.generatedResource !== undefined ||
      row.generatedResources !== undefined
        ? 'patched/generated resources are not compared yet; only the result is checked'
        : undefined;
    for (const key of selectResources(row, [...responses.keys()])) {
      const resource = displayResource(key);
      let found = 0;
      for (const er of responses.get(key) ?? []) {
        if (er.compiled.policy.metadata.name !== policyName) continue;
        let matched = 0;
        for (const rr of lookupRuleResponses(row, er.response.rules)) {
          matched++;
          const actual = computeReportStatus(er.compiled.policy, er.response, rr, false);
          const ok = actual === row.result;
          push({
            policy: row.policy,
            rule,
            resource,
            result: ok ? 'Pass' : 'Fail',
            reason: ok ? 'Ok' : `Want ${row.result}, got ${actual}`,
            message: rr.message,
            expected: row.result,
            actual,
            skipped: ok && row.result === 'skip',
            ...(note !== undefined ? { note } : {}),
          });
        }
        if (matched === 0 && found === 0) {
          push({
            policy: row.policy,
            rule,
            resource,
            result: 'Pass',
            reason: 'Excluded',
            message: 'Excluded',
            expected: row.result,
            skipped: true,
          });
        }
        found += Math.max(matched, 1);
      }
      if (found === 0) {
        push({
          policy: row.policy,
          rule,
          resource,
          result: 'Fail',
          reason: 'Not found',
          message: 'Not found',
          expected: row.result,
          skipped: false,
        });
      }
    }
  }
  return { rows: out, counts };
}
