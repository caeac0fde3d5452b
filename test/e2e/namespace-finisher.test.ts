// The chainsaw runner's namespace finisher (scripts/chainsaw/namespace-finisher.mjs) on a real cluster:
// a deleted namespace is gone well before the namespace controller's fixed 5 s grace, objects and all,
// and one holding an object with a finalizer is left to the controller, its object untouched.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type NamespaceFinisher,
  startNamespaceFinisher,
} from '../../scripts/chainsaw/namespace-finisher.mjs';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

describe('the namespace finisher', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let finisher: NamespaceFinisher;
  before(async () => {
    tb = await startTestbed();
    finisher = startNamespaceFinisher({ server: tb.server, ca: tb.caPem, token: tb.token, intervalMs: 100 });
  });
  after(async () => {
    finisher?.stop();
    await tb?.stop();
  });

  const ok = async (args: string[]) => {
    const r = await tb.kubectl(args);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  test('finishes a deleted namespace with objects in it at once', async () => {
    await ok(['create', 'namespace', 'fin-a']);
    await ok(['-n', 'fin-a', 'create', 'configmap', 'c', '--from-literal=a=b']);
    await ok(['-n', 'fin-a', 'run', 'p', '--image=registry.example/p:1']);
    const started = Date.now();
    await ok(['delete', 'namespace', 'fin-a', '--wait=false']);
    await eventually('fin-a deleted', 4000, async () =>
      (await tb.api('GET', '/api/v1/namespaces/fin-a')).status === 404 ? true : undefined,
    );
    assert.ok(Date.now() - started < 4000);
    // Recreated, it is empty: nothing was orphaned.
    await ok(['create', 'namespace', 'fin-a']);
    assert.equal((await ok(['-n', 'fin-a', 'get', 'configmaps,pods', '-o', 'name'])).trim(), '');
    assert.ok(finisher.counts.finished >= 1);
  });

  test('leaves a namespace whose objects stay (a finalizer) to the controller', async () => {
    await ok(['create', 'namespace', 'fin-b']);
    await ok(['-n', 'fin-b', 'create', 'configmap', 'held', '--from-literal=a=b']);
    await ok([
      '-n',
      'fin-b',
      'patch',
      'configmap',
      'held',
      '-p',
      '{"metadata":{"finalizers":["example.com/hold"]}}',
    ]);
    await ok(['delete', 'namespace', 'fin-b', '--wait=false']);
    await eventually('the finisher gave up on fin-b', 4000, async () =>
      finisher.counts.leftToController >= 1 ? true : undefined,
    );
    assert.equal(
      (await ok(['get', 'namespace', 'fin-b', '-o', 'jsonpath={.status.phase}'])).trim(),
      'Terminating',
    );
    assert.equal(
      (await ok(['-n', 'fin-b', 'get', 'configmap', 'held', '-o', 'name'])).trim(),
      'configmap/held',
    );
    await ok([
      '-n',
      'fin-b',
      'patch',
      'configmap',
      'held',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
  });
});
