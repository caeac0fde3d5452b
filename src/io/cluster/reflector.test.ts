// The reflector against the real API server (test/support/testbed.ts): ConfigMaps for list/watch,
// a CustomResourceDefinition for collections that are served late or go away, a TCP relay for real
// connection faults and an old resourceVersion for a real 410 Gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ProbedClient,
  probedClient,
  testbedKubeConfig,
} from '../../../test/support/list-watch-probe.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { type Reflector, startReflector } from './reflector.js';

const NS = 'reflector-test';
const CONFIGMAPS = `/api/v1/namespaces/${NS}/configmaps`;
const GROUP = 'reflector.palisade.test';
const WIDGETS_V1 = `/apis/${GROUP}/v1/widgets`;
const WIDGETS_V1BETA1 = `/apis/${GROUP}/v1beta1/widgets`;

const names = (r: Reflector): string[] =>
  r
    .items()
    .map((o) => String(o.metadata?.name))
    .sort();

function widgetsCrd(): unknown {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Cluster',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

describe('reflector on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let proxy: TcpProxy;
  const stops: Reflector[] = [];
  before(async () => {
    tb = await startTestbed();
    proxy = await startTcpProxy(tb.server);
    const ns = await tb.api('POST', '/api/v1/namespaces', { metadata: { name: NS } });
    assert.equal(ns.status, 201, JSON.stringify(ns.body));
  });
  after(async () => {
    for (const r of stops) r.stop();
    await proxy?.close();
    await tb?.stop();
  });

  /** A reflector on ConfigMaps (or `versions`) through the relay; its log lines collected. */
  function reflect(
    versions = [{ apiVersion: 'v1', path: CONFIGMAPS }],
    kind = 'ConfigMap',
    prepare: (client: ProbedClient) => void = () => {},
  ): { r: Reflector; client: ProbedClient; logs: string[] } {
    const client = probedClient(testbedKubeConfig(tb.kubeconfig, proxy.url));
    prepare(client);
    const logs: string[] = [];
    const r = startReflector({
      resource: kind,
      kind,
      versions,
      client,
      onChange: () => {},
      log: (level, message) => logs.push(`${level}: ${message}`),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    stops.push(r);
    return { r, client, logs };
  }

  const putConfigMap = async (name: string, data: Record<string, string> = {}) => {
    const existing = await tb.api('GET', `${CONFIGMAPS}/${name}`);
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data };
    const res =
      existing.status === 200
        ? await tb.api('PUT', `${CONFIGMAPS}/${name}`, body)
        : await tb.api('POST', CONFIGMAPS, body);
    assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body));
  };
  const deleteConfigMap = async (name: string) => {
    const res = await tb.api('DELETE', `${CONFIGMAPS}/${name}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const watching = (client: ProbedClient) =>
    eventually('a watch open', 10_000, async () => (client.openWatches === 1 ? true : undefined));

  test('lists, then follows adds, changes and deletes; items get apiVersion and kind', async () => {
    await putConfigMap('a');
    const { r, client } = reflect();
    await eventually('synced', 10_000, async () => (r.state === 'synced' ? true : undefined));
    await watching(client);
    assert.deepEqual(names(r), ['a']);
    assert.equal(r.items()[0]?.apiVersion, 'v1');
    assert.equal(r.items()[0]?.kind, 'ConfigMap');
    await putConfigMap('b');
    await putConfigMap('a', { x: '1' });
    await deleteConfigMap('b');
    await eventually('the changes seen', 10_000, async () =>
      names(r).join() === 'a' && (r.get('a', NS)?.data as { x?: string } | undefined)?.x === '1'
        ? true
        : undefined,
    );
    assert.equal(client.lists.get(CONFIGMAPS), 1, 'changes come from the watch, not from lists');
  });

  test('410 Gone from the real server (a compacted revision) lists again', async () => {
    // PodTemplates bypass the API server's watch cache (start.sh), so a watch from a revision etcd
    // has compacted away is answered 410 Gone by the server itself.
    const TEMPLATES = `/api/v1/namespaces/${NS}/podtemplates`;
    const template = (name: string) => ({
      metadata: { name },
      template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'registry.example/app:1' }] } },
    });
    assert.equal((await tb.api('POST', TEMPLATES, template('before'))).status, 201);
    await tb.compactEtcd();
    const { r, client } = reflect([{ apiVersion: 'v1', path: TEMPLATES }], 'PodTemplate', (c) =>
      c.staleNextWatch(TEMPLATES),
    );
    await eventually('listed again after 410', 15_000, async () =>
      client.lists.get(TEMPLATES) === 2 && client.openWatches === 1 ? true : undefined,
    );
    assert.equal(client.watches.get(TEMPLATES), 2);
    assert.equal((await tb.api('POST', TEMPLATES, template('after'))).status, 201);
    await eventually('changes flow again', 10_000, async () =>
      names(r).join() === 'after,before' ? true : undefined,
    );
    assert.equal(r.state, 'synced');
  });

  test('a broken connection and an unreachable server: lists again after a backoff, and catches up', async () => {
    const { r, client } = reflect();
    await watching(client);
    const watchesBefore = client.watches.get(CONFIGMAPS) ?? 0;
    proxy.refuse(true);
    proxy.cut();
    // Changes made while it cannot reach the server are found by the next list.
    await putConfigMap('while-away');
    await eventually('retrying', 10_000, async () =>
      (client.lists.get(CONFIGMAPS) ?? 0) >= 2 ? true : undefined,
    );
    proxy.refuse(false);
    await eventually('caught up', 15_000, async () =>
      names(r).includes('while-away') &&
      client.openWatches === 1 &&
      (client.watches.get(CONFIGMAPS) ?? 0) > watchesBefore
        ? true
        : undefined,
    );
    assert.equal(r.state, 'synced');
  });

  test('an unserved collection is missing (said once), falls back to an older version, and is picked up when served', async () => {
    const { r, client, logs } = reflect(
      [
        { apiVersion: `${GROUP}/v1`, path: WIDGETS_V1 },
        { apiVersion: `${GROUP}/v1beta1`, path: WIDGETS_V1BETA1 },
      ],
      'Widget',
    );
    await eventually('missing', 10_000, async () => (r.state === 'missing' ? true : undefined));
    await eventually('asked again', 10_000, async () =>
      (client.lists.get(WIDGETS_V1) ?? 0) >= 3 ? true : undefined,
    );
    assert.equal(logs.filter((l) => l.includes('not served')).length, 1);
    const crd = await tb.kubectl(['apply', '-f', '-'], JSON.stringify(widgetsCrd()));
    assert.equal(crd.code, 0, crd.stderr);
    await tb.kubectl(['wait', '--for=condition=Established', `crd/widgets.${GROUP}`, '--timeout=30s']);
    const widget = await eventually('a widget created', 10_000, async () => {
      const res = await tb.api('POST', WIDGETS_V1BETA1, {
        apiVersion: `${GROUP}/v1beta1`,
        kind: 'Widget',
        metadata: { name: 'old' },
      });
      return res.status === 201 ? res : undefined;
    });
    assert.equal(widget.status, 201);
    await eventually('synced on v1beta1', 15_000, async () =>
      r.state === 'synced' && names(r).join() === 'old' ? true : undefined,
    );
    assert.equal(r.items()[0]?.apiVersion, `${GROUP}/v1beta1`);
    assert.ok(logs.some((l) => l.includes('now served')));
  });

  test('a collection that goes away empties the copy', async () => {
    const { r } = reflect([{ apiVersion: `${GROUP}/v1beta1`, path: WIDGETS_V1BETA1 }], 'Widget');
    await eventually('synced', 15_000, async () => (r.state === 'synced' ? true : undefined));
    const gone = await tb.kubectl(['delete', 'crd', `widgets.${GROUP}`, '--wait=true', '--timeout=60s']);
    assert.equal(gone.code, 0, gone.stderr);
    await eventually('missing', 30_000, async () => (r.state === 'missing' ? true : undefined));
    assert.deepEqual(r.items(), []);
  });

  test('stop ends the watch', async () => {
    const { r, client } = reflect();
    await watching(client);
    r.stop();
    await eventually('no watch open', 5_000, async () => (client.openWatches === 0 ? true : undefined));
  });
});
