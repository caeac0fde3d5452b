// SARIF and JUnit made a finding at a time: the same bytes whether the kept texts stay in memory or go
// through a spill in chunks smaller than a result, and the bytes of stringifying the whole log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpillFile } from '../../io/files/spill-file.js';
import type { Finding, FindingStatus, InputProblem } from './findings.js';
import { JunitReport, renderJunit } from './junit.js';
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
