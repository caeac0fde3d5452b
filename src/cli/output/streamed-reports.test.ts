// SARIF and JUnit made a finding at a time: the same bytes whether the kept texts stay in memory or go
// through a spill in chunks smaller than a result, and the bytes of stringifying the whole log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpillFile } from '../../io/files/spill-file.js';
import type { Finding, FindingStatus, InputProblem } from './findings.js';
import { ANNOTATIONS_PER_LEVEL, GithubCommands, renderGithub } from './github.js';
import { JunitReport, renderJunit } from './junit.js';
import { MarkdownSummary, renderMarkdown } from './markdown.js';
import { renderSarif, SarifLog } from './sarif.js';

const STATUSES: readonly FindingStatus[] = ['fail', 'pass', 'warn', 'error', 'skip'];

/** Findings over three policies that come interleaved (a, b, a, c, …), some placed, odd messages. */
function findings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => ({
    policy: `policy-${'abc'[(i * 7) % 3]}`,
    rule: `rule-${i % 4}`,
    resource: `ns-${i % 5}/Pod/p${i}`,
    status: STATUSES[i % 5]!,
    message: ['bad <thing> & "x"', 'line\nbreak', 'ünï€ \ud83d\ude00 \u2028', '', ' trailing\n\n'][i % 5]!,
    ...(i % 2 === 0
      ? { location: { file: i % 4 === 0 ? '<stdin>' : `dir/f ${i}.yaml`, document: 0, line: i, column: 2 } }
      : {}),
    ...(i % 3 === 0 ? { path: ['spec', 'containers', i, 'image'] } : {}),
    ...(i % 4 === 1
      ? { policyInfo: { title: 'T', severity: 'high', category: 'A, B', description: 'd\ne' } }
      : {}),
  }));
}

const PROBLEMS: readonly InputProblem[][] = [
  [],
  [
    {
      code: 'yaml/syntax-error',
      severity: 'error',
      message: 'bad\nthing',
      location: { file: 'x.yaml', document: 0, line: 3, column: 1 },
    },
    { code: 'input/duplicate', severity: 'warning', message: 'twice', path: ['metadata'] },
  ],
];

const SPILLS = [
  { spill: () => SpillFile.open(), heldBytes: 200, chunkBytes: 64 },
  { spill: () => undefined, heldBytes: 1, chunkBytes: 16 },
];

test('SARIF a finding at a time: JSON.stringify of the whole log, spilled or not', () => {
  for (const n of [0, 1, 3, 80])
    for (const inputProblems of PROBLEMS) {
      const fs = findings(n);
      const whole = renderSarif({ command: 'apply', findings: fs, inputProblems }, { toolVersion: '1.0.0' });
      // Spliced results are laid out as stringifying the parsed log lays them out.
      assert.equal(JSON.stringify(JSON.parse(whole), null, 2), whole, `${n} findings`);
      for (const options of SPILLS) {
        const log = new SarifLog('apply', options);
        for (const f of fs) log.add(f);
        assert.equal([...log.lines(inputProblems, { toolVersion: '1.0.0' })].join('\n'), whole);
      }
    }
});

test('JUnit a finding at a time: suites in the order policies are first seen, spilled or not', () => {
  for (const n of [0, 1, 3, 80])
    for (const inputProblems of PROBLEMS) {
      const fs = findings(n);
      const whole = renderJunit({ command: 'apply', findings: fs, inputProblems }, { toolVersion: '0' });
      // The same findings with each policy's rows together give the same report.
      const order = [...new Set(fs.map((f) => f.policy))];
      const grouped = order.flatMap((p) => fs.filter((f) => f.policy === p));
      assert.equal(
        renderJunit({ command: 'apply', findings: grouped, inputProblems }, { toolVersion: '0' }),
        whole,
      );
      for (const options of SPILLS) {
        const junit = new JunitReport('apply', options);
        for (const f of fs) junit.add(f);
        assert.equal([...junit.lines(inputProblems)].join('\n'), whole);
      }
    }
});

test('GitHub commands a finding at a time: the cap counts input problems first, spilled or not', () => {
  const errors = (n: number) => findings(5 * n).filter((f) => f.status === 'fail' || f.status === 'error');
  for (const [n, inputProblems] of [
    [0, []],
    [3, PROBLEMS[1]!],
    [40, []],
    [40, PROBLEMS[1]!],
  ] as const) {
    const fs = findings(5 * n);
    const whole = renderGithub({ command: 'apply', findings: fs, inputProblems }, { toolVersion: '0' });
    for (const options of SPILLS) {
      const github = new GithubCommands('apply', options);
      for (const f of fs) github.add(f);
      assert.equal([...github.lines(inputProblems)].join('\n'), whole);
    }
    const lines = whole.split('\n');
    const inputErrors = inputProblems.filter((p) => p.severity === 'error').length;
    const annotated = lines.filter((l) => l.startsWith('::error ')).length;
    assert.equal(annotated, Math.min(ANNOTATIONS_PER_LEVEL, inputErrors + errors(n).length));
    // The input problems' commands come first, so they are the ones annotated.
    if (inputErrors > 0) assert.match(lines[0]!, /^::error .*title=yaml\/syntax-error::/);
    assert.match(lines.at(-1)!, /^palisade apply: pass: \d+, fail: \d+/);
  }
});

test('Markdown a finding at a time: rows stop at the row and byte budgets, the lines above counted', () => {
  const problem = (i: number, message: string): Finding => ({
    policy: 'p',
    rule: 'r',
    resource: `default/Pod/p${i}`,
    status: 'fail',
    message,
  });
  const cases: [string, Finding[], InputProblem[], number][] = [
    ['rows', Array.from({ length: 1005 }, (_, i) => problem(i, 'm')), [], 1000],
    // 100 KB a row: 9 rows fit under 900 KiB with the lines above.
    ['bytes', Array.from({ length: 20 }, (_, i) => problem(i, 'x'.repeat(100_000))), [], 9],
    // A long input problem above the table leaves room for fewer rows.
    [
      'bytes above',
      Array.from({ length: 20 }, (_, i) => problem(i, 'x'.repeat(100_000))),
      [{ code: 'input/x', severity: 'warning', message: 'y'.repeat(350_000) }],
      5,
    ],
  ];
  for (const [name, fs, inputProblems, shown] of cases) {
    const md = new MarkdownSummary('apply');
    for (const f of fs) md.add(f);
    const lines = md.lines(inputProblems);
    assert.equal(
      lines.join('\n'),
      renderMarkdown({ command: 'apply', findings: fs, inputProblems }, { toolVersion: '0' }),
    );
    assert.equal(lines.filter((l) => l.startsWith('| ❌ fail')).length, shown, name);
    assert.equal(
      lines.at(-1),
      `${fs.length - shown} more problem(s) not shown (a job summary holds at most 1 MiB); SARIF, JUnit and \`-o json\` list them all.`,
    );
    assert.ok(Buffer.byteLength(lines.join('\n')) < 1 << 20, name);
  }
});
