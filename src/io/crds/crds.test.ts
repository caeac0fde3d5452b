import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { schemaDsl, storedKindSchema } from '../../engine/index.js';
import { renderCrdFiles } from './build-crd.js';
import { CRD_CATALOG } from './crd-catalog.js';
import { toOpenApi } from './openapi-schema.js';

const { any, array, enumOf, lazy, map, number, object, oneOf, req, string } = schemaDsl;
const CRD_DIR = resolve(import.meta.dirname, '../../../config/crds');

describe('toOpenApi', () => {
  test('objects list their properties and required fields; forbidden extras are not preserved', () => {
    const s = toOpenApi(object({ name: req(string({ nonEmpty: true, maxLength: 63 })), n: number() }));
    assert.deepEqual(s, {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 63 }, n: { type: 'number' } },
      required: ['name'],
    });
  });

  test('an object that allows unknown keys, and any value, preserve unknown fields', () => {
    assert.deepEqual(toOpenApi(any()), { 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(toOpenApi(object({ a: string() }, { unknown: 'allow' })), {
      type: 'object',
      properties: { a: { type: 'string' } },
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  test('maps become additionalProperties, arrays items, integers keep their bounds', () => {
    assert.deepEqual(toOpenApi(map(string())), { type: 'object', additionalProperties: { type: 'string' } });
    assert.deepEqual(toOpenApi(array(number({ integer: true, min: 1, max: 30 }))), {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 30 },
    });
  });

  test('what OpenAPI cannot say becomes looser, never stricter', () => {
    assert.deepEqual(toOpenApi(enumOf(['A', 'B'])), { type: 'string', enum: ['A', 'B'] });
    assert.deepEqual(toOpenApi(enumOf(['A'], { caseInsensitive: true })), { type: 'string' });
    assert.deepEqual(toOpenApi(oneOf([object({}), array(string())])), {
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  test('a recursive shape is typed once, then schemaless', () => {
    const node: schemaDsl.SchemaNode = object({ list: string(), foreach: lazy(() => array(node)) });
    const s = toOpenApi(node);
    const inner = s.properties?.foreach?.items;
    assert.equal(inner?.type, 'object');
    assert.deepEqual(inner?.properties?.foreach, { 'x-kubernetes-preserve-unknown-fields': true });
  });
});

describe('CRD catalog', () => {
  test('every served version has a schema and exactly one version is the storage version', () => {
    for (const entry of CRD_CATALOG) {
      assert.equal(entry.versions.filter((v) => v.storage).length, 1, entry.kind);
      for (const v of entry.versions) {
        assert.ok(
          storedKindSchema(entry.group, v.name, entry.kind),
          `${entry.group}/${v.name} ${entry.kind}`,
        );
      }
    }
  });

  test('policies have a status subresource with their kind of status; exceptions have neither', () => {
    const byName = new Map(renderCrdFiles().map((f) => [f.name, f.text]));
    const cpol = byName.get('kyverno.io_clusterpolicies.yaml') ?? '';
    assert.match(cpol, /subresources:\n\s+status: \{\}/);
    assert.match(cpol, /jsonPath: \.status\.conditions\[\?\(@\.type == "Ready"\)\]\.status/);
    const vpol = byName.get('policies.kyverno.io_validatingpolicies.yaml') ?? '';
    assert.match(vpol, /conditionStatus:/);
    assert.match(vpol, /jsonPath: \.status\.conditionStatus\.ready/);
    const polex = byName.get('kyverno.io_policyexceptions.yaml') ?? '';
    assert.doesNotMatch(polex, /subresources:|status:\n\s+type: object/);
  });

  test('the committed config/crds files are up to date (run `npm run crds` after changing a schema)', () => {
    const files = renderCrdFiles();
    const committed = readdirSync(CRD_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    assert.deepEqual(
      committed,
      files.map((f) => f.name).sort(),
      'config/crds holds other files than the catalog',
    );
    for (const f of files) {
      assert.equal(
        readFileSync(resolve(CRD_DIR, f.name), 'utf8'),
        f.text,
        `config/crds/${f.name} is stale: run npm run crds`,
      );
    }
  });
});
