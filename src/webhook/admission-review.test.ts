// Decoding a review: the request's fields in their fixed order, optional ones only when given.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeReview } from './admission-review.js';

const base = {
  uid: 'u1',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'p',
  namespace: 'ns',
  operation: 'CREATE',
  object: { kind: 'Pod' },
};

function decode(request: Record<string, unknown>) {
  const r = decodeReview({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
  if (!r.ok) throw new Error(r.error);
  return r.review.request;
}

describe('decodeReview', () => {
  test('a minimal request has exactly the required fields, in order', () => {
    assert.deepEqual(Object.keys(decode(base)), [
      'uid',
      'kind',
      'resource',
      'name',
      'namespace',
      'operation',
      'object',
      'oldObject',
    ]);
  });

  test('optional fields keep their places', () => {
    const request = decode({
      ...base,
      subResource: 'status',
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      userInfo: { username: 'alice', groups: ['g'], extra: { k: ['v'] } },
      dryRun: true,
      options: { kind: 'CreateOptions' },
    });
    assert.deepEqual(Object.keys(request), [
      'uid',
      'kind',
      'resource',
      'subResource',
      'requestKind',
      'name',
      'namespace',
      'operation',
      'userInfo',
      'object',
      'oldObject',
      'dryRun',
      'options',
    ]);
    assert.deepEqual(request.userInfo, { username: 'alice', uid: '', groups: ['g'], extra: { k: ['v'] } });
    assert.equal(request.dryRun, true);
  });

  test('the first problem is named by its field', () => {
    const r = decodeReview({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { ...base, name: 3, object: 'x' },
    });
    assert.deepEqual(r, { ok: false, error: 'request.name must be a string' });
  });
});
