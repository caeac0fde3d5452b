/**
 * @module The `kyverno test` result contract (reference §8.3, commands/test/output.go): selects the
 * engine responses each expected result row refers to and compares the report result. Pure.
 *
 * Quirks copied on purpose: a row naming resources that match nothing checks every resource; a
 * policy response without a matching rule is `Pass / Excluded` (counted as skip); no response of the
 * policy at all is `Fail / Not found`. Not copied: Kyverno's bug that counts any mismatch as success
 * when the expected result is `fail` (kyverno/kyverno#11519) — a mismatch always fails here.
 */
import type { FieldPath, KubeObject, PolicyResult, RuleResult, SourceRef } from '../../engine/index.js';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { computeReportStatus } from '../../io/report/report-result.js';
import {
  compareGeneratedResources,
  compareResources,
  findExpected,
  resourceIdentity,
} from './compare-resources.js';

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
  /** `apiVersion,Kind,namespace,name` of the checked resource (to find its source file). */
  readonly resourceKey?: string;
  /** Where in the resource the rule failed, when the engine knows. */
  readonly path?: FieldPath;
  /** Annotations of the policy (title, description, severity for SARIF/JUnit). */
  readonly policyAnnotations?: Readonly<Record<string, string>>;
  /** File position of the offending field (filled in by run-test-case for failed rows). */
  readonly location?: SourceRef;
}

export interface ResultCounts {
  pass: number;
  fail: number;
  skip: number;
}

/**
 * Reads the documents of a `patchedResources` / `generatedResource(s)` file named in a row (path as
 * written, relative to the test file); the io layer supplies it so this module stays pure.
 */
export type ExpectedResourceLoader = (
  file: string,
) => { readonly objects: readonly KubeObject[] } | { readonly error: string };

/** key → responses, key = `apiVersion,Kind,namespace,name` of the loaded resource. */
export type ResponsesByResource = ReadonlyMap<string, readonly PolicyResult[]>;

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

/** CEL and admission policy kinds have no rules: a row's `rule` is ignored for them (Kyverno 1.19). */
const RULELESS_KINDS: ReadonlySet<string> = new Set([
  'ValidatingPolicy',
  'NamespacedValidatingPolicy',
  'ValidatingAdmissionPolicy',
  'MutatingPolicy',
  'NamespacedMutatingPolicy',
  'MutatingAdmissionPolicy',
  'ImageValidatingPolicy',
  'NamespacedImageValidatingPolicy',
  'GeneratingPolicy',
  'NamespacedGeneratingPolicy',
  'DeletingPolicy',
  'NamespacedDeletingPolicy',
]);

/** Whether a row's `rule` is ignored: CEL and admission policies have no rules. */
export function rowIgnoresRule(row: TestResultRow, policyKind?: string): boolean {
  return isRuleless(row) || (policyKind !== undefined && RULELESS_KINDS.has(policyKind));
}

/** Whether the row's `rule` refers to the rule `name`: as written, or its `autogen-`/`autogen-cronjob-` form. */
export function rowNamesRule(row: TestResultRow, name: string): boolean {
  const rule = row.rule ?? '';
  return name === rule || name === `autogen-${rule}` || name === `autogen-cronjob-${rule}`;
}

/** The rule responses a row refers to: `rule`, `autogen-rule` or `autogen-cronjob-rule`. */
export function lookupRuleResponses(
  row: TestResultRow,
  rules: readonly RuleResult[],
  policyKind?: string,
): RuleResult[] {
  if (rowIgnoresRule(row, policyKind)) return [...rules];
  return rules.filter((r) => rowNamesRule(row, r.name));
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
  loadExpected: ExpectedResourceLoader = () => ({ error: 'no resource loader' }),
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
    for (const key of selectResources(row, [...responses.keys()])) {
      const resource = displayResource(key);
      let found = 0;
      for (const er of responses.get(key) ?? []) {
        if (er.policy.name !== policyName) continue;
        let matched = 0;
        for (const rr of lookupRuleResponses(row, er.response.rules, er.response.policyKind)) {
          matched++;
          const actual = computeReportStatus(er.policy, er.response, rr, false);
          const where = {
            resourceKey: key,
            ...(rr.path !== undefined ? { path: rr.path } : {}),
            ...(er.policy.annotations !== undefined ? { policyAnnotations: er.policy.annotations } : {}),
          };
          const base = { policy: row.policy, rule, resource, expected: row.result, actual, ...where };
          const check = checkResources(row, er, rr, loadExpected);
          if (check === 'dropped') continue;
          if (check !== undefined) {
            push({ ...base, result: 'Fail', reason: check.reason, message: check.message, skipped: false });
            continue;
          }
          const ok = actual === row.result;
          push({
            ...base,
            result: ok ? 'Pass' : 'Fail',
            reason: ok ? 'Ok' : `Want ${row.result}, got ${actual}`,
            message: rr.message,
            skipped: ok && row.result === 'skip',
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
          resourceKey: key,
        });
      }
    }
  }
  return { rows: out, counts };
}

