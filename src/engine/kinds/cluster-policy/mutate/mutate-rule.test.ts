import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import type { ClusterReader } from '../../../ports.js';
import type { PolicyResponse } from '../../../verdict/types.js';
import { compilePolicy, evaluatePolicy } from '../evaluate-policy.js';
import type { KyvernoPolicy, Rule } from '../types.js';
import { EMPTIED_RESOURCE } from './emptied-resource.js';

function policy(rules: Rule[], kind: 'ClusterPolicy' | 'Policy' = 'ClusterPolicy'): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind,
    metadata: { name: 'p', ...(kind === 'Policy' ? { namespace: 'team' } : {}) },
    spec: { rules },
  };
}

function rule(name: string, mutate: Record<string, unknown>, kinds = ['Pod']): Rule {
  return { name, match: { any: [{ resources: { kinds } }] }, mutate };
}

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.25' },
      { name: 'sidecar', image: 'busybox' },
    ],
  },
});

function run(p: KyvernoPolicy, resource: KubeObject = pod(), cluster?: ClusterReader): PolicyResponse {
  const compiled = compilePolicy(p);
  assert.ok(compiled.ok);
  return evaluatePolicy(compiled.value, {
    resource,
    operation: 'CREATE',
    ports: cluster !== undefined ? { cluster } : {},
  });
}

describe('mutate rule: patchesJson6902', () => {
  it('adds a label; pass message names the resource (docs: "add-label" example)', () => {
    const r = run(
      policy([
        rule('add-label', {
          patchesJson6902:
            '- op: add\n  path: /metadata/labels/team\n  value: "{{ request.object.metadata.name }}"',
        }),
      ]),
    );
    assert.deepEqual(
      r.rules.map((x) => [x.name, x.status, x.message]),
      [['add-label', 'pass', 'mutated Pod/web in namespace default']],
    );
    assert.deepEqual(r.patchedResource.metadata?.labels, { app: 'web', team: 'web' });
    assert.deepEqual(r.resource.metadata?.labels, { app: 'web' }, 'input untouched');
  });

  it('a patch that changes nothing → skip "no patches applied"', () => {
    const r = run(
      policy([rule('noop', { patchesJson6902: '- op: remove\n  path: /metadata/annotations/x' })]),
    );
    assert.deepEqual(
      r.rules.map((x) => [x.status, x.message]),
      [['skip', 'no patches applied']],
    );
    assert.deepEqual(r.patchedResource, pod());
  });

  it('each rule sees the previous rule output, and request.object is refreshed', () => {
    const r = run(
      policy([
        rule('first', { patchesJson6902: '- op: add\n  path: /metadata/labels/a\n  value: one' }),
        rule('second', {
          patchesJson6902:
            '- op: add\n  path: /metadata/labels/b\n  value: "{{ request.object.metadata.labels.a }}"',
        }),
      ]),
    );
    assert.deepEqual(r.patchedResource.metadata?.labels, { app: 'web', a: 'one', b: 'one' });
  });

  const errors: { name: string; mutate: Record<string, unknown>; want: RegExp }[] = [
    {
      name: 'patch that does not apply',
      mutate: { patchesJson6902: '- op: replace\n  path: /spec/nothing/here\n  value: 1' },
      want: /^failed to patch resource: .*\/spec\/nothing\/here/,
    },
    {
      name: 'JSON patch that is not a list',
      mutate: { patchesJson6902: 'op: add\npath: /a\nvalue: 1' },
      want: /^failed to patch resource: failed to decode patches: expected a list/,
    },
    {
      name: 'variables in a JSON patch path',
      mutate: {
        patchesJson6902: '- op: add\n  path: "/metadata/labels/{{ request.object.kind }}"\n  value: x',
      },
      want: /^invalid patchesJson6902: rule "r" should not have variables in patchesJSON6902 path section/,
    },
    {
      name: 'unresolvable variable',
      mutate: {
        patchesJson6902: '- op: add\n  path: /metadata/labels/x\n  value: "{{ request.object.nope }}"',
      },
      want: /^variable substitution failed: failed to resolve request.object.nope at path \/mutate\/patchesJson6902/,
    },
    { name: 'empty mutate block', mutate: {}, want: /^empty mutate rule$/ },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => {
      const r = run(policy([rule('r', c.mutate)]));
      assert.equal(r.rules[0]?.status, 'error');
      assert.equal(r.rules[0]?.name, 'r');
      assert.match(r.rules[0]?.message ?? '', c.want);
      // Kyverno's error response carries an empty object, which the next rules and policies get.
      assert.equal(r.patchedResource, EMPTIED_RESOURCE, 'an erroring rule leaves the empty object');
    });
  }
});

