// `/verifyttl`: an unreadable cleanup.kyverno.io/ttl label is answered with Kyverno's warning (the
// write allowed), or denied when --invalid-ttl=deny; readable values and deletes pass silently.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PolicyStore } from '../policy-store.js';
import { appOf, responseOf, review } from '../testdata/reviews.js';

const pod = (ttl: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { 'cleanup.kyverno.io/ttl': ttl } },
});

describe('/verifyttl', () => {
  const warn = appOf(new PolicyStore());
  const deny = appOf(new PolicyStore(), { invalidTtl: 'deny' });

  test('readable values are allowed without a warning', async () => {
    for (const ttl of ['2m', '1d', '2h30m', '2023-07-19T120000Z', '2023-07-19']) {
      const r = responseOf(await warn.call('/verifyttl', review(pod(ttl) as never)));
      assert.deepEqual([r.allowed, r.warnings ?? []], [true, []], ttl);
    }
  });

  test('an unreadable value is allowed with the warning (the reference)', async () => {
    const r = responseOf(await warn.call('/verifyttl', review(pod('soon') as never, { uid: 'u1' })));
    assert.equal(r.uid, 'u1');
    assert.equal(r.allowed, true);
    assert.match(r.warnings?.[0] ?? '', /^cleanup\.kyverno\.io\/ttl label value cannot be parsed/);
  });

  test('--invalid-ttl=deny denies it with the same text', async () => {
    const r = responseOf(await deny.call('/verifyttl', review(pod('soon') as never)));
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /cannot be parsed as any recognizable format/);
  });

  test('not an admission review: 400', async () => {
    assert.equal((await warn.call('/verifyttl', { kind: 'nope' })).status, 400);
  });
});
