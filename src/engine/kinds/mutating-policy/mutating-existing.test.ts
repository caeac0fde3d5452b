// Mutate-existing MutatingPolicies (reference §1.4; Kyverno mpol engine Evaluate and
// pkg/background/mpol): target selection, target conditions, and patches that accumulate per target.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import type { ClusterReader } from '../../ports.js';
import type { EvaluationRuntime } from '../../runtime.js';
import type { CelAdmissionInput } from '../cel-shared/admission-evaluation.js';
import { loadMutatingPolicy } from './load.js';
import {
  evaluateMutateExisting,
  expressionTargets,
  isMutateExistingTarget,
  listMutateExistingCandidates,
  TargetSelectionError,
  triggersMutateExisting,
} from './mutating-existing.js';
import { type CompiledMutatingPolicy, compileMutatingPolicy } from './mutating-policy.js';

const NO_PORTS: EvaluationRuntime = { ports: {} };

function fakeCluster(objects: readonly KubeObject[]): ClusterReader {
  const same = (o: KubeObject, apiVersion: string, kind: string, ns?: string) =>
    o.apiVersion === apiVersion && o.kind === kind && (ns === undefined || o.metadata?.namespace === ns);
  return {
    get: (apiVersion, kind, ns, name) =>
      objects.find((o) => same(o, apiVersion, kind, ns) && o.metadata?.name === name),
    list: (apiVersion, kind, ns) => objects.filter((o) => same(o, apiVersion, kind, ns)),
  };
}

function policy(
  name: string,
  spec: Record<string, unknown>,
  kind = 'MutatingPolicy',
): CompiledMutatingPolicy {
  const loaded = loadMutatingPolicy({
    apiVersion: 'policies.kyverno.io/v1beta1',
    kind,
    metadata: { name, ...(kind === 'NamespacedMutatingPolicy' ? { namespace: 'team' } : {}) },
    spec: { evaluation: { mutateExisting: { enabled: true } }, ...spec },
  });
  assert.ok(loaded.ok, JSON.stringify(loaded));
  const c = compileMutatingPolicy(loaded.value, {});
  assert.ok(c.ok, JSON.stringify(c));
  return c.value;
}

const rules = (group: string, resources: string[], operations = ['CREATE']) => ({
  resourceRules: [{ apiGroups: [group], apiVersions: ['v1'], operations, resources }],
});

const label = (k: string, v: string) => ({
  patchType: 'ApplyConfiguration',
  applyConfiguration: { expression: `Object{metadata: Object.metadata{labels: {"${k}": "${v}"}}}` },
});

const cm = (name: string, ns = 'apps', labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, ...(labels !== undefined ? { labels } : {}) },
  data: { k: 'v' },
});

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'apps' },
};

function triggerOf(object: KubeObject): CelAdmissionInput {
  return {
    attributes: {
      group: '',
      version: 'v1',
      kind: object.kind ?? '',
      resource: `${(object.kind ?? '').toLowerCase()}s`,
      subresource: '',
      namespace: object.metadata?.namespace ?? '',
      name: object.metadata?.name ?? '',
      operation: 'CREATE',
      object,
      oldObject: null,
    },
    namespaceObject: null,
  };
}

describe('target selection', () => {
  test('targetMatchConstraints resource rules select targets whatever their operations say', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: rules('', ['configmaps'], ['UPDATE']),
      mutations: [label('a', 'b')],
    });
    assert.equal(isMutateExistingTarget(p, cm('x')), true);
    assert.equal(isMutateExistingTarget(p, secret), false);
  });
  test('without targetMatchConstraints the policy matchConstraints name the targets', () => {
    const p = policy('p', { matchConstraints: rules('', ['secrets']), mutations: [label('a', 'b')] });
    assert.equal(p.target.explicit, false);
    assert.equal(isMutateExistingTarget(p, secret), true);
    assert.equal(isMutateExistingTarget(p, cm('x')), false);
  });
  test('an objectSelector in targetMatchConstraints filters by the target labels', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: {
        ...rules('', ['configmaps']),
        objectSelector: { matchLabels: { tier: 'web' } },
      },
      mutations: [label('a', 'b')],
    });
    assert.equal(isMutateExistingTarget(p, cm('x', 'apps', { tier: 'web' })), true);
    assert.equal(isMutateExistingTarget(p, cm('y', 'apps', { tier: 'db' })), false);
  });
  test('an expression reading the cluster returns a single object or a list', () => {
    const cluster = fakeCluster([cm('one'), cm('two'), cm('three', 'other')]);
    const single = policy('single', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: {
        expression: 'resource.Get("v1", "configmaps", object.metadata.namespace, "one")',
      },
      mutations: [label('a', 'b')],
    });
    assert.deepEqual(
      expressionTargets(single, secret, { ports: { cluster } }).map((o) => o.metadata?.name),
      ['one'],
    );
    const many = policy('many', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: {
        expression: 'resource.List("v1", "configmaps", object.metadata.namespace)',
      },
      mutations: [label('a', 'b')],
    });
    assert.deepEqual(
      expressionTargets(many, secret, { ports: { cluster } }).map((o) => o.metadata?.name),
      ['one', 'two'],
    );
    assert.equal(isMutateExistingTarget(many, cm('one'), new Set(['apps/one'])), true);
    assert.equal(isMutateExistingTarget(many, cm('three', 'other'), new Set(['apps/one'])), false);
  });
  test('an expression that does not return a map is an error', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: { expression: '"not-a-map"' },
      mutations: [label('a', 'b')],
    });
    assert.throws(() => expressionTargets(p, secret, NO_PORTS), TargetSelectionError);
  });
  test('candidates are listed from the cluster by the kinds the target rules name', () => {
    const cluster = fakeCluster([cm('one'), cm('two', 'other'), secret]);
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: rules('', ['configmaps']),
      mutations: [label('a', 'b')],
    });
    assert.deepEqual(
      listMutateExistingCandidates(p, secret, cluster, { ports: { cluster } }).map((o) => o.metadata?.name),
      ['one', 'two'],
    );
  });
  test('a trigger queues work only when matchConstraints and matchConditions select it', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      matchConditions: [{ name: 'named', expression: 'object.metadata.name == "creds"' }],
      targetMatchConstraints: rules('', ['configmaps']),
      mutations: [label('a', 'b')],
    });
    assert.equal(triggersMutateExisting(p, triggerOf(secret), NO_PORTS), true);
    const other = { ...secret, metadata: { name: 'x', namespace: 'apps' } };
    assert.equal(triggersMutateExisting(p, triggerOf(other), NO_PORTS), false);
    assert.equal(triggersMutateExisting(p, triggerOf(cm('x')), NO_PORTS), false);
  });
});

