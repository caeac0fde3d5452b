// The TTL controller against an in-memory cluster and a chosen clock: deletes labelled objects whose
// time has come (duration after creation, or absolute), with the annotation's propagation, tells
// when the next one is due, leaves unreadable values and unlabelled objects alone, and skips
// resources it may not list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import type { KubeObject } from '../../engine/index.js';
import type { CleanupCluster } from '../../io/cluster/cleanup-cluster.js';
import { KubeApiError } from '../../io/cluster/kube-rest.js';
import type { ServedResource } from '../../io/cluster/served-resources.js';
import { createCleanupMetrics } from '../cleanup/metrics.js';
import { createTtlController } from './controller.js';

const R = (kind: string, resource: string, group = ''): ServedResource => ({
  group,
  version: 'v1',
  kind,
  resource,
  namespaced: true,
  verbs: ['list', 'watch', 'delete'],
});
const CM = R('ConfigMap', 'configmaps');
const SECRET = R('Secret', 'secrets');

const obj = (
  kind: string,
  name: string,
  ttl?: string,
  annotations: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    namespace: 'n',
    creationTimestamp: '2024-01-01T10:00:00Z',
    annotations,
    ...(ttl !== undefined ? { labels: { 'cleanup.kyverno.io/ttl': ttl } } : {}),
  },
});

describe('TTL controller', () => {
  test('deletes what is due, with its propagation, and answers the next due time', async () => {
    const objects = [
      obj('ConfigMap', 'short', '1m', { 'cleanup.kyverno.io/propagation-policy': 'Orphan' }),
      obj('ConfigMap', 'dated', '2024-01-01T100030Z'),
      obj('ConfigMap', 'later', '2h'),
      obj('ConfigMap', 'unreadable', 'soon'),
      obj('ConfigMap', 'unlabelled'),
      obj('Secret', 'hidden', '1s'),
    ];
    const deletes: string[] = [];
    const cluster = {
      deletableResources: async () => [CM, SECRET],
      async list(r: ServedResource, _ns?: string, selector?: string) {
        if (r === SECRET) throw new KubeApiError(403, 'forbidden');
        return objects.filter(
          (o) =>
            o.kind === r.kind && (selector === undefined || o.metadata?.labels?.[selector] !== undefined),
        );
      },
      async delete(r: ServedResource, ns: string | undefined, name: string, propagation?: string) {
        deletes.push(`${r.resource}/${ns}/${name}${propagation ? ` ${propagation}` : ''}`);
        return true;
      },
    } as unknown as CleanupCluster;
    const registry = new Registry();
    const c = createTtlController({
      cluster,
      metrics: createCleanupMetrics(registry),
      logger: { info() {}, warn() {}, error() {} },
      now: () => new Date('2024-01-01T10:01:00Z'),
    });
    const pass = await c.pass();
    assert.deepEqual(deletes, ['configmaps/n/short Orphan', 'configmaps/n/dated']);
    assert.deepEqual(pass.deleted, ['configmaps/n/short', 'configmaps/n/dated']);
    assert.equal(pass.errors, 0);
    assert.equal(pass.nextAt?.toISOString(), '2024-01-01T12:00:00.000Z');
    assert.match(
      await registry.metrics(),
      /kyverno_ttl_controller_deletedobjects_total\{resource_namespace="n",resource_group="",resource_version="v1",resource_resource="configmaps"\} 2/,
    );
  });
});
