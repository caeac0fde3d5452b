// Kyverno's CLI decodes an object again from the patched JSON once a patch changed it, with Go int64
// integers that go-jmespath does not take for numbers (jmespath/go-int.ts, docs/compat.md): the
// rules after the patch (in the policy, and the next policies) see them so; an object no patch
// changed keeps float64s. The admission profile is not changed (see docs/compat.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../model/kube-object.js';
import { admit } from './admit.js';
import { requestForObject } from './request.js';
import { admitCli, clusterPolicy, setOf } from './testdata/policies.js';

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: { replicas: 2, ratio: 1.5, template: { spec: { containers: [{ name: 'c', ports: [{ p: 80 }] }] } } },
});

const match = (names?: string[]) => ({
  any: [{ resources: { kinds: ['Deployment'], ...(names !== undefined ? { names } : {}) } }],
});

const addLabel = {
  name: 'add-label',
  match: match(['patched']),
  mutate: { patchStrategicMerge: { metadata: { labels: { team: 'web' } } } },
};

/** A validate rule denying when `key` is not `value`: pass when it is, error when it fails to evaluate. */
const expect = (name: string, key: string, value: unknown) => ({
  name,
  match: match(),
  validate: {
    failureAction: 'Enforce',
    message: 'm',
    deny: { conditions: { any: [{ key, operator: 'NotEquals', value }] } },
  },
});

const checks = [
  expect('type', '{{ type(request.object.spec.replicas) }}', 'number'),
  expect('float-type', '{{ type(request.object.spec.ratio) }}', 'number'),
  expect('abs', '{{ abs(request.object.spec.replicas) }}', 2),
  expect('plain', '{{ request.object.spec.replicas }}', 2),
  expect('to-string', '{{ to_string(request.object.spec.replicas) }}', '2'),
];

function rows(out: Awaited<ReturnType<typeof admitCli>>): [string, string][] {
  return out.responses.flatMap((r) => r.response.rules.map((x): [string, string] => [x.name, x.status]));
}

describe('integers of a patched object (Kyverno CLI)', () => {
  test('after a patch in the same policy: type() and abs() fail, the rest reads numbers', async () => {
    const set = setOf(clusterPolicy('p', { rules: [addLabel, ...checks] }));
    assert.deepEqual(rows(await admitCli(set, deployment('patched'))), [
      ['add-label', 'pass'],
      ['type', 'error'],
      ['float-type', 'pass'],
      ['abs', 'error'],
      ['plain', 'pass'],
      ['to-string', 'pass'],
    ]);
  });

  test('an object no patch changed keeps its numbers', async () => {
    const set = setOf(clusterPolicy('p', { rules: [addLabel, ...checks] }));
    assert.deepEqual(
      rows(await admitCli(set, deployment('plain'))).map(([, s]) => s),
      ['pass', 'pass', 'pass', 'pass', 'pass'],
    );
  });

  test('a patch that changes nothing leaves numbers', async () => {
    const same = { ...addLabel, mutate: { patchStrategicMerge: { spec: { replicas: 2 } } } };
    const set = setOf(clusterPolicy('p', { rules: [same, ...checks] }));
    assert.deepEqual(rows(await admitCli(set, deployment('patched')))[0], ['add-label', 'skip']);
    assert.ok(rows(await admitCli(set, deployment('patched'))).every(([, s]) => s !== 'error'));
  });

  test("the next policies see the previous policy's patched object so", async () => {
    const set = setOf(
      clusterPolicy('a-mutate', { rules: [addLabel] }),
      clusterPolicy('b-check', { rules: checks }),
    );
    assert.deepEqual(rows(await admitCli(set, deployment('patched'))), [
      ['add-label', 'pass'],
      ['type', 'error'],
      ['float-type', 'pass'],
      ['abs', 'error'],
      ['plain', 'pass'],
      ['to-string', 'pass'],
    ]);
  });

  test('foreach elements taken from the patched object keep Go integers', async () => {
    const foreach = {
      name: 'ports',
      match: match(),
      validate: {
        failureAction: 'Enforce',
        message: 'm',
        foreach: [
          {
            list: 'request.object.spec.template.spec.containers[0].ports',
            deny: {
              conditions: { any: [{ key: '{{ type(element.p) }}', operator: 'NotEquals', value: 'number' }] },
            },
          },
        ],
      },
    };
    const set = setOf(clusterPolicy('p', { rules: [addLabel, foreach] }));
    assert.deepEqual(rows(await admitCli(set, deployment('patched'))), [
      ['add-label', 'pass'],
      ['ports', 'error'],
    ]);
  });

  test("a number the list query computed stays a number (Kyverno sets the query's own values)", async () => {
    const foreach = {
      name: 'computed',
      match: match(),
      validate: {
        failureAction: 'Enforce',
        message: 'm',
        foreach: [
          {
            list: 'request.object.spec.template.spec.containers[0].ports[].{n: length(@), p: p}',
            deny: {
              conditions: {
                any: [{ key: '{{ type(element.n) }}', operator: 'NotEquals', value: 'number' }],
              },
            },
          },
        ],
      },
    };
    const set = setOf(clusterPolicy('p', { rules: [addLabel, foreach] }));
    assert.deepEqual(rows(await admitCli(set, deployment('patched'))), [
      ['add-label', 'pass'],
      ['computed', 'pass'],
    ]);
  });

  test('elementIndex is a Go integer in every foreach, patched or not, in both profiles', async () => {
    const byIndex = (name: string, key: string, value: unknown) => ({
      name,
      match: match(),
      validate: {
        failureAction: 'Enforce',
        message: 'm',
        foreach: [
          {
            list: 'request.object.spec.template.spec.containers',
            deny: { conditions: { any: [{ key, operator: 'NotEquals', value }] } },
          },
        ],
      },
    });
    const set = setOf(
      clusterPolicy('p', {
        rules: [
          byIndex('type', '{{ type(elementIndex) }}', 'number'),
          byIndex('add', '{{ add(elementIndex, `1`) }}', 1),
          byIndex('plain', '{{ elementIndex }}', 0),
          byIndex('path', 'c-{{ elementIndex0 }}', 'c-0'),
        ],
      }),
    );
    const expected = [
      ['type', 'error'],
      ['add', 'error'],
      ['plain', 'pass'],
      ['path', 'pass'],
    ];
    assert.deepEqual(rows(await admitCli(set, deployment('plain'))), expected);
    assert.deepEqual(rows(await admit(set, requestForObject(deployment('plain')), { ports: {} })), expected);
  });

  test('the admission profile is unchanged', async () => {
    const set = setOf(clusterPolicy('p', { rules: [addLabel, ...checks] }));
    const out = await admit(set, requestForObject(deployment('patched')), { ports: {} });
    assert.ok(rows(out).every(([, s]) => s === 'pass'));
  });
});
