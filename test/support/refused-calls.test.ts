import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refusedCalls } from './refused-calls.js';

test('refusedCalls: refusals by text or status code; numbers that merely hold 403 are not', () => {
  const cases: [Record<string, unknown>, boolean][] = [
    [{ msg: 'admission', durationMs: 9.403, allowed: true }, false],
    [{ msg: 'admission', durationMs: 403 }, false],
    [{ msg: 'list', error: 'configmaps is forbidden: User "x" cannot list' }, true],
    [{ msg: 'watch', status: 403 }, true],
    [{ msg: 'watch', err: { code: 403 } }, true],
    [{ msg: 'request failed: HTTP 403' }, true],
    [{ msg: 'admission', auditFailures: ['require-owner/owner'] }, false],
    [{ msg: 'admission', details: ['Forbidden'] }, true],
  ];
  for (const [line, refused] of cases) {
    assert.deepEqual(refusedCalls([line]), refused ? [line] : [], JSON.stringify(line));
  }
});
