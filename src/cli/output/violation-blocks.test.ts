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

test('messages kept once per rule: any number of them, fresh strings, repeats and shared texts', () => {
  // More messages per rule than are tried before hashing, repeated out of order, one equal to a rule's
  // name and one shared by two rules: each line must show the row's own message.
  const order = [0, 1, 2, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 11, 5, 1, 12, 2, 9, 9, 3, 13, 0];
  const text = (k: number) => (k === 12 ? 'r0' : k === 13 ? 'shared text' : ['message', k, 'of'].join(' '));
  const b = new ViolationBlocks();
  const expected: string[] = [];
  for (const [n, k] of order.entries()) {
    const rule = `r${n % 3 === 2 ? 1 : 0}`;
    const message = k === 13 ? ['shared', 'text'].join(' ') : text(k);
    b.add({ ...row('p', `res${n}`, rule), message });
    expected.push(`policy p -> resource ns/Pod/res${n} failed:`, `1. ${rule}: ${text(k)}`, '');
  }
  assert.deepEqual([...b.lines()], expected);
});

test('strings tried among the recent ones first: the lines of grouping the rows directly', () => {
  // More policies, rules per policy, messages per rule and files than are tried before hashing,
  // labels coming back out of order; every string made fresh per row.
  let seed = 7;
  const pick = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const fresh = (...parts: (string | number)[]) => parts.join('-');
  const b = new ViolationBlocks();
  const groups = new Map<string, string[]>();
  for (let n = 0; n < 3000; n++) {
    const policy = fresh('p', pick(20));
    const label = fresh('l', n % 7 === 0 ? pick(40) : Math.floor(n / 5));
    const rule = fresh('r', pick(11));
    const message = pick(5) === 0 ? rule : fresh('m', pick(12));
    const file = fresh('f', pick(6));
    const line = pick(100);
    b.add({
      policy,
      rule,
      label,
      status: 'fail',
      message,
      auditWarning: false,
      location: { file, document: 0, line, column: 2 },
    });
    const key = `${policy}\0${label}`;
    const lines = groups.get(key) ?? [`policy ${policy} -> resource ${label} failed:`];
    lines.push(
      `${lines.filter((l) => !l.startsWith(' ')).length}. ${rule}: ${message}`,
      `   in ${file}:${line}:2`,
    );
    groups.set(key, lines);
  }
  assert.deepEqual(
    [...b.lines()],
    [...groups.values()].flatMap((lines) => [...lines, '']),
  );
});
