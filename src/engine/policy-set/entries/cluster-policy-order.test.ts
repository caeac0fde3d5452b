// inKyvernoOrder: mutating policies first, each group in its order. The copy-free answer for lists
// already in that order must equal the stable partition for every list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inKyvernoOrder, type LegacyPolicy } from './cluster-policy.js';

/** Every list of up to 5 policies, each mutating or not, named by its position. */
function lists(): LegacyPolicy[][] {
  const out: LegacyPolicy[][] = [];
  for (let n = 0; n <= 5; n++)
    for (let bits = 0; bits < 1 << n; bits++)
      out.push(
        Array.from({ length: n }, (_, i) => ({ hasMutate: ((bits >> i) & 1) === 1, name: `p${i}` })) as never,
      );
  return out;
}

describe('inKyvernoOrder', () => {
  test('equals the stable partition (mutating first) for every list of up to 5 policies', () => {
    for (const list of lists()) {
      const expected = [...list.filter((p) => p.hasMutate), ...list.filter((p) => !p.hasMutate)];
      assert.deepEqual(inKyvernoOrder(list), expected);
    }
  });

  test('a list in order already is returned as it is; one out of order is not changed in place', () => {
    const m = { hasMutate: true } as LegacyPolicy;
    const v = { hasMutate: false } as LegacyPolicy;
    for (const ordered of [[], [m], [v], [m, v], [m, m, v, v]])
      assert.equal(inKyvernoOrder(ordered), ordered);
    const mixed = [v, m];
    assert.deepEqual(inKyvernoOrder(mixed), [m, v]);
    assert.deepEqual(mixed, [v, m]);
  });
});
