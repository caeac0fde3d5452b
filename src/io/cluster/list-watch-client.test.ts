// The list/watch client against the real API server: paged lists, unserved collections, refused
// credentials, watches the server closes, and a real 410 Gone after an etcd compaction.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testbedKubeConfig } from '../../../test/support/list-watch-probe.js';
import { startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { KubeConfig } from './kube-client.js';
import { type KubeHttp, kubeHttp } from './kube-http.js';
import { listWatchClient, type WatchEvent } from './list-watch-client.js';

const NS = 'list-watch-test';
const CONFIGMAPS = `/api/v1/namespaces/${NS}/configmaps`;
const signal = new AbortController().signal;

/** The real HTTP client, with the paths it asked for recorded. */
function recorded(http: KubeHttp): KubeHttp & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    getJson: (path, s) => {
      asked.push(path);
      return http.getJson(path, s);
    },
    stream: (path, onLine, o) => {
      asked.push(path);
      return http.stream(path, onLine, o);
    },
  };
}

describe('listWatchClient on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed();
    assert.equal((await tb.api('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      assert.equal((await tb.api('POST', CONFIGMAPS, { metadata: { name } })).status, 201);
  });
  after(() => tb?.stop());

  test('a list follows continue tokens and keeps the last resourceVersion', async () => {
    const http = recorded(kubeHttp(testbedKubeConfig(tb.kubeconfig)));
    const r = await listWatchClient(http, { pageSize: 2 }).list(CONFIGMAPS, signal);
    assert.equal(r.kind, 'listed');
    if (r.kind !== 'listed') return;
    assert.deepEqual(
      r.items.map((o) => o.metadata?.name),
      ['a', 'b', 'c', 'd', 'e'],
    );
    assert.match(r.resourceVersion, /^\d+$/);
    assert.equal(http.asked.length, 3, 'three pages of two');
    assert.match(http.asked[1] ?? '', /continue=/);
  });

  test('404 is a collection that is not served; other errors say what failed', async () => {
    const client = listWatchClient(kubeHttp(testbedKubeConfig(tb.kubeconfig)));
    assert.deepEqual(await client.list('/apis/nothing.palisade.test/v1/things', signal), { kind: 'missing' });
    const stranger = new KubeConfig();
    stranger.loadFromOptions({
      clusters: [{ name: 't', server: tb.server, caData: Buffer.from(tb.caPem).toString('base64') }],
      users: [{ name: 'u', token: 'not-a-token' }],
      contexts: [{ name: 'c', cluster: 't', user: 'u' }],
      currentContext: 'c',
    });
    await assert.rejects(
      listWatchClient(kubeHttp(stranger)).list(CONFIGMAPS, signal),
      /list \/api\/v1\/namespaces\/list-watch-test\/configmaps: HTTP 401: Unauthorized/,
    );
  });

  test('a watch passes changes on from its resourceVersion, and says the server closed it', async () => {
    const http = recorded(kubeHttp(testbedKubeConfig(tb.kubeconfig)));
    const client = listWatchClient(http, { watchSeconds: 2 });
    const listed = await client.list(CONFIGMAPS, signal);
    assert.equal(listed.kind, 'listed');
    if (listed.kind !== 'listed') return;
    const events: WatchEvent[] = [];
    const watching = client.watch(CONFIGMAPS, listed.resourceVersion, (e) => events.push(e), signal);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await tb.api('POST', CONFIGMAPS, { metadata: { name: 'new' } })).status, 201);
    assert.equal((await tb.api('DELETE', `${CONFIGMAPS}/new`)).status, 200);
    assert.equal(await watching, 'closed');
    const changes = events.filter((e) => e.type !== 'BOOKMARK');
    assert.deepEqual(
      changes.map((e) => [e.type, 'object' in e ? e.object.metadata?.name : '']),
      [
        ['ADDED', 'new'],
        ['DELETED', 'new'],
      ],
    );
    // Bookmarks, when the server sends them, carry a version to resume from.
    for (const e of events) if (e.type === 'BOOKMARK') assert.match(e.resourceVersion, /^\d+$/);
    const watchPath = http.asked.find((p) => p.includes('watch=true')) ?? '';
    assert.match(watchPath, new RegExp(`resourceVersion=${listed.resourceVersion}`));
    assert.match(watchPath, /allowWatchBookmarks=true/);
  });

  test('410 Gone from the server (a compacted revision) asks for a new list', async () => {
    // PodTemplates bypass the watch cache (scripts/testbed/start.sh): etcd itself answers.
    const templates = `/api/v1/namespaces/${NS}/podtemplates`;
    const created = await tb.api('POST', templates, {
      metadata: { name: 't' },
      template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'registry.example/app:1' }] } },
    });
    assert.equal(created.status, 201);
    await tb.compactEtcd();
    const client = listWatchClient(kubeHttp(testbedKubeConfig(tb.kubeconfig)), { watchSeconds: 5 });
    assert.equal(await client.watch(templates, '1', () => {}, signal), 'gone');
  });

  test('a watch that is aborted rejects; it never throws outside the promise', async () => {
    const client = listWatchClient(kubeHttp(testbedKubeConfig(tb.kubeconfig)));
    const controller = new AbortController();
    const watching = client.watch(CONFIGMAPS, '0', () => {}, controller.signal);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    await assert.rejects(watching);
  });
});
