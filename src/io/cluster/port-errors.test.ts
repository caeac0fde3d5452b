import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallTimeoutError, ResponseTooLargeError } from './bounded-request.js';
import { callFailure, parseJson, statusCode, statusMessage } from './port-errors.js';

const live = new AbortController().signal;

function aborted(reason?: unknown): AbortSignal {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
}

describe('live port errors', () => {
  test('HTTP statuses map to port codes', () => {
    assert.equal(statusCode(404), 'not-found');
    assert.equal(statusCode(401), 'forbidden');
    assert.equal(statusCode(403), 'forbidden');
    assert.equal(statusCode(429), 'unavailable');
    assert.equal(statusCode(503), 'unavailable');
    assert.equal(statusCode(500), 'unavailable');
    assert.equal(statusCode(400), 'failed');
    assert.equal(statusCode(422), 'failed');
  });

  test('a Kubernetes Status gives its message; other bodies their (shortened) text', () => {
    assert.equal(
      statusMessage('{"kind":"Status","message":"configmaps \\"x\\" is forbidden"}'),
      'configmaps "x" is forbidden',
    );
    assert.equal(statusMessage('  plain text \n'), 'plain text');
    assert.equal(statusMessage('y'.repeat(400)).length, 301);
  });

  test('the deadline is a timeout, another abort a cancellation, whatever the error was', () => {
    const deadline = aborted(new DOMException('signal timed out', 'TimeoutError'));
    assert.deepEqual(callFailure('get v1 ConfigMap a/b', new Error('socket hang up'), deadline), {
      ok: false,
      code: 'timeout',
      message: 'get v1 ConfigMap a/b: timed out (evaluation deadline exceeded: signal timed out)',
    });
    const stopped = callFailure('get x', new Error('aborted'), aborted(new Error('server stopping')));
    assert.equal(stopped.code, 'cancelled');
    assert.match(stopped.message, /^get x: cancelled \(server stopping\)$/);
  });

  test('network failures and a silent peer are unavailable; a huge answer or anything else failed', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.equal(callFailure('GET http://x', refused, live).code, 'unavailable');
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND svc'), { code: 'ENOTFOUND' });
    assert.equal(callFailure('GET http://svc', dns, live).code, 'unavailable');
    assert.equal(callFailure('w', new CallTimeoutError('no answer within 5 ms'), live).code, 'unavailable');
    const big = callFailure(
      'GET u',
      new ResponseTooLargeError('response exceeds the limit of 10 bytes'),
      live,
    );
    assert.deepEqual(big, {
      ok: false,
      code: 'failed',
      message: 'GET u: response exceeds the limit of 10 bytes',
    });
    assert.equal(callFailure('w', 'odd', live).message, 'w: odd');
  });

  test('a body that is not JSON is a failed answer', () => {
    assert.deepEqual(parseJson('w', '{"a":1}'), { ok: true, value: { a: 1 } });
    const bad = parseJson('GET u', '<html>');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /^GET u: the response is not JSON/);
  });
});
