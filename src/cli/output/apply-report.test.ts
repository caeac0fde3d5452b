import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldPath, type KubeObject } from '../../engine/index.js';
import { SpillFile } from '../../io/files/spill-file.js';
import type { PolicyReportResult } from '../../io/report/report-result.js';
import {
  type ApplyResultRow,
  ApplyTable,
  JsonResults,
  renderApplyTable,
  renderStructured,
  renderViolations,
  structuredJsonLines,
  structuredProblem,
} from './apply-report.js';
import type { InputProblem } from './findings.js';

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

test('-o json a result at a time: the text of stringifying the whole document', () => {
  // The document as `renderStructured` built it before it streamed, the reference here.
  const whole = (rows: readonly ApplyResultRow[], problems: readonly InputProblem[]) =>
    JSON.stringify(
      {
        summary,
        ...(problems.length > 0 ? { errors: problems.map(structuredProblem) } : {}),
        results: rows.map((r) => ({
          policy: r.policy,
          rule: r.rule,
          resource: {
            apiVersion: r.resource.apiVersion ?? '',
            kind: r.resource.kind ?? '',
            namespace: r.resource.metadata?.namespace ?? '',
            name: r.resource.metadata?.name ?? '',
          },
          result: r.status,
          message: r.message,
          ...(r.location !== undefined && r.status !== 'pass' && r.status !== 'skip'
            ? { file: r.location.file, line: r.location.line, column: r.location.column }
            : {}),
          ...(r.location !== undefined && r.status !== 'pass' && r.status !== 'skip' && r.path !== undefined
            ? { fieldPath: formatFieldPath(r.path) }
            : {}),
        })),
      },
      null,
      2,
    );
  const summary = { pass: 1, fail: 2, warn: 0, error: 0, skip: 3 };
  const odd = row({
    message: 'line one\nline two\t"quoted" \\ back\u2028sep \ud800 lone ✓',
    resource: { kind: 'Pod', metadata: { name: 'n\nm' } },
    status: 'warn',
    location: { file: 'a "b".yaml', document: 0, line: 3, column: 1 },
    path: ['spec', 'containers', 0, 'a.b'],
  });
  const problems: InputProblem[] = [
    { code: 'yaml/syntax-error', severity: 'error', message: 'bad\nthing' },
    {
      code: 'input/x',
      severity: 'warning',
      message: 'w',
      location: { file: 'f.yaml', document: 0, line: 1, column: 2 },
      path: ['a'],
    },
  ];
  const cases: [readonly ApplyResultRow[], readonly InputProblem[]][] = [
    [[], []],
    [[], problems],
    [[located], []],
    [[located, unlocated, odd, row({ status: 'pass', location: located.location! })], []],
    [[odd, located], problems],
  ];
  for (const [rows, ps] of cases) {
    const expected = whole(rows, ps);
    assert.equal([...structuredJsonLines(rows, summary, ps)].join('\n'), expected);
    assert.equal(renderStructured(rows, summary, 'json', ps), expected);
    // Kept as text through a temporary file in chunks smaller than a result.
    const spilled = new JsonResults({ spill: () => SpillFile.open(), heldBytes: 100, chunkBytes: 64 });
    for (const r of rows) spilled.add(r);
    assert.equal([...structuredJsonLines(spilled, summary, ps)].join('\n'), expected);
  }
});

test('--table as rows come: the same table spilled or not, every column as wide as its widest cell', () => {
  const rows = Array.from({ length: 50 }, (_, i) =>
    row({
      status: (['fail', 'pass', 'warn'] as const)[i % 3]!,
      message: i === 49 ? 'the last\nrow is the widest message of all' : `m${i}`,
      ...(i === 48 ? { policy: 'a-policy-name-longer-than-the-others' } : {}),
      ...(i % 2 === 0 ? { location: { file: `f${i}.yaml`, document: 0, line: i, column: 1 } } : {}),
    }),
  );
  for (const detailed of [false, true])
    for (const color of [false, true]) {
      const whole = renderApplyTable(rows, detailed, color);
      const lines = whole.split('\n');
      // The first row is padded to the policy name of row 49.
      assert.equal(lines[3]!.indexOf('│', 5), lines[51]!.indexOf('│', 5));
      for (const options of [
        { spill: () => SpillFile.open(), heldBytes: 200, chunkBytes: 64 },
        { spill: () => undefined, heldBytes: 1, chunkBytes: 16 },
      ]) {
        const table = new ApplyTable(detailed, color, options);
        for (const r of rows) table.add(r);
        assert.equal([...table.lines()].join('\n'), whole);
      }
    }
});
