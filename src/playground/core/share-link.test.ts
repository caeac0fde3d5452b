import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeState, encodeState, MAX_STATE_BYTES } from './share-link.js';
import { EMPTY_STATE } from './state.js';

test('a share link holds the whole state, URL-safe, and gives it back', async () => {
  const state = {
    ...EMPTY_STATE,
    policies: 'kind: ClusterPolicy\n# ✓ unicode\n'.repeat(50),
    resources: 'kind: Pod\n',
    operation: 'DELETE' as const,
    oldObject: 'kind: Pod\nmetadata: {name: old}\n',
  };
  const hash = await encodeState(state);
  assert.match(hash, /^s1\.[A-Za-z0-9_-]+$/);
  assert.ok(hash.length < 600, `compressed: ${hash.length} characters`);
  assert.deepEqual(await decodeState(`#${hash}`), state);
});

test('a hash that holds no state, or a damaged one, gives nothing', async () => {
  assert.equal(await decodeState(''), undefined);
  assert.equal(await decodeState('#section-2'), undefined);
  assert.equal(await decodeState('#s1.not-deflate'), undefined);
  const good = await encodeState({ ...EMPTY_STATE, policies: 'x' });
  assert.equal(await decodeState(good.slice(0, -4)), undefined);
});

test('a link that inflates past the bound is refused', async () => {
  const bomb = await encodeState({ ...EMPTY_STATE, policies: 'x'.repeat(MAX_STATE_BYTES + 1) });
  assert.ok(bomb.length < 40_000, `compressed: ${bomb.length}`);
  assert.equal(await decodeState(bomb), undefined);
});

test('fields of the wrong type are emptied, unknown ones dropped', async () => {
  const { stateFrom } = await import('./state.js');
  assert.deepEqual(stateFrom({ policies: 3, resources: 'r', operation: 'PATCH', extra: 'x' }), {
    ...EMPTY_STATE,
    resources: 'r',
  });
  assert.deepEqual(stateFrom(null), EMPTY_STATE);
});
