// Kubernetes' unstructured GetLabels/GetAnnotations read a field that is not a mapping of strings as
// absent, so a resource with wrong-typed labels or annotations (or values) is matched as one without them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResourceDescription } from '../kinds/cluster-policy/types.js';
import type { KubeObject } from '../model/kube-object.js';
import { resourceDescriptionMatches } from './resource-description.js';

function pod(metadata: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...metadata } };
}

const noApp: ResourceDescription = {
  kinds: ['Pod'],
  selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
};
const hasApp: ResourceDescription = {
  kinds: ['Pod'],
  selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
};
const anyIndexLabel: ResourceDescription = { kinds: ['Pod'], selector: { matchLabels: { '0': 'a' } } };
const annotated: ResourceDescription = { kinds: ['Pod'], annotations: { '0': 'a' } };

const cases: { name: string; metadata: Record<string, unknown>; rd: ResourceDescription; want: boolean }[] = [
  { name: 'labels as a string: no labels', metadata: { labels: 'app' }, rd: noApp, want: true },
  { name: 'labels as a string: not a label set', metadata: { labels: 'a' }, rd: anyIndexLabel, want: false },
  { name: 'labels as a list: no labels', metadata: { labels: ['a'] }, rd: anyIndexLabel, want: false },
  { name: 'labels as a number: no labels', metadata: { labels: 5 }, rd: hasApp, want: false },
  { name: 'annotations as a list: none', metadata: { annotations: ['a'] }, rd: annotated, want: false },
  { name: 'annotations as a string: none', metadata: { annotations: 'a' }, rd: annotated, want: false },
  { name: 'well-typed labels still match', metadata: { labels: { app: 'x' } }, rd: hasApp, want: true },
  // NestedStringMap: one value that is not a string (nor null) empties the whole map.
  { name: 'a number label value: no labels', metadata: { labels: { app: 1 } }, rd: hasApp, want: false },
  {
    name: 'a list label value: no labels',
    metadata: { labels: { app: 'x', b: ['a'] } },
    rd: hasApp,
    want: false,
  },
  {
    name: 'a boolean label value: no labels',
    metadata: { labels: { app: 'x', b: true } },
    rd: hasApp,
    want: false,
  },
  {
    name: 'a null label value is left out',
    metadata: { labels: { app: 'x', b: null } },
    rd: hasApp,
    want: true,
  },
  { name: 'a null label value reads as absent', metadata: { labels: { app: null } }, rd: noApp, want: true },
  {
    name: 'a number annotation value: none',
    metadata: { annotations: { '0': 'a', b: 2 } },
    rd: annotated,
    want: false,
  },
  {
    name: 'a null annotation value is left out',
    metadata: { annotations: { '0': 'a', b: null } },
    rd: annotated,
    want: true,
  },
];

describe('wrong-typed labels and annotations match as absent', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = resourceDescriptionMatches(c.rd, { resource: pod(c.metadata), operation: 'CREATE' });
      assert.equal(got, c.want);
    });
  }
});

describe('a subresource request is matched by the kind it names (Kyverno matches the policy context GVK)', () => {
  const scale: KubeObject = {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: 'web', namespace: 'default' },
  };
  const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };
  const cases: { kinds: string[]; resourceKind?: typeof deployment; subresource?: string; want: boolean }[] =
    [
      { kinds: ['Deployment/scale'], resourceKind: deployment, subresource: 'scale', want: true },
      { kinds: ['apps/v1/Deployment/scale'], resourceKind: deployment, subresource: 'scale', want: true },
      { kinds: ['Deployment'], resourceKind: deployment, subresource: 'scale', want: false },
      { kinds: ['Scale'], resourceKind: deployment, subresource: 'scale', want: false },
      // Without a kind named by the request, the object's own kind is matched.
      { kinds: ['Deployment/scale'], subresource: 'scale', want: false },
      { kinds: ['Scale'], want: true },
    ];
  for (const c of cases) {
    test(`${c.kinds.join(',')} on ${c.resourceKind?.kind ?? 'Scale'}/${c.subresource ?? ''} → ${c.want}`, () => {
      const got = resourceDescriptionMatches(
        { kinds: c.kinds },
        {
          resource: scale,
          operation: 'UPDATE',
          ...(c.subresource !== undefined ? { subresource: c.subresource } : {}),
          ...(c.resourceKind !== undefined ? { resourceKind: c.resourceKind } : {}),
        },
      );
      assert.equal(got, c.want);
    });
  }
});