describe('mutate rule: foreach', () => {
  it('patches every element with element/elementIndex (JSON patch, Ascending)', () => {
    const r = run(
      policy([
        rule('tag', {
          foreach: [
            {
              list: 'request.object.spec.containers',
              patchesJson6902:
                '- op: add\n  path: /spec/containers/{{ elementIndex }}/env\n  value: [{name: IDX, value: "{{ elementIndex }}-{{ element.name }}"}]',
            },
          ],
        }),
      ]),
    );
    assert.equal(r.rules[0]?.status, 'pass', r.rules[0]?.message);
    const containers = (r.patchedResource.spec as { containers: { env: unknown }[] }).containers;
    assert.deepEqual(
      containers.map((c) => c.env),
      [[{ name: 'IDX', value: '0-nginx' }], [{ name: 'IDX', value: '1-sidecar' }]],
    );
  });

  it('order Descending visits the last element first (removal by index stays valid)', () => {
    const r = run(
      policy([
        rule('drop-all', {
          foreach: [
            {
              list: 'request.object.spec.containers',
              order: 'Descending',
              patchesJson6902: '- op: remove\n  path: /spec/containers/{{ elementIndex }}',
            },
          ],
        }),
      ]),
    );
    assert.deepEqual((r.patchedResource.spec as { containers: unknown[] }).containers, []);
  });

  it('per-element preconditions and context', () => {
    const r = run(
      policy([
        rule('only-nginx', {
          foreach: [
            {
              list: 'request.object.spec.containers',
              context: [{ name: 'suffix', variable: { value: '-patched' } }],
              preconditions: { all: [{ key: '{{ element.name }}', operator: 'Equals', value: 'nginx' }] },
              patchesJson6902:
                '- op: replace\n  path: /spec/containers/{{ elementIndex }}/image\n  value: "{{ element.image }}{{ suffix }}"',
            },
          ],
        }),
      ]),
    );
    const containers = (r.patchedResource.spec as { containers: { image: string }[] }).containers;
    assert.deepEqual(
      containers.map((c) => c.image),
      ['nginx:1.25-patched', 'busybox'],
    );
  });

  it('nested foreach reaches the outer element as element0 / elementIndex0', () => {
    const r = run(
      policy([
        rule('nested', {
          foreach: [
            {
              list: 'request.object.spec.containers',
              foreach: [
                {
                  list: "split(element0.image, ':')",
                  patchesJson6902:
                    '- op: add\n  path: /metadata/labels/c{{ elementIndex0 }}-{{ elementIndex1 }}\n  value: "{{ element1 }}"',
                },
              ],
            },
          ],
        }),
      ]),
    );
    assert.equal(r.rules[0]?.status, 'pass', r.rules[0]?.message);
    assert.deepEqual(r.patchedResource.metadata?.labels, {
      app: 'web',
      'c0-0': 'nginx',
      'c0-1': '1.25',
      'c1-0': 'busybox',
    });
  });

  it('no element patched → skip', () => {
    const r = run(
      policy([
        rule('none', {
          foreach: [
            {
              list: 'request.object.spec.containers',
              preconditions: { all: [{ key: '{{ element.name }}', operator: 'Equals', value: 'nope' }] },
              patchesJson6902: '- op: add\n  path: /metadata/labels/x\n  value: y',
            },
          ],
        }),
      ]),
    );
    assert.deepEqual(
      r.rules.map((x) => [x.status, x.message]),
      [['skip', '0 elements processed']],
    );
  });

  const errors: { name: string; mutate: Record<string, unknown>; want: RegExp }[] = [
    {
      name: 'foreach is not a list',
      mutate: { foreach: { list: 'request.object.spec.containers' } },
      want: /^invalid foreach: foreach must be a list/,
    },
    {
      name: 'list query fails',
      mutate: { foreach: [{ list: 'request.object.spec.nope', patchesJson6902: '[]' }] },
      want: /^failed to evaluate list request.object.spec.nope/,
    },
    {
      name: 'element patch does not apply',
      mutate: {
        foreach: [
          {
            list: 'request.object.spec.containers',
            patchesJson6902: '- op: replace\n  path: /spec/missing/x\n  value: 1',
          },
        ],
      },
      want: /^failed to mutate elements: failed to patch resource: /,
    },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => {
      const r = run(policy([rule('r', c.mutate)]));
      assert.equal(r.rules[0]?.status, 'error');
      assert.match(r.rules[0]?.message ?? '', c.want);
    });
  }
});

