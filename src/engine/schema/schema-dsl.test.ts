import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { SchemaNode } from './schema-dsl.js';
import {
  any,
  array,
  bool,
  canonicalizeKeys,
  enumOf,
  lazy,
  map,
  number,
  object,
  oneOf,
  refine,
  req,
  string,
  validateSchema,
} from './schema-dsl.js';

const codes = (node: SchemaNode, value: unknown) =>
  validateSchema(node, value).map((d) => `${d.code} ${JSON.stringify(d.path)}`);

describe('schema DSL', () => {
  const rule = object({
    name: req(string({ maxLength: 5 })),
    count: number({ integer: true, min: 0, max: 3 }),
  });

  const cases: { name: string; node: SchemaNode; value: unknown; want: string[] }[] = [
    { name: 'valid object', node: rule, value: { name: 'a', count: 1 }, want: [] },
    {
      name: 'unknown field',
      node: rule,
      value: { name: 'a', cuont: 1 },
      want: ['policy/unknown-field ["cuont"]'],
    },
    { name: 'missing required', node: rule, value: { count: 1 }, want: ['policy/missing-field ["name"]'] },
    {
      name: 'null counts as missing',
      node: rule,
      value: { name: null },
      want: ['policy/missing-field ["name"]'],
    },
    { name: 'wrong type', node: rule, value: { name: 3 }, want: ['policy/wrong-type ["name"]'] },
    { name: 'too long', node: rule, value: { name: 'abcdef' }, want: ['policy/invalid-value ["name"]'] },
    {
      name: 'not integer',
      node: rule,
      value: { name: 'a', count: 1.5 },
      want: ['policy/wrong-type ["count"]'],
    },
    {
      name: 'out of range',
      node: rule,
      value: { name: 'a', count: 9 },
      want: ['policy/invalid-value ["count"]'],
    },
    { name: 'array items', node: array(bool()), value: [true, 'x'], want: ['policy/wrong-type [1]'] },
    { name: 'map values', node: map(string()), value: { a: 'x', b: 1 }, want: ['policy/wrong-type ["b"]'] },
    { name: 'enum', node: enumOf(['All', 'One']), value: 'all', want: ['policy/invalid-value []'] },
    {
      name: 'enum case-insensitive',
      node: enumOf(['All'], { caseInsensitive: true }),
      value: 'all',
      want: [],
    },
    { name: 'any accepts all', node: any(), value: { deep: [1, null] }, want: [] },
    {
      name: 'oneOf picks by type (list)',
      node: oneOf([object({ a: bool() }), array(bool())]),
      value: [1],
      want: ['policy/wrong-type [0]'],
    },
    {
      name: 'oneOf picks by type (object)',
      node: oneOf([object({ a: bool() }), array(bool())]),
      value: { a: 1 },
      want: ['policy/wrong-type ["a"]'],
    },
    {
      name: 'oneOf no option',
      node: oneOf([object({}), array(bool())]),
      value: 'x',
      want: ['policy/wrong-type []'],
    },
    { name: 'allow unknown', node: object({}, { unknown: 'allow' }), value: { x: 1 }, want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(codes(c.node, c.value), c.want));

  test('unknown field hint by edit distance', () => {
    const [d] = validateSchema(object({ validationFailureAction: string() }), {
      validationFailureActon: 'x',
    });
    assert.equal(d?.hint, 'did you mean `validationFailureAction`?');
  });

  test('no hint when nothing is close', () => {
    const [d] = validateSchema(object({ background: bool() }), { zzz: true });
    assert.equal(d?.hint, undefined);
  });

  test('lazy nodes allow recursion', () => {
    const node: SchemaNode = object({ name: string(), children: lazy(() => array(node)) });
    assert.deepEqual(codes(node, { children: [{ children: [{ nmae: 'x' }] }] }), [
      'policy/unknown-field ["children",0,"children",0,"nmae"]',
    ]);
  });

  test('refinements run only on structurally valid values', () => {
    const node = refine(object({ a: bool() }), (_v, p) => [diagnostic('policy/invalid-value', 'refined', p)]);
    assert.deepEqual(codes(node, { a: true }), ['policy/invalid-value []']);
    assert.deepEqual(codes(node, { a: 1 }), ['policy/wrong-type ["a"]']);
  });

  test('case-insensitive keys warn and canonicalize', () => {
    const node = object(
      { isMutatingPolicy: bool(), items: array(object({ name: string() }, { keyCase: 'insensitive' })) },
      { keyCase: 'insensitive' },
    );
    const value = { isMUtatingPolicy: true, items: [{ NAME: 'a' }] };
    const diags = validateSchema(node, value);
    assert.deepEqual(
      diags.map((d) => [d.severity, d.code]),
      [
        ['warning', 'policy/unknown-field'],
        ['warning', 'policy/unknown-field'],
      ],
    );
    assert.deepEqual(canonicalizeKeys(node, value), { isMutatingPolicy: true, items: [{ name: 'a' }] });
    assert.deepEqual(value, { isMUtatingPolicy: true, items: [{ NAME: 'a' }] }, 'input is not modified');
  });

  test('exact-case objects reject a differently cased key', () => {
    assert.deepEqual(codes(object({ name: string() }), { Name: 'a' }), ['policy/unknown-field ["Name"]']);
  });
});
