// The validating answer's warnings: Kyverno's resource handler sends none with a denial
// (HandleValidationEnforce returns nil warnings when blocked); the CEL handlers send theirs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdmissionOutcome } from '../../engine/index.js';
import { validationResponse } from './validate.js';

const outcome = (allowed: boolean): AdmissionOutcome => ({
  allowed,
  ...(allowed ? {} : { message: 'blocked' }),
  responses: [],
  patchedObject: null,
  patch: [],
  warnings: ['policy audit-owner.check-owner: recommended'],
  enforcedFailures: [],
  auditFailures: [],
  generated: [],
  mutatedTargets: [],
});

describe('validationResponse', () => {
  test('an admitted request carries its warnings on either family of endpoint', () => {
    for (const family of ['kyverno', 'cel'] as const)
      assert.deepEqual(validationResponse('u', outcome(true), family).warnings, [
        'policy audit-owner.check-owner: recommended',
      ]);
  });
  test("a denial on Kyverno's resource endpoints carries no warnings", () => {
    assert.deepEqual(validationResponse('u', outcome(false), 'kyverno'), {
      uid: 'u',
      allowed: false,
      status: { status: 'Failure', message: 'blocked' },
    });
  });
  test("a denial on a CEL kind's endpoint keeps them", () => {
    assert.deepEqual(validationResponse('u', outcome(false), 'cel').warnings, [
      'policy audit-owner.check-owner: recommended',
    ]);
  });
});