describe('evaluateMutateExisting', () => {
  test('a target gets the patch with the trigger visible as request.object', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: rules('', ['configmaps']),
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: {
            expression: 'Object{metadata: Object.metadata{labels: {"from": request.object.metadata.name}}}',
          },
        },
      ],
    });
    const out = evaluateMutateExisting([p], triggerOf(secret), [cm('x'), secret], NO_PORTS);
    assert.equal(out.length, 1);
    const rule = out[0]?.rules[0];
    assert.equal(rule?.status, 'pass');
    assert.deepEqual(rule?.patchedTargets?.[0]?.metadata?.labels, { from: 'creds' });
    assert.equal(out[0]?.target?.metadata?.name, 'x');
  });
  test('targetMatchConditions filter explicit targets; an unmet one is a skip', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      matchConditions: [{ name: 'never', expression: 'false' }],
      targetMatchConstraints: rules('', ['configmaps']),
      targetMatchConditions: [{ name: 'only-a', expression: 'object.metadata.name == "a"' }],
      mutations: [label('x', 'y')],
    });
    const out = evaluateMutateExisting([p], triggerOf(secret), [cm('a'), cm('b')], NO_PORTS);
    assert.deepEqual(
      out.map((r) => [r.target?.metadata?.name, r.rules[0]?.status]),
      [
        ['a', 'pass'],
        ['b', 'skip'],
      ],
    );
  });
  test('without explicit targets the policy matchConditions are checked on the target', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['configmaps']),
      matchConditions: [{ name: 'only-a', expression: 'object.metadata.name == "a"' }],
      mutations: [label('x', 'y')],
    });
    const out = evaluateMutateExisting([p], triggerOf(cm('a')), [cm('a'), cm('b')], NO_PORTS);
    assert.deepEqual(
      out.map((r) => r.rules[0]?.status),
      ['pass', 'skip'],
    );
  });
  test('policies patching the same target see each other; every pass carries the final target', () => {
    const first = policy('first', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: rules('', ['configmaps']),
      mutations: [label('a', '1')],
    });
    const second = policy('second', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: rules('', ['configmaps']),
      targetMatchConditions: [{ name: 'after-first', expression: '"a" in object.metadata.labels' }],
      mutations: [label('b', '2')],
    });
    const out = evaluateMutateExisting([first, second], triggerOf(secret), [cm('x')], NO_PORTS);
    assert.deepEqual(
      out.map((r) => r.rules[0]?.patchedTargets?.[0]?.metadata?.labels),
      [
        { a: '1', b: '2' },
        { a: '1', b: '2' },
      ],
    );
  });
  test('policies without mutateExisting are not applied to targets', () => {
    const admissionOnly = policy('admission', {
      evaluation: { mutateExisting: { enabled: false } },
      matchConstraints: rules('', ['configmaps']),
      mutations: [label('a', 'b')],
    });
    assert.deepEqual(evaluateMutateExisting([admissionOnly], triggerOf(secret), [cm('x')], NO_PORTS), []);
  });
  test('a NamespacedMutatingPolicy only patches targets in its namespace', () => {
    const p = policy(
      'ns',
      {
        matchConstraints: rules('', ['secrets']),
        targetMatchConstraints: rules('', ['configmaps']),
        mutations: [label('a', 'b')],
      },
      'NamespacedMutatingPolicy',
    );
    const out = evaluateMutateExisting([p], triggerOf(secret), [cm('x', 'team'), cm('y', 'apps')], NO_PORTS);
    assert.deepEqual(
      out.map((r) => r.target?.metadata?.name),
      ['x'],
    );
  });
  test('a failing target expression answers one error without a target', () => {
    const p = policy('p', {
      matchConstraints: rules('', ['secrets']),
      targetMatchConstraints: { expression: 'resource.Get("v1", "configmaps", "apps", "missing")' },
      mutations: [label('a', 'b')],
    });
    const out = evaluateMutateExisting([p], triggerOf(secret), [cm('x')], NO_PORTS);
    assert.equal(out.length, 1);
    assert.equal(out[0]?.target, undefined);
    assert.equal(out[0]?.rules[0]?.status, 'error');
    assert.match(out[0]?.rules[0]?.message ?? '', /failed to discover CEL targets/);
  });
});
