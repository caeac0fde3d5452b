import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from './markdown.js';

test('golden: counts, then a row per problem with its position', () => {
  const out = renderMarkdown(
    {
      command: 'apply',
      findings: [
        { policy: 'p', rule: 'r', resource: 'default/Pod/good', status: 'pass', message: 'ok' },
        {
          policy: 'p',
          rule: 'r',
          resource: 'default/Pod/bad',
          status: 'fail',
          message: 'a | b\n<script>',
          location: { file: 'pods.yaml', document: 1, line: 9, column: 5 },
        },
      ],
    },
    { toolVersion: '0' },
  );
  assert.equal(
    out,
    [
      '### Palisade apply: ❌ 1 problem(s)',
      '',
      '| pass | fail | warn | error | skip |',
      '|---:|---:|---:|---:|---:|',
      '| 1 | 1 | 0 | 0 | 0 |',
      '',
      '| Result | Policy | Rule | Resource | Location | Message |',
      '|---|---|---|---|---|---|',
      '| ❌ fail | p | r | default/Pod/bad | `pods.yaml:9:5` | a \\| b<br>&lt;script&gt; |',
    ].join('\n'),
  );
});

test('a clean test run has no problem table', () => {
  const out = renderMarkdown(
    { command: 'test', findings: [{ policy: 'p', rule: 'r', resource: 'x', status: 'skip', message: '' }] },
    { toolVersion: '0' },
  );
  assert.equal(
    out,
    [
      '### Palisade test: ✅ no problems',
      '',
      '| pass | fail | warn | error | skip |',
      '|---:|---:|---:|---:|---:|',
      '| 0 | 0 | 0 | 0 | 1 |',
    ].join('\n'),
  );
});

test('the problems table stops under the job-summary budget and says how many rows are left out', () => {
  const findings = Array.from({ length: 1005 }, (_, i) => ({
    policy: 'p',
    rule: 'r',
    resource: `default/Pod/x${i}`,
    status: 'fail' as const,
    message: 'm',
  }));
  const md = renderMarkdown({ command: 'apply', findings }, { toolVersion: '0' });
  assert.equal(md.split('\n').filter((l) => l.startsWith('| ❌ fail')).length, 1000);
  assert.match(md, /\n5 more problem\(s\) not shown \(a job summary holds at most 1 MiB\)/);
  const big = renderMarkdown(
    { command: 'apply', findings: findings.slice(0, 500).map((f) => ({ ...f, message: 'x'.repeat(4000) })) },
    { toolVersion: '0' },
  );
  assert.ok(Buffer.byteLength(big) < 1024 * 1024);
  assert.match(big, /more problem\(s\) not shown/);
});
