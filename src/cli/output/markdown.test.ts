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
