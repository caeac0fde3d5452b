// kyverno.io/docs/kyverno-cli (values file): `policies[].rules[].values` apply to the rule and to
// the autogen rules made from it, as Kyverno's CLI store resolves rule names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valuesForRule } from './request.js';

const byRule = { check: { n: 1 }, 'autogen-special': { n: 2 }, 'cronjob-only': { n: 3 } };
const cases: [string, unknown][] = [
  ['check', { n: 1 }],
  // The cronjob prefix first, then the plain one: `cronjob-only` is found by the second.
  ['autogen-cronjob-only', { n: 3 }],
  ['autogen-cronjob-', undefined],
  ['autogen-', undefined],
  ['xautogen-check', undefined],
  ['autogen-check', { n: 1 }],
  ['autogen-cronjob-check', { n: 1 }],
  ['autogen-special', { n: 2 }],
  ['other', undefined],
  ['autogen-other', undefined],
];
for (const [rule, want] of cases) {
  test(`values for rule ${rule}`, () => assert.deepEqual(valuesForRule(byRule, rule), want));
}
test('no values at all', () => assert.equal(valuesForRule(undefined, 'check'), undefined));

test('an object with no own key answers no values, and a later object with keys is still read', () => {
  const empty: Record<string, unknown> = {};
  for (const [rule] of cases) assert.equal(valuesForRule(empty, rule), undefined);
  // Inherited keys are no values (`constructor` is on every object's prototype).
  assert.equal(valuesForRule(Object.create({ check: 1 }) as Record<string, unknown>, 'check'), undefined);
  assert.equal(valuesForRule(empty, 'constructor'), undefined);
  for (const [rule, want] of cases) assert.deepEqual(valuesForRule(byRule, rule), want);
  assert.deepEqual(valuesForRule({ check: 7 }, 'autogen-check'), 7);
  assert.equal(valuesForRule(empty, 'check'), undefined);
});