interface ResourceMismatch {
  readonly reason: 'Resource diff' | 'Resource error';
  readonly message: string;
}

function loadAll(
  files: readonly string[],
  loadExpected: ExpectedResourceLoader,
): { objects: KubeObject[] } | { error: string } {
  const objects: KubeObject[] = [];
  for (const file of files) {
    const loaded = loadExpected(file);
    if ('error' in loaded) return { error: `failed to load resource (${loaded.error})` };
    objects.push(...loaded.objects);
  }
  return { objects };
}

/**
 * The resource comparison that runs before the result comparison (reference §8.3). Returns a
 * mismatch, `'dropped'` when no engine object has an expected document in `patchedResources` (Kyverno
 * prints no row then, unless `failOnMissingResources`), or undefined when everything matched.
 */
function checkResources(
  row: TestResultRow,
  er: PolicyResult,
  rr: RuleResult,
  loadExpected: ExpectedResourceLoader,
): ResourceMismatch | 'dropped' | undefined {
  if (rr.type === 'Generation') return checkGenerated(row, rr, loadExpected);
  if (row.patchedResources === undefined) return undefined;
  const loaded = loadAll([row.patchedResources], loadExpected);
  if ('error' in loaded) return { reason: 'Resource error', message: loaded.error };
  const actuals = [er.response.patchedResource, ...(rr.patchedTargets ?? [])];
  let compared = 0;
  for (const actual of actuals) {
    const expected = findExpected(loaded.objects, actual);
    if (expected === undefined) {
      if (row.failOnMissingResources === true) {
        return {
          reason: 'Resource error',
          message: `resource ${resourceIdentity(actual)} not found in ${row.patchedResources}`,
        };
      }
      continue;
    }
    compared++;
    const cmp = compareResources(expected, actual);
    if (!cmp.equal) {
      return {
        reason: 'Resource diff',
        message: `Patched resource didn't match the patched resource in the test result\n${changedLines(cmp.diff)}`,
      };
    }
  }
  return compared === 0 ? 'dropped' : undefined;
}

function checkGenerated(
  row: TestResultRow,
  rr: RuleResult,
  loadExpected: ExpectedResourceLoader,
): ResourceMismatch | undefined {
  const files = [
    ...(row.generatedResource !== undefined ? [row.generatedResource] : []),
    ...(row.generatedResources ?? []),
  ];
  const generated = rr.generatedResources ?? [];
  // A generate rule that produced nothing is checked on its result only.
  if (files.length === 0 || generated.length === 0) return undefined;
  const loaded = loadAll(files, loadExpected);
  if ('error' in loaded) return { reason: 'Resource error', message: loaded.error };
  for (const actual of generated) {
    if (loaded.objects.some((e) => compareGeneratedResources(e, actual).equal)) continue;
    const closest = findExpected(loaded.objects, actual) ?? loaded.objects[0];
    const diff =
      closest !== undefined ? `\n${changedLines(compareGeneratedResources(closest, actual).diff)}` : '';
    return {
      reason: 'Resource diff',
      message: `Generated resource didn't match the generated resource in the test result${diff}`,
    };
  }
  return undefined;
}

/** The `-`/`+` lines of a diff (expected/actual), capped, for the MESSAGE column. */
function changedLines(diff: string, max = 20): string {
  const lines = diff.split('\n').filter((l) => l.startsWith('-') || l.startsWith('+'));
  return lines.length > max
    ? [...lines.slice(0, max), `... ${lines.length - max} more`].join('\n')
    : lines.join('\n');
}
