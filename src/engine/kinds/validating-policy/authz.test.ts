// ValidatingPolicies in kyverno-authz's Envoy and HTTP modes (Kyverno CLI `envoyPayloads` /
// `httpPayloads`): the first validation returning a response answers; null means no opinion.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ValidatingPolicy, ValidatingPolicySpec } from '../cel-shared/types.js';
import { evaluateValidatingPolicyAuthz } from './authz-evaluation.js';
import { envoyCheckRequest, httpCheckRequest } from './authz-request.js';
import { compileValidatingPolicy } from './validating-policy.js';

function run(mode: 'Envoy' | 'HTTP', spec: Partial<ValidatingPolicySpec>, request: unknown) {
  const policy = {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: 'authz' },
    spec: { evaluation: { mode }, ...spec },
  } as ValidatingPolicy;
  const c = compileValidatingPolicy(policy, {});
  assert.ok(c.ok, c.ok ? '' : c.issues.map((d) => d.message).join('\n'));
  const r = evaluateValidatingPolicyAuthz(c.value, mode, request, { ports: {} });
  return [r.status, r.message];
}
const v = (...expressions: string[]) => ({ validations: expressions.map((expression) => ({ expression })) });
const envoyGet = {
  attributes: { request: { http: { method: 'GET', path: '/admin', headers: { 'x-user': 'bob' } } } },
};

describe('Envoy mode', () => {
  const cases: [string, Partial<ValidatingPolicySpec>, unknown, string[]][] = [
    ['allowed', v('envoy.Allowed().Response()'), envoyGet, ['pass', 'request allowed']],
    [
      'denied with a code, body and header',
      v('envoy.Denied(403).WithBody("no").WithHeader("a", "b").Response()'),
      envoyGet,
      ['fail', 'request denied with status code 403'],
    ],
    [
      'null is no opinion: the next validation answers',
      v(
        'object.attributes.request.http.path == "/public" ? envoy.Allowed().Response() : null',
        'envoy.Denied(401).Response()',
      ),
      envoyGet,
      ['fail', 'request denied with status code 401'],
    ],
    ['no validation answers', v('null'), envoyGet, ['skip', 'request does not match']],
    [
      'a false matchCondition skips',
      {
        matchConditions: [{ name: 'm', expression: 'object.attributes.request.http.method == "POST"' }],
        ...v('envoy.Allowed().Response()'),
      },
      envoyGet,
      ['skip', 'request does not match'],
    ],
    [
      'unset fields read as their zero values',
      v(
        'object.attributes.request.http.host == "" && size(object.attributes.context_extensions) == 0 ? envoy.Allowed().Response() : null',
      ),
      envoyGet,
      ['pass', 'request allowed'],
    ],
    [
      'variables are evaluated lazily from the request',
      {
        variables: [
          { name: 'user', expression: 'object.attributes.request.http.headers[?"x-user"].orValue("")' },
        ],
        ...v('variables.user == "bob" ? envoy.Allowed().Response() : envoy.Denied(403).Response()'),
      },
      envoyGet,
      ['pass', 'request allowed'],
    ],
    [
      'an evaluation error under failurePolicy Fail',
      v('object.nope.x == 1 ? null : null'),
      envoyGet,
      ['error', 'no such key: nope'],
    ],
    [
      'an evaluation error under failurePolicy Ignore',
      { failurePolicy: 'Ignore', ...v('object.nope.x == 1 ? null : null') },
      envoyGet,
      ['skip', 'request does not match'],
    ],
    [
      'a result that is not a response',
      v('1 == 1'),
      envoyGet,
      ['error', 'rule result is expected to be envoy.service.auth.v3.CheckResponse'],
    ],
  ];
  for (const [name, spec, request, want] of cases) {
    test(name, () => {
      const [status, message] = run('Envoy', spec, request);
      assert.equal(status, want[0]);
      assert.match(String(message), new RegExp(String(want[1]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });
  }
});

describe('HTTP mode', () => {
  const get = { attributes: { method: 'GET', path: '/x', Header: { Authorization: ['Bearer t'] } } };
  test('allowed and denied with a reason', () => {
    assert.deepEqual(run('HTTP', v('http.Allowed().Response()'), get), ['pass', 'request allowed']);
    assert.deepEqual(run('HTTP', v('http.Denied("not allowed").Response()'), get), [
      'fail',
      'request denied, reason: not allowed',
    ]);
  });
  test('field names match case-insensitively, as Go decodes JSON', () => {
    assert.deepEqual(
      run(
        'HTTP',
        v(
          'object.attributes.header["Authorization"][0] == "Bearer t" && object.attributes.host == "" ? http.Allowed().Response() : null',
        ),
        get,
      ),
      ['pass', 'request allowed'],
    );
  });
});

test('check requests: protojson lowerCamel names, defaults and base64 bytes', () => {
  const envoy = envoyCheckRequest({
    attributes: { contextExtensions: { a: 'b' }, request: { http: { rawBody: 'aGk=', size: '12' } } },
  });
  const attributes = envoy.attributes as Record<string, Record<string, unknown>>;
  assert.deepEqual(attributes.context_extensions, { a: 'b' });
  const http = (attributes.request as Record<string, Record<string, unknown>>).http as Record<
    string,
    unknown
  >;
  assert.deepEqual([...(http.raw_body as Uint8Array)], [104, 105]);
  assert.equal(http.size, 12);
  assert.deepEqual(http.headers, {});
  assert.equal((attributes.source as Record<string, unknown>).principal, '');
  const h = httpCheckRequest({ ATTRIBUTES: { METHOD: 'POST', body: 'aGk=' } });
  const ha = h.attributes as Record<string, unknown>;
  assert.equal(ha.method, 'POST');
  assert.deepEqual([...(ha.body as Uint8Array)], [104, 105]);
  assert.deepEqual(ha.query, {});
});
