// `--policy-report` and `-o yaml` written as rows come: the bytes of stringifying the whole documents,
// whether the texts stay in memory or go through a spill in chunks smaller than a result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { SpillFile } from '../../io/files/spill-file.js';
import { buildPolicyReports, type PolicyReportResult } from '../../io/report/report-result.js';
import {
  type ApplyResultRow,
  renderReports,
  renderStructured,
  structuredProblem,
  YamlResults,
} from './apply-report.js';
import type { InputProblem } from './findings.js';
import { PolicyReportStream } from './policy-reports.js';

const MESSAGES = [
  'label team is required',
  `validation error: ${'a long message that the YAML writer folds at its line width, '.repeat(4)}end`,
  'line one\nline two\n',
  'kept trailing lines\n\n\n',
  '  leading spaces and a "quote" and: colon # hash',
  'ünï€ \ud83d\ude00 \u2028 sep',
  '',
  'yes',
  '- dash',
];

function result(i: number): PolicyReportResult {
  const status = (['fail', 'pass', 'warn', 'error', 'skip'] as const)[i % 5]!;
  return {
    policy: `policy-${i % 3}`,
    rule: `rule-${i % 4}`,
    result: status,
    message: MESSAGES[i % MESSAGES.length]!,
    scored: i % 7 !== 0,
    source: 'kyverno',
    ...(i % 2 === 0 ? { category: 'Pod Security Standards (Baseline)', severity: 'medium' } : {}),
    ...(i % 6 === 0
      ? { properties: { 'cel.validationIndex': String(i % 3), control: 'HostPath Volumes' } }
      : {}),
    resources: [
      {
        apiVersion: i % 2 === 0 ? 'v1' : 'apps/v1',
        kind: i % 2 === 0 ? 'Pod' : 'Deployment',
        name: `workload-${i}`,
        ...(i % 3 !== 0 ? { namespace: `ns-${i % 5}` } : {}),
      },
    ],
  };
}

/** Rows over the cluster report and namespaces that come out of order (Zeta, alpha, Beta, …). */
function rows(
  n: number,
  namespaces: readonly string[],
): { namespace?: string; result: PolicyReportResult }[] {
  return Array.from({ length: n }, (_, i) => {
    const ns = namespaces.length > 0 && i % 3 !== 0 ? namespaces[i % namespaces.length] : undefined;
    return { ...(ns !== undefined ? { namespace: ns } : {}), result: result(i) };
  });
}

const SPILLS = [
  {},
  { spill: () => SpillFile.open(), heldBytes: 300, chunkBytes: 64 },
  { spill: () => undefined, heldBytes: 1, chunkBytes: 16 },
];

test('policy reports as rows come: the bytes of the whole reports, yaml and json, spilled or not', () => {
  const cases = [
    rows(0, []),
    rows(1, []),
    rows(60, []),
    rows(60, ['zeta', 'alpha', 'Beta', 'ns-1']),
    rows(5, ['only']),
  ];
  for (const [c, input] of cases.entries())
    for (const format of ['yaml', 'json'] as const) {
      const expected = renderReports(buildPolicyReports(input), format);
      for (const options of SPILLS) {
        const stream = new PolicyReportStream(format, options);
        for (const r of input) stream.add(r.namespace, r.result);
        assert.equal(
          [...stream.lines()].join('\n'),
          expected,
          `case ${c}, ${format}, ${JSON.stringify(options)}`,
        );
      }
    }
});

test('-o yaml as rows come: the bytes of stringifying the whole document, spilled or not', () => {
  const row = (i: number, over: Partial<ApplyResultRow> = {}): ApplyResultRow => {
    const r = result(i);
    return {
      policy: r.policy,
      rule: r.rule,
      ruleType: 'Validation',
      resource: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default' } },
      status: r.result,
      message: r.message,
      auditWarning: false,
      report: r,
      ...(i % 2 === 0
        ? {
            location: { file: `dir/f ${i}.yaml`, document: i, line: i + 1, column: 3 },
            path: ['spec', 'containers', i],
          }
        : {}),
      ...over,
    };
  };
  // The document as `renderStructured` built it before it streamed, the reference here.
  const whole = (rs: readonly ApplyResultRow[], problems: readonly InputProblem[]) =>
    stringify({
      summary,
      ...(problems.length > 0 ? { errors: problems.map(structuredProblem) } : {}),
      results: rs.map((r) => JSON.parse([...structuredJsonItem(r)].join('')) as unknown),
    }).trimEnd();
  const summary = { pass: 1, fail: 2, warn: 0, error: 0, skip: 3 };
  const problems: InputProblem[] = [{ code: 'yaml/syntax-error', severity: 'error', message: 'bad\nthing' }];
  const many = Array.from({ length: 40 }, (_, i) => row(i));
  const cases: [readonly ApplyResultRow[], readonly InputProblem[]][] = [
    [[], []],
    [[], problems],
    [many, []],
    [many, problems],
    // The last result's kept trailing line feeds are trimmed with the document's end.
    [[row(1), row(3, { message: 'kept trailing lines\n\n\n' })], []],
  ];
  for (const [c, [rs, ps]] of cases.entries()) {
    const expected = whole(rs, ps);
    assert.equal(renderStructured(rs, summary, 'yaml', ps), expected, `case ${c}`);
    for (const options of SPILLS) {
      const results = new YamlResults(options);
      for (const r of rs) results.add(r);
      assert.equal(
        [...results.lines(summary, ps)].join('\n'),
        expected,
        `case ${c}, ${JSON.stringify(options)}`,
      );
    }
  }
});

/** A row's `-o json` result (the same fields `-o yaml` lists), through the JSON document's text. */
function* structuredJsonItem(r: ApplyResultRow): Generator<string> {
  const doc = JSON.parse(renderStructured([r], { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }, 'json')) as {
    results: unknown[];
  };
  yield JSON.stringify(doc.results[0]);
}
