import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './log.js';
import { openPolicySource } from './policy-sources.js';
import { PolicyStore } from './policy-store.js';

const options = { debounceMs: 10, allowEmpty: false, exceptionGate: {}, env: {} };

test('a cluster source with a kubeconfig that is not there fails at once, naming the file', async () => {
  const logger = createLogger(() => {});
  await assert.rejects(
    openPolicySource(
      { kind: 'cluster', kubeconfig: '/nonexistent/kubeconfig' },
      new PolicyStore(),
      logger,
      options,
    ),
    /kubeconfig \/nonexistent\/kubeconfig: no such file/,
  );
});

test('a folder source says where its policies come from, and has no request context', async () => {
  const source = await openPolicySource(
    { kind: 'folder', folder: '/srv/policies' },
    new PolicyStore(),
    createLogger(() => {}),
    options,
  );
  assert.deepEqual(source.description, { source: 'folder', folder: '/srv/policies' });
  assert.equal(source.requestContext, undefined);
});
