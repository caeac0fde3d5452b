import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTable } from './table.js';

test('renders a │-bordered table padded to the widest cell', () => {
  const out = renderTable(['ID', 'POLICY'], [['1', 'disallow-latest-tag']]);
  assert.equal(
    out,
    [
      '│────│─────────────────────│',
      '│ ID │ POLICY              │',
      '│────│─────────────────────│',
      '│ 1  │ disallow-latest-tag │',
      '│────│─────────────────────│',
    ].join('\n'),
  );
});

test('a table of 300,000 rows renders (no argument spread over the rows) with the widest cell setting the width', () => {
  const rows = Array.from({ length: 300_000 }, (_, i) => [
    String(i),
    i === 123_456 ? 'the-widest-policy-name' : 'p',
  ]);
  const lines = renderTable(['ID', 'POLICY'], rows).split('\n');
  assert.equal(lines.length, 300_004);
  assert.equal(lines[3], `│ 0      │ p${' '.repeat(21)} │`);
});
