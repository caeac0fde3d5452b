/**
 * @module Result rows that name nothing the test loaded (#13: no silent pass). Kyverno's CLI lets
 * them through quietly: a row whose `resources` match nothing checks every resource instead, and a
 * `rule` the policy does not have is `Pass / Excluded`. Palisade keeps those verdicts (conformance)
 * but reports each such row, naming the field; `palisade test --strict` fails the run on them. A
 * `policy` that is not loaded already fails as `Not found`; it is reported here too, so the reason
 * is spelled out. Pure.
 */

import type { TestResultRow } from '../../io/files/test-suite.js';
import { suggestion } from '../../io/flags/did-you-mean.js';
import { rowIgnoresRule, rowNamesRule } from './check-results.js';

/** What a test loaded: each policy by name, with its rule names (undefined: a kind without rules). */
export interface LoadedNames {
  readonly policies: ReadonlyMap<string, { readonly kind: string; readonly rules?: readonly string[] }>;
  /** `apiVersion,Kind,namespace,name` of every resource and target, and JSON payload keys. */
  readonly resourceKeys: readonly string[];
}

export interface UnmatchedRow {
  readonly row: TestResultRow;
  /** The row field that names nothing, and the index of the entry for `resources`/`resourceSpecs`. */
  readonly field: 'policy' | 'rule' | 'resources' | 'resourceSpecs';
  readonly entry?: number;
  readonly message: string;
}

function listed(names: readonly string[], max = 5): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown;
}

function nameMatches(entry: string, key: string): boolean {
  const parts = key.split(',');
  const name = parts[parts.length - 1];
  const ns = parts[parts.length - 2];
  const nsName = entry.split('/');
  if (nsName.length === 1) return entry === name;
  return nsName.length === 2 && nsName[0] === ns && nsName[1] === name;
}

function specMatches(spec: NonNullable<TestResultRow['resourceSpecs']>[number], key: string): boolean {
  const parts = key.split(',');
  const gv =
    spec.group === undefined || spec.group === ''
      ? (spec.version ?? '')
      : `${spec.group}/${spec.version ?? ''}`;
  return (
    gv === parts[0] &&
    (spec.namespace ?? '') === parts[parts.length - 2] &&
    spec.name === parts[parts.length - 1]
  );
}

function displayKey(key: string): string {
  const parts = key.split(',');
  return parts.length >= 4 ? [parts[1], parts[2], parts[3]].filter((p) => p !== '').join('/') : key;
}

/** The rows (and fields) that name no policy, rule or resource the test loaded. */
export function unmatchedRows(rows: readonly TestResultRow[], names: LoadedNames): UnmatchedRow[] {
  const out: UnmatchedRow[] = [];
  const policyNames = [...names.policies.keys()];
  for (const row of rows) {
    const policyName = row.policy.split('/').pop() ?? row.policy;
    const policy = names.policies.get(policyName);
    if (policy === undefined) {
      out.push({
        row,
        field: 'policy',
        message: `result row names policy "${row.policy}", which the test does not load (policies: ${listed(policyNames)}).${suggestion(policyName, policyNames)}`,
      });
    } else if (row.rule !== undefined && row.rule !== '' && policy.rules !== undefined) {
      // The check's rule lookup, on the declared rules and the autogen-… rules made from them.
      const rules = policy.rules.flatMap((n) => [n, `autogen-${n}`, `autogen-cronjob-${n}`]);
      if (!rowIgnoresRule(row, policy.kind) && !rules.some((name) => rowNamesRule(row, name))) {
        out.push({
          row,
          field: 'rule',
          message: `result row names rule "${row.rule}", which policy ${policyName} does not have (rules: ${listed(policy.rules)}); Kyverno passes such a row as excluded.${suggestion(row.rule, policy.rules)}`,
        });
      }
    }
    const resourceNames = names.resourceKeys.map(displayKey);
    for (const [i, entry] of (row.resources ?? []).entries()) {
      if (names.resourceKeys.some((key) => nameMatches(entry, key))) continue;
      out.push({
        row,
        field: 'resources',
        entry: i,
        message: `result row names resource "${entry}", which the test does not load (resources: ${listed(resourceNames)}); Kyverno then checks the row against every resource.${suggestion(
          entry.split('/').pop() ?? entry,
          resourceNames.map((n) => n.split('/').pop() ?? n),
        )}`,
      });
    }
    for (const [i, spec] of (row.resourceSpecs ?? []).entries()) {
      if (names.resourceKeys.some((key) => specMatches(spec, key))) continue;
      out.push({
        row,
        field: 'resourceSpecs',
        entry: i,
        message: `result row's resourceSpecs[${i}] (${[spec.kind, spec.namespace, spec.name].filter((p) => p).join('/')}) names no resource the test loads (resources: ${listed(resourceNames)})`,
      });
    }
  }
  return out;
}
