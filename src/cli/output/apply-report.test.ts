import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../engine/index.js';
import type { PolicyReportResult } from '../../io/report/report-result.js';
import { type ApplyResultRow, renderApplyTable, renderStructured, renderViolations } from './apply-report.js';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', namespace: 'default' } };

function row(over: Partial<ApplyResultRow>): ApplyResultRow {
  const status = over.status ?? 'fail';
  const report: PolicyReportResult = {
    policy: 'require-labels',
    rule: 'check-team',
    result: status,
    message: 'label team is required',
    scored: true,
    source: 'kyverno',
    resources: [],
  };
  return {
    policy: 'require-labels',
    rule: 'check-team',
    ruleType: 'Validation',
    resource: pod,
    status,
    message: 'label team is required',
    auditWarning: false,
    report,
    ...over,
  };
}

const located = row({
  location: { file: 'rendered/prod/web.yaml', document: 1, line: 12, column: 7 },
  path: ['metadata', 'labels'],
});
const unlocated = row({});

test('text output: each failed rule names the file, line and column to look at', () => {
  assert.deepEqual(renderViolations([located]), [
    'policy require-labels -> resource default/Pod/bad failed:',
    '1. check-team: label team is required',
    '   in rendered/prod/web.yaml:12:7',
    '',
  ]);
  // A finding without a position keeps Kyverno's two lines.
  assert.deepEqual(renderViolations([unlocated]), [
    'policy require-labels -> resource default/Pod/bad failed:',
    '1. check-team: label team is required',
    '',
  ]);
});

test('table output: a LOCATION column for findings, empty for passes and rows without a position', () => {
  const passed = row({ status: 'pass', location: { file: 'a.yaml', document: 0, line: 1, column: 1 } });
  const lines = renderApplyTable([located, unlocated, passed], false).split('\n');
  assert.match(lines[1] ?? '', /│ LOCATION\s+│$/);
  assert.match(lines[3] ?? '', /│ rendered\/prod\/web\.yaml:12:7 │$/);
  assert.match(lines[4] ?? '', /│ fail\s+│ fail\s+│\s+│$/);
  assert.match(lines[5] ?? '', /│ pass\s+│ Ok\s+│\s+│$/);
  // --detailed keeps MESSAGE last.
  assert.match(renderApplyTable([located], true).split('\n')[1] ?? '', /│ LOCATION\s+│ MESSAGE\s+│$/);
});

test('json and yaml output: results carry file, line, column and the field path', () => {
  const doc = JSON.parse(
    renderStructured([located, unlocated], { pass: 0, fail: 2, warn: 0, error: 0, skip: 0 }, 'json'),
  ) as { results: Record<string, unknown>[] };
  assert.equal(doc.results[0]?.file, 'rendered/prod/web.yaml');
  assert.equal(doc.results[0]?.line, 12);
  assert.equal(doc.results[0]?.column, 7);
  assert.equal(doc.results[0]?.fieldPath, 'metadata.labels');
  assert.equal('file' in (doc.results[1] ?? {}), false);
  const yaml = renderStructured([located], { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 }, 'yaml');
  assert.match(yaml, /file: rendered\/prod\/web\.yaml\n\s+line: 12\n\s+column: 7/);
});
