import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FindingsReport } from './findings.js';
import { escapeData, escapeProperty, renderGithub } from './github.js';

// docs.github.com "Workflow commands for GitHub Actions" + actions/toolkit command.ts escaping
describe('workflow-command escaping', () => {
  const cases = [
    { in: '100%', data: '100%25', prop: '100%25' },
    { in: 'a\nb\r\nc', data: 'a%0Ab%0D%0Ac', prop: 'a%0Ab%0D%0Ac' },
    { in: 'a:b,c', data: 'a:b,c', prop: 'a%3Ab%2Cc' },
    { in: '%0A', data: '%250A', prop: '%250A' },
  ];
  for (const c of cases) {
    test(JSON.stringify(c.in), () => {
      assert.equal(escapeData(c.in), c.data);
      assert.equal(escapeProperty(c.in), c.prop);
    });
  }
});

const report: FindingsReport = {
  command: 'apply',
  findings: [
    { policy: 'p', rule: 'r', resource: 'default/Pod/good', status: 'pass', message: 'ok' },
    {
      policy: 'disallow-latest-tag',
      rule: 'require-image-tag',
      resource: 'default/Pod/bad',
      status: 'fail',
      message: 'validation error: An image tag is required.\nrule failed',
      location: { file: 'dir,x/pods.yaml', document: 1, line: 12, column: 7 },
      policyInfo: { title: 'Disallow Latest Tag' },
    },
    { policy: 'audit', rule: 'r2', resource: 'ns/Pod/x', status: 'warn', message: 'w' },
    {
      policy: 'p3',
      rule: 'r3',
      resource: 'default/Pod/s',
      status: 'error',
      message: 'variable substitution failed',
      location: { file: '<stdin>', document: 0, line: 3, column: 1 },
    },
  ],
};

test('golden: one annotation per problem, then a summary line', () => {
  assert.equal(
    renderGithub(report, { toolVersion: '0.1.0' }),
    [
      '::error file=dir%2Cx/pods.yaml,line=12,col=7,title=Disallow Latest Tag (require-image-tag)::default/Pod/bad: validation error: An image tag is required.%0Arule failed',
      '::warning title=audit/r2::ns/Pod/x: w',
      '::error title=p3/r3::<stdin>:3:1: default/Pod/s: variable substitution failed',
      'palisade apply: pass: 1, fail: 1, warn: 1, error: 1, skip: 0',
    ].join('\n'),
  );
});

test('every annotation line follows ::cmd k=v,...::message', () => {
  const re = /^::(error|warning|notice)( [a-z]+=[^,:\n]*(,[a-z]+=[^,:\n]*)*)?::[^\n\r]*$/;
  const lines = renderGithub(report, { toolVersion: '0' }).split('\n').slice(0, -1);
  for (const l of lines) assert.match(l, re);
});

test('test rows say why they failed', () => {
  const out = renderGithub(
    {
      command: 'test',
      findings: [
        {
          policy: 'p',
          rule: 'r',
          resource: 'v1/Pod/default/a',
          status: 'fail',
          message: 'm',
          reason: 'Want pass, got fail',
        },
      ],
    },
    { toolVersion: '0' },
  );
  assert.equal(out.split('\n')[0], '::error title=p/r::Want pass, got fail: v1/Pod/default/a: m');
});

test('past 10 annotations of a level, problems become plain log lines and a notice counts them', () => {
  const many: FindingsReport = {
    command: 'apply',
    findings: Array.from({ length: 13 }, (_, i) => ({
      policy: 'p',
      rule: 'r',
      resource: `default/Pod/x${i}`,
      status: 'fail' as const,
      message: `bad, at 50%\nline two`,
      location: { file: 'a,b.yaml', document: i, line: i + 1, column: 3 },
    })),
  };
  const lines = renderGithub(many, { toolVersion: '0' }).split('\n');
  assert.equal(lines.filter((l) => l.startsWith('::error')).length, 10);
  assert.deepEqual(lines.slice(10, 13), [
    'error: a,b.yaml:11:3: p/r: default/Pod/x10: bad, at 50% line two',
    'error: a,b.yaml:12:3: p/r: default/Pod/x11: bad, at 50% line two',
    'error: a,b.yaml:13:3: p/r: default/Pod/x12: bad, at 50% line two',
  ]);
  assert.match(
    lines[13] ?? '',
    /^::notice title=palisade::3 more problem\(s\) are listed in the log without an annotation/,
  );
});
