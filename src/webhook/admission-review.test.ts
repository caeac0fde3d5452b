// Decoding a review: the request's fields in their fixed order, optional ones only when given.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AdmissionResponse, decodeReview, encodeReview } from './admission-review.js';

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

  // Fields policies read as typed; the API server always sends them so (a hand-made review may not).
  for (const [object, error] of [
    [{ apiVersion: { a: 1 }, kind: 'Pod' }, 'request.object.apiVersion must be a string'],
    [{ apiVersion: 'v1', kind: ['Pod'] }, 'request.object.kind must be a string'],
    [{ kind: 'Pod', metadata: [] }, 'request.object.metadata must be an object'],
    [{ kind: 'Pod', metadata: { name: 5 } }, 'request.object.metadata.name must be a string'],
    [{ kind: 'Pod', metadata: { namespace: {} } }, 'request.object.metadata.namespace must be a string'],
    [{ kind: 'Pod', metadata: { labels: ['a'] } }, 'request.object.metadata.labels must be an object'],
    [
      { kind: 'Pod', metadata: { annotations: { a: 1 } } },
      'request.object.metadata.annotations.a must be a string',
    ],
  ] as const) {
    test(`rejects ${error}`, () => {
      const r = decodeReview({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { ...base, object },
      });
      assert.deepEqual(r, { ok: false, error });
    });
  }

  test('null labels and a missing metadata pass', () => {
    for (const object of [{ kind: 'Pod' }, { kind: 'Pod', metadata: { labels: null, name: null } }]) {
      const r = decodeReview({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { ...base, object },
      });
      assert.equal(r.ok, true);
    }
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

/** What `encodeReview` wrote before it built its text by parts: JSON.stringify of the review object. */
function encodeByObject(apiVersion: string, response: AdmissionResponse): string {
  const out: Record<string, unknown> = { uid: response.uid, allowed: response.allowed };
  if (response.status !== undefined) out.status = response.status;
  if (response.warnings !== undefined && response.warnings.length > 0) out.warnings = response.warnings;
  if (response.patch !== undefined && response.patch.length > 0) {
    out.patch = Buffer.from(JSON.stringify(response.patch)).toString('base64');
    out.patchType = 'JSONPatch';
  }
  return JSON.stringify({ apiVersion, kind: 'AdmissionReview', response: out });
}

describe('encodeReview', () => {
  const responses: [string, AdmissionResponse][] = [
    ['allowed', { uid: 'u1', allowed: true }],
    [
      'denied with a status',
      { uid: 'u"2\\', allowed: false, status: { status: 'Failure', message: 'no "x"\n\u2028é' } },
    ],
    ['empty warnings and patch left out', { uid: 'u3', allowed: true, warnings: [], patch: [] }],
    ['warnings', { uid: 'u4', allowed: true, warnings: ['a', 'b "c"', '\u0000'] }],
    [
      'a patch and everything',
      {
        uid: 'u5',
        allowed: false,
        status: { status: 'Failure', message: 'm' },
        warnings: ['w'],
        patch: [
          { op: 'add', path: '/metadata/labels/a~1b', value: { x: [1, 'é', null] } },
          { op: 'remove', path: '/spec/x' },
        ],
      },
    ],
  ];
  for (const apiVersion of ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'])
    for (const [name, response] of responses)
      test(`${name} (${apiVersion}): the text of the review object`, () => {
        const text = encodeReview(apiVersion, response);
        assert.equal(text, encodeByObject(apiVersion, response));
        assert.equal((JSON.parse(text) as { response: { uid: string } }).response.uid, response.uid);
      });
});
