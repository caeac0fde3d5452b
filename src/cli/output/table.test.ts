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
