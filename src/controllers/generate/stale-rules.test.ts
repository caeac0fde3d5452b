import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GenerateRuleInfo } from './generate-rules.js';
import { staleGenerators } from './stale-rules.js';

const rule = (name: string, over: Partial<GenerateRuleInfo> = {}): GenerateRuleInfo => ({
  name,
  synchronize: true,
  generateExisting: false,
  orphanDownstreamOnPolicyDelete: false,
  triggerKinds: [],
  generatedKinds: [],
  rematchable: true,
  generatesOnDelete: false,
  ...over,
});
const names = (rules: GenerateRuleInfo[]) => rules.map((r) => r.name);
const legacy = { generatingPolicy: false, applyOne: false };

describe('staleGenerators', () => {
  test('a synchronized rule left out or skipped for its preconditions no longer applies', () => {
    const rules = [rule('unmatched'), rule('preconditions'), rule('applies'), rule('broken')];
    const results = [
      { name: 'preconditions', status: 'skip' },
      { name: 'applies', status: 'pass' },
      { name: 'broken', status: 'error' },
    ];
    assert.deepEqual(names(staleGenerators(rules, results, legacy)), ['unmatched', 'preconditions']);
  });

  test('unsynchronized rules keep their downstream, as do exceptions and rules the controller cannot re-match', () => {
    const rules = [
      rule('create-once', { synchronize: false }),
      rule('excepted'),
      rule('by-user', { rematchable: false }),
    ];
    const results = [{ name: 'excepted', status: 'skip', exceptions: ['ns/exc'] }];
    assert.deepEqual(staleGenerators(rules, results, legacy), []);
  });

  test('applyRules One: rules after the one that applied were never evaluated', () => {
    const rules = [rule('first'), rule('second')];
    assert.deepEqual(
      staleGenerators(rules, [{ name: 'first', status: 'pass' }], { ...legacy, applyOne: true }),
      [],
    );
    assert.deepEqual(names(staleGenerators(rules, [], { ...legacy, applyOne: true })), ['first', 'second']);
  });

  test('a GeneratingPolicy no longer applies only when it has no result at all', () => {
    const gpol = [rule('')];
    const opts = { generatingPolicy: true, applyOne: false };
    assert.deepEqual(names(staleGenerators(gpol, [], opts)), ['']);
    assert.deepEqual(staleGenerators(gpol, [{ name: 'g', status: 'skip', exceptions: ['x'] }], opts), []);
    assert.deepEqual(staleGenerators([rule('', { synchronize: false })], [], opts), []);
  });
});
