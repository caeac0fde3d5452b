// Kyverno's CLI decodes a resource a mutate rule changed with Go int64 integers, which its JMESPath
// does not take for numbers: `type()` and `abs()` of an integer of the patched resource are rule
// errors, the unpatched resource passes (checked against the reference CLI, docs/compat.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { palisade } from '../support/run-cli.js';

const FIX = 'test/cli/fixtures/go-integers';

describe('integers of a mutated resource in the CLI', () => {
  test('apply: the patched resource errors on type() and abs(), the other passes', () => {
    const r = palisade(['apply', `${FIX}/policy.yaml`, '-r', `${FIX}/resources.yaml`]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /pass: 5, fail: 0, warn: 0, error: 2, skip: 0/);
  });

  test('test: the expected results name the errors', () => {
    const r = palisade(['test', FIX]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Test Summary: 7 tests passed and 0 tests failed/);
  });
});
