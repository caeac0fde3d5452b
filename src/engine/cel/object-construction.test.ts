// Typed object construction in mutating CEL (Kubernetes MutatingAdmissionPolicy docs examples).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCel } from './compile.js';
import {
  constructedTypeName,
  escapeJsonPointerKey,
  OBJECT_CONSTRUCTOR,
  rewriteObjectConstruction,
} from './object-construction.js';

const run = (expression: string, object: unknown = {}): unknown =>
  compileCel(expression, { variables: ['object'], kind: 'mutating' }).evaluate({ object }, { ports: {} });

describe('rewriteObjectConstruction', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['Object{}', `${OBJECT_CONSTRUCTOR}("Object", {}, {})`],
    ['JSONPatch{op: "add"}', `${OBJECT_CONSTRUCTOR}("JSONPatch", {"op": ( "add")}, {})`],
    [
      'Object{spec: Object.spec{x: 1}}',
      `${OBJECT_CONSTRUCTOR}("Object", {"spec": ( ${OBJECT_CONSTRUCTOR}("Object.spec", {"x": ( 1)}, {}))}, {})`,
    ],
    ['Object{?a: optional.none()}', `${OBJECT_CONSTRUCTOR}("Object", {}, {"a": ( optional.none())})`],
    // Map literals, `in`, strings and other identifiers are left alone.
    ['"a" in {"a": 1}', '"a" in {"a": 1}'],
    ['{"Object{": 1}', '{"Object{": 1}'],
    ['Foo{a: 1}', 'Foo{a: 1}'],
    ['object.spec', 'object.spec'],
  ];
  for (const [input, want] of cases) test(input, () => assert.equal(rewriteObjectConstruction(input), want));
});

describe('object construction in the mutating environment', () => {
  test('the MAP docs example: set a label through nested Object types', () => {
    const out = run('Object{metadata: Object.metadata{labels: {"environment": "test"}}}');
    assert.deepEqual(out, { metadata: { labels: { environment: 'test' } } });
  });
  test('containers built per element with map()', () => {
    const out = run(
      'Object{spec: Object.spec{containers: object.spec.containers.map(c, Object.spec.containers{name: c.name, imagePullPolicy: "Always"})}}',
      { spec: { containers: [{ name: 'a' }, { name: 'b' }] } },
    );
    assert.deepEqual(out, {
      spec: {
        containers: [
          { name: 'a', imagePullPolicy: 'Always' },
          { name: 'b', imagePullPolicy: 'Always' },
        ],
      },
    });
  });
  test('optional fields are set only when they hold a value', () => {
    assert.deepEqual(run('Object{?a: optional.of(1), ?b: optional.none()}'), { a: 1 });
  });
  test('JSONPatch values with jsonpatch.escapeKey', () => {
    const out = run(
      '[JSONPatch{op: "add", path: "/metadata/labels/" + jsonpatch.escapeKey("example.com/a~b"), value: "x"}]',
    );
    assert.deepEqual(out, [{ op: 'add', path: '/metadata/labels/example.com~1a~0b', value: 'x' }]);
  });
  test('the constructed value keeps its type name', () => {
    const raw = compileCel('Object.spec{a: 1}', { variables: [], kind: 'mutating' }).evaluateRaw(
      {},
      { ports: {} },
    );
    assert.equal(constructedTypeName(raw), 'Object.spec');
  });
  test('validating expressions cannot construct objects', () => {
    assert.throws(() => compileCel('Object{}', { variables: [], kind: 'validating' }));
  });
  test('has() accepts any operand, as in cel-go', () => {
    const p = compileCel('has(object.a[0].b) && !has(object.a[0].c)', { variables: ['object'] });
    assert.equal(p.evaluate({ object: { a: [{ b: 1 }] } }, { ports: {} }), true);
  });
});

test('escapeJsonPointerKey', () => {
  assert.equal(escapeJsonPointerKey('a/b~c'), 'a~1b~0c');
});
