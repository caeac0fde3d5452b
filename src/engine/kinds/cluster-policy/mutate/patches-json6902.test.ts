import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch, JsonPatchError, parseJsonPatch, parsePointer } from './patches-json6902.js';

describe('parseJsonPatch', () => {
  it('reads the YAML form used in policies', () => {
    const ops = parseJsonPatch(`- op: add
  path: "/spec/template/spec/containers/0/env/-"
  value:
    name: FOO
    value: bar
- op: remove
  path: /metadata/labels/x`);
    assert.deepEqual(ops, [
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'FOO', value: 'bar' } },
      { op: 'remove', path: '/metadata/labels/x' },
    ]);
  });
  it('reads the JSON form', () => {
    assert.deepEqual(parseJsonPatch('[{"op":"replace","path":"/a","value":1}]'), [
      { op: 'replace', path: '/a', value: 1 },
    ]);
  });
  it('rejects a patch that is not a list', () => {
    assert.throws(() => parseJsonPatch('op: add\npath: /a\nvalue: 1'), JsonPatchError);
  });
  it('rejects an operation without a path', () => {
    assert.throws(() => parseJsonPatch('- op: add\n  value: 1'), /has no path/);
  });
});

describe('parsePointer', () => {
  it('unescapes ~1 and ~0', () => {
    assert.deepEqual(parsePointer('/metadata/annotations/a~1b~0c'), ['metadata', 'annotations', 'a/b~c']);
  });
});

describe('applyJsonPatch (Kyverno lenient options)', () => {
  const pod = () => ({
    metadata: { name: 'p', labels: { app: 'a' } },
    spec: { containers: [{ name: 'c1' }, { name: 'c2' }] },
  });
  const cases: { name: string; patch: string; want: unknown }[] = [
    {
      name: 'add creates missing parents (EnsurePathExistsOnAdd)',
      patch: '- op: add\n  path: /metadata/annotations/x~1y\n  value: "1"',
      want: { ...pod(), metadata: { name: 'p', labels: { app: 'a' }, annotations: { 'x/y': '1' } } },
    },
    {
      name: 'add creates a missing list when the next token is an index or -',
      patch: '- op: add\n  path: /spec/containers/0/env/-\n  value: {name: A}',
      want: {
        metadata: pod().metadata,
        spec: { containers: [{ name: 'c1', env: [{ name: 'A' }] }, { name: 'c2' }] },
      },
    },
    {
      name: '/- appends',
      patch: '- op: add\n  path: /spec/containers/-\n  value: {name: c3}',
      want: {
        metadata: pod().metadata,
        spec: { containers: [{ name: 'c1' }, { name: 'c2' }, { name: 'c3' }] },
      },
    },
    {
      name: 'negative index on replace counts from the end',
      patch: '- op: replace\n  path: /spec/containers/-1/name\n  value: last',
      want: { metadata: pod().metadata, spec: { containers: [{ name: 'c1' }, { name: 'last' }] } },
    },
    {
      name: 'remove of a missing path is tolerated',
      patch: '- op: remove\n  path: /metadata/annotations/nothing',
      want: pod(),
    },
    {
      name: 'remove of a list element',
      patch: '- op: remove\n  path: /spec/containers/0',
      want: { metadata: pod().metadata, spec: { containers: [{ name: 'c2' }] } },
    },
    {
      name: 'move and copy',
      patch:
        '- op: copy\n  from: /metadata/labels/app\n  path: /metadata/labels/copy\n- op: move\n  from: /metadata/name\n  path: /metadata/generateName',
      want: { metadata: { labels: { app: 'a', copy: 'a' }, generateName: 'p' }, spec: pod().spec },
    },
    {
      name: 'passing test op',
      patch: '- op: test\n  path: /metadata/name\n  value: p',
      want: pod(),
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(applyJsonPatch(pod(), parseJsonPatch(c.patch)), c.want));
  }
  it('does not modify its input', () => {
    const input = pod();
    applyJsonPatch(input, parseJsonPatch('- op: remove\n  path: /metadata'));
    assert.deepEqual(input, pod());
  });

  const errors: { name: string; patch: string; want: RegExp }[] = [
    {
      name: 'replace of a missing key',
      patch: '- op: replace\n  path: /nope/x\n  value: 1',
      want: /missing key/,
    },
    {
      name: 'failing test op',
      patch: '- op: test\n  path: /metadata/name\n  value: q',
      want: /testing value/,
    },
    { name: 'unknown op', patch: '- op: frobnicate\n  path: /a', want: /unexpected kind: frobnicate/ },
    {
      name: 'index out of range',
      patch: '- op: add\n  path: /spec/containers/7\n  value: {}',
      want: /invalid index/,
    },
    {
      name: 'path without leading /',
      patch: '- op: add\n  path: metadata\n  value: {}',
      want: /must start with/,
    },
  ];
  for (const c of errors) {
    it(`errors: ${c.name}`, () =>
      assert.throws(() => applyJsonPatch(pod(), parseJsonPatch(c.patch)), c.want));
  }
});

describe('applyJsonPatch: EnsurePathExistsOnAdd with negative indices (add-node-affinity sample)', () => {
  it('creates lists and inserts at -1', () => {
    const doc = { spec: { template: { spec: { containers: [] } } } };
    const ops =
      parseJsonPatch(`- path: "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/-1/matchExpressions/-1"
  op: add
  value: {key: zone_weight, operator: Lt, values: ["400"]}`);
    assert.deepEqual(applyJsonPatch(doc, ops), {
      spec: {
        template: {
          spec: {
            containers: [],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchExpressions: [{ key: 'zone_weight', operator: 'Lt', values: ['400'] }] },
                  ],
                },
              },
            },
          },
        },
      },
    });
  });
  it('descends into an existing element at -1', () => {
    const doc = { l: [{ a: 1 }, { b: 2 }] };
    assert.deepEqual(applyJsonPatch(doc, parseJsonPatch('- op: add\n  path: /l/-1/c\n  value: 3')), {
      l: [{ a: 1 }, { b: 2, c: 3 }],
    });
  });
  it('pads a new list up to a positive index', () => {
    assert.deepEqual(applyJsonPatch({}, parseJsonPatch('- op: add\n  path: /l/2/x\n  value: 1')), {
      l: [null, null, { x: 1 }],
    });
  });
});
