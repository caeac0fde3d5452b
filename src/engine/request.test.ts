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
