import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createAdmissionPatch } from './admission-patch.js';
import { applyJsonPatch } from './patches-json6902.js';

describe('createAdmissionPatch', () => {
  const cases: { name: string; from: unknown; to: unknown; want: unknown[] }[] = [
    { name: 'equal objects give no patch', from: { a: 1 }, to: { a: 1 }, want: [] },
    {
      name: 'added label',
      from: { metadata: { name: 'x' } },
      to: { metadata: { name: 'x', labels: { app: 'y' } } },
      want: [{ op: 'add', path: '/metadata/labels', value: { app: 'y' } }],
    },
    {
      name: 'removed key and replaced scalar',
      from: { a: 1, b: 2 },
      to: { b: 3 },
      want: [
        { op: 'remove', path: '/a' },
        { op: 'replace', path: '/b', value: 3 },
      ],
    },
    {
      name: 'keys with / and ~ are escaped',
      from: { annotations: {} },
      to: { annotations: { 'a/b~c': 'v' } },
      want: [{ op: 'add', path: '/annotations/a~1b~0c', value: 'v' }],
    },
    {
      name: 'list shrinks from the end',
      from: { l: [1, 2, 3] },
      to: { l: [1] },
      want: [
        { op: 'remove', path: '/l/2' },
        { op: 'remove', path: '/l/1' },
      ],
    },
    {
      name: 'list grows',
      from: { l: [{ name: 'a' }] },
      to: { l: [{ name: 'a', image: 'i' }, { name: 'b' }] },
      want: [
        { op: 'add', path: '/l/0/image', value: 'i' },
        { op: 'add', path: '/l/1', value: { name: 'b' } },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(createAdmissionPatch(c.from, c.to), c.want));
  }

  it('applying the diff to the original gives the mutated object (property)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, json, (from, to) => {
        const patch = createAdmissionPatch(from, to);
        assert.deepEqual(applyJsonPatch(from, patch), to);
      }),
      { numRuns: 1000 },
    );
  });

  it('property holds for objects that share most structure', () => {
    const obj = fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
    fc.assert(
      fc.property(obj, obj, (base, extra) => {
        const to = { ...base, ...extra };
        assert.deepEqual(applyJsonPatch(base, createAdmissionPatch(base, to)), to);
      }),
      { numRuns: 300 },
    );
  });
});
