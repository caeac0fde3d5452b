import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { loadKubeConfig } from './kube-client.js';

describe('loadKubeConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an explicit file that is missing is named', () => {
    assert.throws(
      () => loadKubeConfig({ kubeconfig: join(dir, 'nope'), env: {} }),
      /kubeconfig .*nope: no such file/,
    );
  });

  test('a file that is not a kubeconfig is named with the reason', () => {
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'clusters: 12\n');
    assert.throws(
      () => loadKubeConfig({ kubeconfig: bad, env: {} }),
      (e: Error) => e.message.startsWith(`kubeconfig ${bad}:`),
    );
  });

  test('no file, no KUBECONFIG, not in a pod: says how to give one', () => {
    assert.throws(() => loadKubeConfig({ env: { HOME: dir } }), /give --kubeconfig FILE/);
  });

  test('$KUBECONFIG is used when no flag is given (first entry of the list)', () => {
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n'),
    );
    const loaded = loadKubeConfig({ env: { KUBECONFIG: `${file}:/elsewhere` } });
    assert.deepEqual(loaded.origin, { kind: 'file', path: file });
    assert.equal(loaded.server, 'https://127.0.0.1:6443');
  });
});

describe('loadKubeConfig against the test cluster', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed();
  });
  after(() => tb?.stop());

  test('the client reaches the API server with the loaded config', async () => {
    const { config, server } = loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} });
    assert.equal(server, tb.server);
    const namespaces = await config.makeApiClient(CoreV1Api).listNamespace();
    const names = namespaces.items.map((n) => n.metadata?.name);
    assert.ok(names.includes('kube-system'), `namespaces: ${names.join(', ')}`);
  });
});
