import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { type LoadedNames, unmatchedRows } from './unmatched-rows.js';

const NAMES: LoadedNames = {
  policies: new Map([
    ['require-team', { kind: 'ClusterPolicy', rules: ['team-label'] }],
    ['vpol', { kind: 'ValidatingPolicy' }],
  ]),
  resourceKeys: ['v1,Pod,default,good', 'apps/v1,Deployment,shop,web', 'payload.json'],
};

const row = (r: Partial<TestResultRow>): TestResultRow => ({
  policy: 'require-team',
  kind: 'Pod',
  result: 'pass',
  ...r,
});
const fields = (rows: TestResultRow[]) => unmatchedRows(rows, NAMES).map((u) => `${u.field}${u.entry ?? ''}`);

test('rows that name what the test loads raise nothing', () => {
  assert.deepEqual(
    fields([
      row({ rule: 'team-label', resources: ['good', 'default/good', 'shop/web'] }),
      row({ rule: 'autogen-cronjob-team-label' }),
      row({ policy: 'default/require-team', rule: 'team-label' }),
      // CEL policies have no rules: Kyverno ignores the row's rule for them.
      row({ policy: 'vpol', rule: 'anything', resources: ['payload.json'] }),
      row({
        resourceSpecs: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }],
      }),
    ]),
    [],
  );
});

test('each field that names nothing is reported, with the entry index of a list', () => {
  assert.deepEqual(
    fields([
      row({ policy: 'other' }),
      row({ rule: 'team' }),
      row({ resources: ['good', 'nope', 'default/web'] }),
      row({ resourceSpecs: [{ version: 'v1', kind: 'Pod', namespace: 'shop', name: 'good' }] }),
    ]),
    ['policy', 'rule', 'resources1', 'resources2', 'resourceSpecs0'],
  );
});
