// Which type schemas an offline run gets for its MutatingPolicies' ApplyConfiguration mutations.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadBuiltinTypeSchemas } from '../engine/index.js';
import type { LoadedPolicies } from './files/policies.js';
import { typeSchemasFor } from './type-schemas.js';

const policies = (...patchTypes: string[]): LoadedPolicies =>
  ({
    mutatingPolicies: [
      { policy: { spec: { mutations: patchTypes.map((patchType) => ({ patchType })) } }, source: {} },
    ],
  }) as unknown as LoadedPolicies;

const crd = (group: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.${group}}
spec:
  group: ${group}
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object}}
`;

describe('typeSchemasFor', () => {
  test('none without an ApplyConfiguration mutation (nothing is loaded)', async () => {
    assert.equal(await typeSchemasFor(policies('JSONPatch')), undefined);
  });
  test('the 1.32 builtins with one', async () => {
    assert.equal(
      await typeSchemasFor(policies('JSONPatch', 'ApplyConfiguration')),
      await loadBuiltinTypeSchemas(),
    );
  });
  test('CRDs of the named file and of every YAML/JSON file beside it, before the builtins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-crds-'));
    writeFileSync(join(dir, 'a.yaml'), crd('a.example.com'));
    writeFileSync(join(dir, 'b.yml'), crd('b.example.com'));
    writeFileSync(join(dir, 'c.txt'), crd('c.example.com'));
    const s = await typeSchemasFor(policies('ApplyConfiguration'), [join(dir, 'a.yaml')]);
    assert.deepEqual(
      ['a.example.com/v1', 'b.example.com/v1', 'c.example.com/v1', 'apps/v1'].map(
        (gv) => s?.gvs[gv] !== undefined,
      ),
      [true, true, false, true],
    );
  });
});
