import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorStatus, shouldColor, visibleLength } from './color.js';
import { renderTable } from './table.js';

test('colour only on a TTY and never with NO_COLOR (no-color.org: any non-empty value)', () => {
  assert.equal(shouldColor(true, {}), true);
  assert.equal(shouldColor(false, {}), false);
  assert.equal(shouldColor(true, { NO_COLOR: '1' }), false);
  assert.equal(shouldColor(true, { NO_COLOR: '' }), true);
});

test('colorStatus wraps known statuses only when asked', () => {
  assert.equal(colorStatus('fail', 'fail', true), '\u001b[31mfail\u001b[0m');
  assert.equal(colorStatus('Pass', 'Pass', true), '\u001b[32mPass\u001b[0m');
  assert.equal(colorStatus('fail', 'fail', false), 'fail');
  assert.equal(colorStatus('x', 'unknown', true), 'x');
});

test('coloured cells keep the table aligned', () => {
  const plain = renderTable(['R'], [['fail'], ['pass']]);
  const colored = renderTable(['R'], [[colorStatus('fail', 'fail', true)], ['pass']]);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI on purpose
  assert.equal(colored.replace(/\u001b\[[0-9;]*m/g, ''), plain);
  assert.equal(visibleLength(colorStatus('fail', 'fail', true)), 4);
});
