import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import type { BlockRow } from '../output/violation-blocks.js';
import { packViolations, unpackViolations } from './packed-violations.js';

const at = (file: string, document: number, line: number, column: number) => ({
  file,
  document,
  line,
  column,
});
const row = (
  policy: string,
  rule: string,
  status: 'fail' | 'warn',
  message: string,
  auditWarning: boolean,
  label: string,
  location?: ReturnType<typeof at>,
): BlockRow => ({
  policy,
  rule,
  status,
  message,
  auditWarning,
  label,
  ...(location !== undefined ? { location } : {}),
});

const LONG = `validation error: ${'x'.repeat(700)}. rule autogen-check failed at path /spec/containers/0/`;

test('packed violations unpack to the same rows, keys in the same order, through a structured clone', () => {
  const cases: [string, BlockRow[]][] = [
    ['none', []],
    ['one without a location', [row('p', 'r', 'fail', 'm', false, 'ns/Pod/a')]],
    [
      'a piece: repeated messages, labels and files, audit warnings, wide and empty strings',
      [
        row(
          'disallow-privileged',
          'privileged',
          'fail',
          LONG,
          false,
          'default/Deployment/web',
          at('f.yaml', 0, 12, 9),
        ),
        row(
          'disallow-privileged',
          'privileged',
          'fail',
          LONG,
          false,
          'default/Deployment/web',
          at('f.yaml', 0, 30, 11),
        ),
        row(
          'restricted',
          'run-as-non-root',
          'warn',
          LONG,
          true,
          'default/Deployment/web',
          at('f.yaml', 0, 1, 1),
        ),
        row(
          'restricted',
          'run-as-non-root',
          'warn',
          'other',
          true,
          'Namespace/ü-\u{1F600}',
          at('g ü.yaml', 7, 0, 0),
        ),
        row('', '', 'fail', '', false, '/Pod/', at('', 2 ** 31 - 1, 2 ** 31 - 1, 1)),
        row('p', 'r', 'fail', 'm\nwith lines', false, 'x/Pod/b'),
        row('p', 'r', 'fail', 'm\nwith lines', false, 'x/Pod/b', at('f.yaml', 3, 4, 5)),
        row('lone \uD800 surrogate', 'r', 'fail', 'm', false, 'x/Pod/\uDC00'),
      ],
    ],
  ];
  for (const [what, rows] of cases) {
    const packed = packViolations(rows);
    assert.ok(packed !== undefined, what);
    const back = unpackViolations(deserialize(serialize(packed)));
    assert.deepStrictEqual(back, rows, what);
    assert.equal(JSON.stringify(back), JSON.stringify(rows), `${what}: key order`);
    assert.equal(new Set(packed.strings).size, packed.strings.length, `${what}: each string once`);
  }
  // The long message of the piece crosses once.
  const piece = cases[2]![1];
  assert.equal(packViolations(piece)!.strings.filter((s) => s === LONG).length, 1);
});

test('rows that are not violationRow`s shape are not packed (they then cross as they are)', () => {
  const base = row('p', 'r', 'fail', 'm', false, 'ns/Pod/a', at('f.yaml', 0, 1, 1));
  const { label: _label, ...withoutLabel } = base as BlockRow & { label: string };
  const bad: [string, unknown][] = [
    ['a resource instead of a label', { ...withoutLabel, resource: { kind: 'Pod' } }],
    ['no audit flag', { ...base, auditWarning: undefined }],
    ['an extra key', { ...base, extra: 1 }],
    ['keys in another order', Object.fromEntries([['rule', 'r'], ...Object.entries(base)])],
    ['a line that is not a 32-bit integer', { ...base, location: at('f.yaml', 0, 1.5, 1) }],
    ['a column past 32 bits', { ...base, location: at('f.yaml', 0, 1, 2 ** 31) }],
    ['a document of -0', { ...base, location: at('f.yaml', -0, 1, 1) }],
    ['a line not given', { ...base, location: { file: 'f.yaml', document: 0, column: 1 } }],
    ['a location with more fields', { ...base, location: { ...at('f.yaml', 0, 1, 1), path: 'x' } }],
  ];
  for (const [what, r] of bad) assert.equal(packViolations([base, r as BlockRow]), undefined, what);
  assert.ok(packViolations([base]) !== undefined, 'the base row packs');
});
