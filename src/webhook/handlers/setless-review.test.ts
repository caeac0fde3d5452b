// The frame of the endpoints that need no policy set: what is not a POSTed, well-formed review within
// the depth limit is a 4xx before the endpoint decides; a review is answered in its own version.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpCall } from '../http.js';
import { createSetlessReviewHandler } from './setless-review.js';

const review = (apiVersion: string) => ({
  apiVersion,
  kind: 'AdmissionReview',
  request: {
    uid: 'u1',
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    operation: 'CREATE',
    userInfo: { username: 'alice' },
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
  },
});
const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });
const call = (method: string, body: string | unknown): HttpCall =>
  ({
    method,
    path: '/x',
    headers: {},
    body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
  }) as unknown as HttpCall;

const decided: string[] = [];
const handler = createSetlessReviewHandler(8, (request) => {
  decided.push(request.uid);
  return { uid: request.uid, allowed: false, status: { status: 'Failure', message: 'no' } };
});

test('what is not a well-formed review is refused before the endpoint decides', async () => {
  const cases: [string, HttpCall, number][] = [
    ['GET', call('GET', review('admission.k8s.io/v1')), 405],
    ['not JSON', call('POST', '{"apiVersion":'), 400],
    ['too deep', call('POST', { ...review('admission.k8s.io/v1'), extra: nested(12) }), 400],
    ['not a review', call('POST', { kind: 'Pod' }), 400],
  ];
  for (const [name, c, status] of cases) assert.equal((await handler(c)).status, status, name);
  assert.deepEqual(decided, []);
});

test("a review is decided and answered in the review's own version", async () => {
  for (const apiVersion of ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']) {
    const reply = await handler(call('POST', review(apiVersion)));
    assert.equal(reply.status, 200);
    const body = JSON.parse(String(reply.body)) as {
      apiVersion: string;
      response: { uid: string; allowed: boolean };
    };
    assert.deepEqual([body.apiVersion, body.response.uid, body.response.allowed], [apiVersion, 'u1', false]);
  }
});
