import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// cel-go optional types (cel-spec "optional" proposal, cel-go README) and the Kubernetes CEL docs.
describe('optional types', () => {
  const obj = { spec: { replicas: 2, items: [1, 2, 3], labels: { app: 'web' }, empty: '' } };
  const cases: [string, unknown][] = [
    ['optional.of(1).value()', 1],
    ['optional.of(1).hasValue()', true],
    ['optional.none().hasValue()', false],
    ['optional.none().orValue(3)', 3],
    ['optional.of("a").orValue("b")', 'a'],
    ['optional.none().or(optional.of(2)).value()', 2],
    ['optional.of(1).or(optional.of(2)).value()', 1],
    ['optional.ofNonZeroValue(0).hasValue()', false],
    ['optional.ofNonZeroValue("").hasValue()', false],
    ['optional.ofNonZeroValue([]).hasValue()', false],
    ['optional.ofNonZeroValue({}).hasValue()', false],
    ['optional.ofNonZeroValue(0u).hasValue()', false],
    ['optional.ofNonZeroValue(false).hasValue()', false],
    ['optional.ofNonZeroValue(null).hasValue()', false],
    ['optional.ofNonZeroValue([1]).value()', [1]],
    ['optional.ofNonZeroValue(object.spec.empty).orValue("default")', 'default'],
    ['object.?spec.?replicas.orValue(1)', 2],
    ['object.?spec.?missing.orValue(1)', 1],
    ['object.?missing.?deeper.orValue("x")', 'x'],
    ['object.spec.items[?1].value()', 2],
    ['object.spec.items[?10].orValue(0)', 0],
    ['object.spec.labels[?"app"].value()', 'web'],
    ['object.spec.labels[?"team"].hasValue()', false],
    ['object.?spec.labels.app.orValue("")', 'web'],
    ['optional.of(2).optMap(x, x * 2).value()', 4],
    ['optional.none().optMap(x, x * 2).hasValue()', false],
    ['object.?spec.?labels.optMap(l, l.app).value()', 'web'],
    ['object.?spec.?nope.optMap(l, l.app).orValue("none")', 'none'],
    ['optional.of(2).optFlatMap(x, optional.of(x * 3)).value()', 6],
    ['optional.of(2).optFlatMap(x, optional.none()).hasValue()', false],
    ['object.?spec.?labels.optFlatMap(l, l.?app).value()', 'web'],
    ['object.?spec.?labels.optFlatMap(l, l.?team).hasValue()', false],
    ['object.spec.items.first().orValue(0)', 1],
    // Kyverno keeps pre-cel-go-0.28 `x.orValue(y)` on non-optional values (returns x).
    ['object.spec.items.orValue([]).size()', 3],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr, obj), want));

  const errors: [string, RegExp][] = [['optional.none().value()', /not present/]];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));

  test('optMap over a non-optional receiver does not compile', () =>
    assert.throws(() => compileCel('(1).optMap(x, x)', { variables: [] }), /must be optional/));
});

describe('cel.bind', () => {
  const cases: [string, unknown][] = [
    ['cel.bind(x, 2, x * x)', 4],
    ['cel.bind(a, 1, cel.bind(b, a + 1, a + b))', 3],
    ["cel.bind(valid, ['a', 'b'], object.names.all(n, n in valid))", true],
    ['cel.bind(x, object.names, x.size() + x.size())', 4],
  ];
  for (const [expr, want] of cases)
    test(expr, () => assert.deepEqual(run(expr, { names: ['a', 'b'] }), want));
});
