// Kyverno's violation blocks kept as numbers: the same lines as grouping the rows directly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Output } from '../command.js';
import { resourceLabel, ViolationBlocks } from './violation-blocks.js';

function row(
  policy: string,
  name: string,
  rule: string,
  over: { status?: 'fail' | 'pass' | 'warn'; line?: number } = {},
) {
  return {
    policy,
    rule,
    resource: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' } },
    status: over.status ?? 'fail',
    message: `${rule} failed`,
    auditWarning: false,
    ...(over.line !== undefined
      ? { location: { file: 'p.yaml', document: 0, line: over.line, column: 3 } }
      : {}),
  } as const;
}

test('rows of one policy and resource that come apart still form one block, numbered in arrival order', () => {
  const b = new ViolationBlocks();
  b.add(row('p1', 'a', 'r1', { line: 4 }));
  b.add(row('p2', 'a', 'r9'));
  b.add(row('p1', 'a', 'r2', { line: 40 }));
  b.add(row('p1', 'b', 'r1', { status: 'pass' }));
  assert.deepEqual(
    [...b.lines()],
    [
      'policy p1 -> resource ns/Pod/a failed:',
      '1. r1: r1 failed',
      '   in p.yaml:4:3',
      '2. r2: r2 failed',
      '   in p.yaml:40:3',
      '',
      'policy p2 -> resource ns/Pod/a failed:',
      '1. r9: r9 failed',
      '',
    ],
  );
});

test('a resource seen again later (two documents with one identity) extends its first block', () => {
  const b = new ViolationBlocks();
  b.add(row('p1', 'a', 'r1'));
  b.add(row('p1', 'b', 'r1'));
  b.add(row('p1', 'a', 'r1', { line: 9 }));
  assert.deepEqual(
    [...b.lines()],
    [
      'policy p1 -> resource ns/Pod/a failed:',
      '1. r1: r1 failed',
      '2. r1: r1 failed',
      '   in p.yaml:9:3',
      '',
      'policy p1 -> resource ns/Pod/b failed:',
      '1. r1: r1 failed',
      '',
    ],
  );
});

test('rows that come together: one block per policy and resource, in order', () => {
  const b = new ViolationBlocks();
  b.add(row('p1', 'a', 'r1'));
  b.add(row('p1', 'a', 'r2'));
  b.add(row('p1', 'b', 'r1', { line: 7 }));
  assert.deepEqual(
    [...b.lines()],
    [
      'policy p1 -> resource ns/Pod/a failed:',
      '1. r1: r1 failed',
      '2. r2: r2 failed',
      '',
      'policy p1 -> resource ns/Pod/b failed:',
      '1. r1: r1 failed',
      '   in p.yaml:7:3',
      '',
    ],
  );
});

test('Output: lines made as written give the same stdout in pieces as at once', () => {
  const out = new Output();
  out.line('head');
  out.lines(
    (function* () {
      for (let i = 0; i < 20000; i++) yield `line ${i}`;
    })(),
  );
  out.line('tail');
  const r = out.result(0);
  const pieces: string[] = [];
  r.writeStdout?.((p) => pieces.push(p));
  assert.ok(pieces.length > 1, 'written in several pieces');
  const expected = ['head', ...Array.from({ length: 20000 }, (_, i) => `line ${i}`), 'tail', ''].join('\n');
  assert.equal(pieces.join(''), expected);
});

test('a row may come with its label made (a worker sends no resource): the same lines', () => {
  const resources = [
    { kind: 'Pod', metadata: { name: 'a', namespace: 'ns' } },
    { kind: 'Pod', metadata: { name: 'a', namespace: '' } },
    { kind: 'Namespace', metadata: { name: 'n' } },
    { metadata: { name: 'nameless-kind' } },
    { kind: 'ConfigMap' },
  ];
  const withResource = new ViolationBlocks();
  const withLabel = new ViolationBlocks();
  for (const [i, resource] of [...resources, ...resources.slice(0, 2)].entries()) {
    const base = { ...row(`p${i % 2}`, 'x', `r${i}`, { line: i + 1 }), resource };
    withResource.add(base);
    const { resource: _dropped, ...rest } = base;
    withLabel.add({ ...rest, label: resourceLabel(resource) });
  }
  const lines = [...withResource.lines()];
  assert.ok(lines.includes('policy p0 -> resource ConfigMap/ failed:'), 'labels of odd resources');
  assert.deepEqual([...withLabel.lines()], lines);
});
