// Structured-merge-diff merge of ApplyConfiguration patches (Kubernetes MAP semantics).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import { ApplyConfigurationError, applyConfiguration } from './apply-configuration.js';

const pod = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'p' },
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec,
});

describe('applyConfiguration', () => {
  test('maps merge key by key (labels added, others kept)', () => {
    const out = applyConfiguration(pod({}, { name: 'p', labels: { a: '1' } }), {
      metadata: { labels: { b: '2' } },
    });
    assert.deepEqual(out.metadata, { name: 'p', labels: { a: '1', b: '2' } });
  });
  test('containers merge by name; fields of a matched container merge', () => {
    const out = applyConfiguration(
      pod({
        containers: [
          { name: 'a', image: 'x' },
          { name: 'b', image: 'y' },
        ],
      }),
      { spec: { containers: [{ name: 'b', imagePullPolicy: 'Always' }] } },
    );
    assert.deepEqual(out.spec, {
      containers: [
        { name: 'a', image: 'x' },
        { name: 'b', image: 'y', imagePullPolicy: 'Always' },
      ],
    });
  });
  test('new associative elements keep their place relative to shared ones', () => {
    const out = applyConfiguration(pod({ containers: [{ name: 'a' }, { name: 'b' }] }), {
      spec: { containers: [{ name: 'x' }, { name: 'b' }] },
    });
    assert.deepEqual(
      (out.spec as { containers: { name: string }[] }).containers.map((c) => c.name),
      ['a', 'x', 'b'],
    );
  });
  test('new elements without shared ones are appended', () => {
    const out = applyConfiguration(pod({ volumes: [{ name: 'v1' }] }), {
      spec: { volumes: [{ name: 'v2' }] },
    });
    assert.deepEqual(out.spec, { volumes: [{ name: 'v1' }, { name: 'v2' }] });
  });
  test('env inside containers merges by name', () => {
    const out = applyConfiguration(pod({ containers: [{ name: 'c', env: [{ name: 'A', value: '1' }] }] }), {
      spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '2' }] }] },
    });
    assert.deepEqual(out.spec, {
      containers: [
        {
          name: 'c',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ],
    });
  });
  test('atomic lists (args, tolerations) are replaced', () => {
    const out = applyConfiguration(
      pod({ containers: [{ name: 'c', args: ['a'] }], tolerations: [{ key: 'k' }] }),
      {
        spec: { containers: [{ name: 'c', args: ['b'] }], tolerations: [{ key: 'z' }] },
      },
    );
    assert.deepEqual(out.spec, { containers: [{ name: 'c', args: ['b'] }], tolerations: [{ key: 'z' }] });
  });
  test('set lists (finalizers) merge by value', () => {
    const out = applyConfiguration(pod({}, { name: 'p', finalizers: ['a', 'b'] }), {
      metadata: { finalizers: ['b', 'c'] },
    });
    assert.deepEqual(out.metadata, { name: 'p', finalizers: ['a', 'b', 'c'] });
  });
  test('lists of unknown kinds (CRDs) are atomic', () => {
    const cr: KubeObject = {
      apiVersion: 'x.io/v1',
      kind: 'Thing',
      metadata: { name: 't' },
      spec: { items: [{ name: 'a' }] },
    };
    const out = applyConfiguration(cr, { spec: { items: [{ name: 'b' }] } });
    assert.deepEqual(out.spec, { items: [{ name: 'b' }] });
  });
  test('the deduced schema makes every list atomic', () => {
    const out = applyConfiguration(
      pod({ containers: [{ name: 'a' }, { name: 'b' }] }),
      { spec: { containers: [{ name: 'b', image: 'i' }] } },
      'deduced',
    );
    assert.deepEqual(out.spec, { containers: [{ name: 'b', image: 'i' }] });
  });
  test('container ports key on containerPort and the defaulted protocol', () => {
    const out = applyConfiguration(pod({ containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }), {
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }] },
    });
    // One element: the live port without protocol is the same key as the patch's TCP port.
    assert.deepEqual(out.spec, {
      containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }],
    });
  });
  test('an associative element without its key is an error', () => {
    assert.throws(
      () =>
        applyConfiguration(pod({ containers: [{ name: 'a' }] }), { spec: { containers: [{ image: 'x' }] } }),
      (e: unknown) => e instanceof ApplyConfigurationError && /omits key field "name"/.test(e.message),
    );
  });
  test('apiVersion and kind stay those of the object; the original is not modified', () => {
    const original = pod({ a: 1 });
    const out = applyConfiguration(original, { kind: 'Other', spec: { a: 2 } });
    assert.equal(out.kind, 'Pod');
    assert.deepEqual(original.spec, { a: 1 });
  });
});
