// Kyverno's violation blocks kept as numbers: the same lines as grouping the rows directly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpillFile } from '../../io/files/spill-file.js';
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

/** A spill in memory that copies what it is given (so a reused buffer would show) and counts it. */
function memorySpill() {
  const chunks: Uint8Array[] = [];
  let closed = 0;
  return {
    chunks,
    closed: () => closed,
    spill: {
      append: (bytes: Uint8Array, length: number) => {
        chunks.push(new Uint8Array(bytes.subarray(0, length)));
      },
      chunks: () => chunks.map((c) => new Uint8Array(c)),
      chunk: (i: number) => new Uint8Array(chunks[i]!),
      close: () => {
        closed++;
      },
    },
  };
}

/** Rows over `n` resources, `per` violations each, labels of every kind a record can hold. */
function spillRows(n: number, scatter: boolean) {
  const names = ['plain', 'naïve-é', 'ünï-€uro', 'pair-\u{1F600}', 'lone-\ud800-high', 'lone-\udc00', ''];
  const rows = [];
  for (let i = 0; i < n; i++) {
    const label =
      i % 97 === 0 ? `long/${'x'.repeat(300 + (i % 5))}/${i}` : `ns/Pod/${names[i % names.length]}-${i}`;
    const at = scatter && i % 13 === 5 ? i - 3 : i;
    const resourceLabel = at === i ? label : `ns/Pod/${names[at % names.length]}-${at}`;
    for (let k = 0; k < 1 + (i % 3); k++)
      rows.push({
        policy: `p${(i + k) % 4}`,
        rule: `r${k}`,
        label: resourceLabel,
        status: 'fail' as const,
        message: `m${(i * 7 + k) % 5}`,
        auditWarning: i % 11 === 0,
        ...(k !== 1 ? { location: { file: `f${i % 3}.yaml`, document: i, line: i + 1, column: k + 1 } } : {}),
      });
  }
  return rows;
}

test('records spilled past the bound and read back give the lines of records kept in memory', () => {
  for (const scatter of [false, true]) {
    const rows = spillRows(800, scatter);
    const kept = new ViolationBlocks();
    const spilled = memorySpill();
    const small = new ViolationBlocks({ spill: () => spilled.spill, heldBytes: 256, chunkBytes: 128 });
    for (const r of rows) {
      kept.add(r);
      small.add(r);
    }
    const lines = [...small.lines()];
    assert.ok(spilled.chunks.length > 10, 'chunks went to the spill');
    assert.equal(spilled.closed(), 1, 'the spill is closed once read');
    assert.deepEqual(lines, [...kept.lines()]);
    assert.ok(
      lines.includes('policy p0 -> resource ns/Pod/lone-\ud800-high-4 failed:'),
      'lone surrogates kept',
    );
  }
});

test('records stay in memory when no spill can be opened: the same lines', () => {
  const rows = spillRows(300, false);
  const kept = new ViolationBlocks();
  const none = new ViolationBlocks({ spill: () => undefined, heldBytes: 64, chunkBytes: 64 });
  for (const r of rows) {
    kept.add(r);
    none.add(r);
  }
  assert.deepEqual([...none.lines()], [...kept.lines()]);
});

test('records through a real temporary file: the lines of grouping the rows directly', () => {
  for (const scatter of [false, true]) throughFile(scatter);
});

function throughFile(scatter: boolean): void {
  const rows = spillRows(500, scatter);
  let opened: SpillFile | undefined;
  const b = new ViolationBlocks({
    spill: () => {
      opened = SpillFile.open();
      return opened;
    },
    heldBytes: 1024,
    chunkBytes: 512,
  });
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    b.add(r);
    const key = `${r.policy}\0${r.label}`;
    const verb = r.auditWarning ? 'failed as audit warning' : 'failed';
    const lines = groups.get(key) ?? [`policy ${r.policy} -> resource ${r.label} ${verb}:`];
    lines.push(`${lines.filter((l) => !l.startsWith(' ')).length}. ${r.rule}: ${r.message}`);
    if (r.location !== undefined)
      lines.push(`   in ${r.location.file}:${r.location.line}:${r.location.column}`);
    groups.set(key, lines);
  }
  assert.ok(opened !== undefined && opened.size > 0, 'a temporary file was written');
  assert.deepEqual(
    [...b.lines()],
    [...groups.values()].flatMap((lines) => [...lines, '']),
  );
  assert.throws(() => [...opened!.chunks()], /after close/, 'closed once read');
}
