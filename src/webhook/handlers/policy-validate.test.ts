// `/policyvalidate`: a policy is judged with the CLI's loader (io/policy-object-check), denied with
// its diagnostics, allowed with its warnings; it answers before any policy set is loaded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPolicyObject, diagnosticLine } from '../../io/policy-object-check.js';
import { PolicyStore } from '../policy-store.js';
import { appOf, clusterPolicy, responseOf, review } from '../testdata/reviews.js';

const checkPolicy = async (object: unknown) => {
  const r = await checkPolicyObject(object);
  return { errors: r.errors.map(diagnosticLine), warnings: r.warnings.map(diagnosticLine) };
};

const rule = (body: Record<string, unknown>) => ({
  name: 'r',
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  ...body,
});

describe('/policyvalidate', () => {
  // An empty store: the path needs no policy set.
  const app = appOf(new PolicyStore(), { checkPolicy });

  test('a valid policy is allowed', async () => {
    const policy = clusterPolicy('ok', {
      rules: [rule({ validate: { message: 'm', pattern: { metadata: { name: '?*' } } } })],
    });
    const reply = await app.call('/policyvalidate', review(policy as never, { uid: 'u1' }));
    assert.equal(reply.status, 200);
    const r = responseOf(reply);
    assert.equal(r.uid, 'u1');
    assert.equal(r.allowed, true);
    assert.equal(r.status, undefined);
  });

  test('an invalid policy is denied with each diagnostic’s field path and message', async () => {
    const policy = clusterPolicy('bad', {
      rules: [
        rule({
          validate: {
            message: 'm',
            deny: {
              conditions: {
                any: [{ key: '{{ request.object.metadata.name | }}', operator: 'Equals', value: 'x' }],
              },
            },
          },
        }),
      ],
    });
    const r = responseOf(await app.call('/policyvalidate', review(policy as never, { uid: 'u2' })));
    assert.equal(r.allowed, false);
    assert.match(
      r.status?.message ?? '',
      /^ClusterPolicy bad is invalid:\nspec\.rules\[0\]\.validate\.deny\.conditions\.any\[0\]\.key: invalid JMESPath/,
    );
  });

  test('an update is checked too; a DELETE is let through unchecked', async () => {
    const bad = clusterPolicy('two', {
      rules: [rule({ validate: { message: 'm', pattern: {} }, mutate: { patchStrategicMerge: {} } })],
    });
    assert.equal(
      responseOf(
        await app.call(
          '/policyvalidate',
          review(bad as never, { operation: 'UPDATE', oldObject: bad as never }),
        ),
      ).allowed,
      false,
    );
    assert.equal(
      responseOf(
        await app.call(
          '/policyvalidate',
          review(bad as never, { operation: 'DELETE', oldObject: bad as never }),
        ),
      ).allowed,
      true,
    );
  });

  test('a body that is not a review is a 400', async () => {
    assert.equal((await app.call('/policyvalidate', { kind: 'nope' })).status, 400);
  });

  test('without a checker the path is not served', async () => {
    assert.equal(
      (await appOf(new PolicyStore()).call('/policyvalidate', review(clusterPolicy('x', {}) as never)))
        .status,
      404,
    );
  });
});
