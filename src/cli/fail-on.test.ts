import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failOnExceeded, parseFailOn } from './fail-on.js';

test('parseFailOn: default fail, unknown values rejected', () => {
  assert.equal(parseFailOn(undefined), 'fail');
  assert.equal(parseFailOn('warn'), 'warn');
  assert.equal(parseFailOn('never'), undefined);
});

const cases = [
  { counts: { fail: 0, warn: 0, error: 0 }, want: { warn: false, fail: false, error: false, none: false } },
  { counts: { fail: 0, warn: 1, error: 0 }, want: { warn: true, fail: false, error: false, none: false } },
  { counts: { fail: 1, warn: 0, error: 0 }, want: { warn: true, fail: true, error: false, none: false } },
  { counts: { fail: 0, warn: 0, error: 1 }, want: { warn: true, fail: true, error: true, none: false } },
] as const;
for (const c of cases) {
  test(`threshold table for ${JSON.stringify(c.counts)}`, () => {
    for (const [failOn, want] of Object.entries(c.want))
      assert.equal(failOnExceeded(failOn as 'fail', c.counts), want, failOn);
  });
}
