// PolicyExceptions in the CLI follow Kyverno's: those inside policy files are ignored by `test` and by
// `apply` unless --exceptions-within-policies; `-e` binds both kinds and both are counted; a CEL
// exception that does not compile is reported at its own file and line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { palisade } from '../support/run-cli.js';

const FIX = 'test/cli/fixtures/exceptions';

const apply = (...extra: string[]) =>
  palisade(['apply', `${FIX}/policies-with-exceptions.yaml`, '-r', `${FIX}/pod.yaml`, ...extra]);

describe('PolicyExceptions in the CLI', () => {
  test('test: exceptions inside the policy files are neither bound nor counted', () => {
    const r = palisade(['test', FIX]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Applying 2 policies to 1 resource with 0 exceptions \.\.\./);
    assert.match(r.stdout, /Test Summary: 2 tests passed and 0 tests failed/);
  });
  test('apply: exceptions inside the policy files are ignored by default', () => {
    const r = apply();
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Applying 4 policy rule\(s\) to 1 resource\(s\)\.\.\./);
    assert.match(r.stdout, /pass: 0, fail: 2, warn: 0, error: 0, skip: 0/);
  });
  test('apply --exceptions-within-policies binds them (both kinds) and counts them', () => {
    const r = apply('--exceptions-within-policies', '-t', '--detailed-results');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /with 2 exception\(s\)/);
    assert.match(r.stdout, /rule is skipped due to policy exceptionsexceptions\/sandbox/);
    assert.match(r.stdout, /rule is skipped due to policy exception: exceptions\/sandbox-cel/);
    assert.match(r.stdout, /pass: 0, fail: 0, warn: 0, error: 0, skip: 2/);
  });
  test('apply -e: a CEL exception is bound and counted', () => {
    const r = apply('-e', `${FIX}/cel-exception.yaml`);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /with 1 exception\(s\)/);
    assert.match(r.stdout, /pass: 0, fail: 1, warn: 0, error: 0, skip: 1/);
  });
  test('apply -e: a CEL exception that does not compile is an error at its own file and line', () => {
    const r = apply('-e', `${FIX}/broken-cel-exception.yaml`);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /broken-cel-exception\.yaml:12:\d+: cel\/compile-error: PolicyException exceptions\/broken: spec\.matchConditions\[0\]\.expression/,
    );
  });
});