describe('mutate rule: patchStrategicMerge', () => {
  it('merges a label map (docs: add-labels)', () => {
    const r = run(
      policy([rule('add-labels', { patchStrategicMerge: { metadata: { labels: { foo: 'bar' } } } })]),
    );
    assert.equal(r.rules[0]?.status, 'pass', r.rules[0]?.message);
    assert.deepEqual(r.patchedResource.metadata?.labels, { app: 'web', foo: 'bar' });
  });
  it('substitutes variables first', () => {
    const r = run(
      policy([
        rule('copy-name', {
          patchStrategicMerge: { metadata: { annotations: { owner: '{{ request.object.metadata.name }}' } } },
        }),
      ]),
    );
    assert.deepEqual(r.patchedResource.metadata?.annotations, { owner: 'web' });
  });
});

describe('mutate existing (targets)', () => {
  const cm = (name: string, ns: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns },
    data: { k: 'v' },
  });
  const objects = [cm('settings', 'default'), cm('settings-2', 'default'), cm('settings', 'other')];
  const cluster: ClusterReader = {
    get: (_a, k, ns, n) =>
      objects.find((o) => o.kind === k && o.metadata?.namespace === ns && o.metadata?.name === n),
    list: (_a, k, ns) =>
      objects.filter((o) => o.kind === k && (ns === undefined || o.metadata?.namespace === ns)),
  };
  const targetRule = (extra: Record<string, unknown> = {}) =>
    rule('touch', {
      targets: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'settings*',
          namespace: '{{ request.object.metadata.namespace }}',
          ...extra,
        },
      ],
      patchStrategicMerge: { metadata: { labels: { trigger: '{{ request.object.metadata.name }}' } } },
    });

  it('patches matching targets with trigger variables; the trigger is unchanged', () => {
    const r = run(policy([targetRule()]), pod(), cluster);
    assert.equal(r.rules[0]?.status, 'pass', r.rules[0]?.message);
    assert.deepEqual(
      r.rules[0]?.patchedTargets?.map((t) => [t.metadata?.namespace, t.metadata?.name, t.metadata?.labels]),
      [
        ['default', 'settings', { trigger: 'web' }],
        ['default', 'settings-2', { trigger: 'web' }],
      ],
    );
    assert.deepEqual(r.patchedResource, pod());
  });

  it("Kyverno's responses, one per target, in targetResults (skips and passes in target order)", () => {
    const r = run(
      policy([
        targetRule({
          preconditions: {
            all: [{ key: '{{ target.metadata.name }}', operator: 'Equals', value: 'settings-2' }],
          },
        }),
      ]),
      pod(),
      cluster,
    );
    assert.deepEqual(
      r.rules[0]?.targetResults?.map((t) => t.status),
      ['skip', 'pass'],
    );
    assert.equal(
      r.rules[0]?.targetResults?.[1]?.message,
      'mutated ConfigMap/settings-2 in namespace default',
    );
    const both = run(policy([targetRule()]), pod(), cluster).rules[0];
    assert.deepEqual(
      both?.targetResults?.map((t) => t.message),
      [
        'mutated ConfigMap/settings in namespace default',
        'mutated ConfigMap/settings-2 in namespace default',
      ],
    );
  });

  it('target variables and preconditions', () => {
    const r = run(
      policy([
        targetRule({
          preconditions: {
            all: [{ key: '{{ target.metadata.name }}', operator: 'Equals', value: 'settings-2' }],
          },
        }),
      ]),
      pod(),
      cluster,
    );
    assert.deepEqual(
      r.rules[0]?.patchedTargets?.map((t) => t.metadata?.name),
      ['settings-2'],
    );
  });

  it('no cluster or no target → no result', () => {
    assert.equal(run(policy([targetRule()])).rules.length, 0);
    const none: ClusterReader = { get: () => undefined, list: () => [] };
    assert.equal(run(policy([targetRule()]), pod(), none).rules.length, 0);
  });

  it('unresolvable target variable → error', () => {
    const bad = rule('touch', {
      targets: [{ apiVersion: 'v1', kind: 'ConfigMap', name: '{{ request.object.nope }}' }],
      patchStrategicMerge: { metadata: { labels: { a: 'b' } } },
    });
    const r = run(policy([bad]), pod(), cluster);
    assert.equal(r.rules[0]?.status, 'error');
    assert.match(
      r.rules[0]?.message ?? '',
      /^failed to load targets: failed to substitute variables in target\[0\]\.Name/,
    );
  });

  it('a load error is one response before the targets found', () => {
    const bad = rule('touch', {
      targets: [
        { apiVersion: 'v1', kind: 'ConfigMap', name: '{{ request.object.nope }}' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'other' },
      ],
      patchStrategicMerge: { metadata: { labels: { a: 'b' } } },
    });
    const r = run(policy([bad]), pod(), cluster);
    assert.equal(r.rules[0]?.status, 'error');
    assert.deepEqual(
      r.rules[0]?.targetResults?.map((t) => t.status),
      ['error', 'pass'],
    );
  });
});
