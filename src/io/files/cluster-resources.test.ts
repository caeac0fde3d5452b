// A test's `clusterResources` (Kyverno's ClusterResource files: inline objects and CRD paths).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crdResourceKinds, loadClusterResources } from './cluster-resources.js';

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: octopi.example.com
spec:
  group: example.com
  scope: Cluster
  names: { plural: octopi, singular: octopus, kind: Octopus }
  versions:
  - { name: v1, served: true, storage: true }
  - { name: v2, served: true, storage: false }
`;

function suite(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'palisade-cluster-resources-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('loadClusterResources', () => {
  test('reads inline objects as written and CRDs relative to the test folder', () => {
    const root = suite({
      'crds/octopus.yaml': crd,
      'cluster/resources.yaml': `apiVersion: cli.kyverno.io/v1alpha1
kind: ClusterResource
metadata: { name: r }
spec:
  crds: [crds/octopus.yaml]
  resources:
  - { apiVersion: v1, kind: Namespace, metadata: { name: team } }
  - { apiVersion: example.com/v1, kind: Octopus, metadata: { name: o } }
`,
    });
    const out = loadClusterResources([join(root, 'cluster/resources.yaml')], (p) => join(root, p));
    assert.deepEqual(out.issues, []);
    assert.deepEqual(
      out.objects.map((o) => [o.kind, o.metadata?.name, o.metadata?.namespace]),
      [
        ['Namespace', 'team', undefined],
        // Not defaulted to `default`: Kyverno's fake cluster stores the object as written.
        ['Octopus', 'o', undefined],
      ],
    );
    assert.deepEqual(
      out.crds.map((c) => c.metadata?.name),
      ['octopi.example.com'],
    );
  });

  const bad = [
    {
      name: 'an unknown field',
      text: 'apiVersion: cli.kyverno.io/v1alpha1\nkind: ClusterResource\nspec: { extra: 1 }\n',
      want: /extra/,
    },
    {
      name: 'a resource that is not a mapping with a kind',
      text: 'apiVersion: cli.kyverno.io/v1alpha1\nkind: ClusterResource\nspec: { resources: [{ metadata: { name: x } }] }\n',
      want: /kind/,
    },
    {
      name: 'a missing CRD file',
      text: 'apiVersion: cli.kyverno.io/v1alpha1\nkind: ClusterResource\nspec: { crds: [nope.yaml] }\n',
      want: /nope\.yaml/,
    },
  ];
  for (const c of bad) {
    test(`${c.name} is an error`, () => {
      const root = suite({ 'cr.yaml': c.text });
      const out = loadClusterResources([join(root, 'cr.yaml')], (p) => join(root, p));
      const errors = out.issues.filter((d) => d.severity === 'error');
      assert.ok(errors.length > 0);
      assert.match(errors.map((d) => `${d.message} ${d.source?.file ?? ''}`).join('\n'), c.want);
    });
  }
});

test('crdResourceKinds maps every served version of a CRD to its kind', () => {
  const root = suite({
    'crd.yaml': crd,
    'cr.yaml': 'apiVersion: cli.kyverno.io/v1alpha1\nkind: ClusterResource\nspec: { crds: [crd.yaml] }\n',
  });
  const { crds } = loadClusterResources([join(root, 'cr.yaml')], (p) => join(root, p));
  assert.deepEqual(
    [...crdResourceKinds(crds)],
    [
      ['example.com/v1|octopi', 'Octopus'],
      ['example.com/v2|octopi', 'Octopus'],
    ],
  );
});
