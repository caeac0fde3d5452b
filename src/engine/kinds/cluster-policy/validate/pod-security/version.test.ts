import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodSecurityVersionError, parseLevelVersion } from './version.js';

test('empty and latest mean latest; v1.<minor> gives the minor', () => {
  assert.deepEqual(parseLevelVersion('baseline', undefined), { level: 'baseline', version: 'latest' });
  assert.deepEqual(parseLevelVersion('baseline', ''), { level: 'baseline', version: 'latest' });
  assert.deepEqual(parseLevelVersion('restricted', 'latest'), { level: 'restricted', version: 'latest' });
  assert.deepEqual(parseLevelVersion('restricted', 'v1.29'), { level: 'restricted', version: 29 });
  assert.deepEqual(parseLevelVersion('restricted', 'v1.0'), { level: 'restricted', version: 0 });
});

test('anything else is an error', () => {
  for (const v of ['v1', '1.29', 'v1.29.1', 'V1.29', 'v1.09'])
    assert.throws(() => parseLevelVersion('baseline', v), PodSecurityVersionError);
});
