import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RequestBudget } from '../limits.js';
import { CelLimitError, compileCel } from './compile.js';
import { type CelActivation, type SharedResults, toCelActivation } from './values.js';

const VARS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'];
const compile = (expression: string) => compileCel(expression, { variables: VARS, kind: 'validating' });
const ALL_CONTAINERS =
  'object.spec.containers + object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([])';
const pod = { spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'i' }] } };

function activationWith(shared: SharedResults): CelActivation {
  const base = toCelActivation({ object: pod, oldObject: null, request: {}, namespaceObject: null });
  return { celActivation: true, values: { ...base.values, variables: {}, exceptions: {} }, shared };
}

describe('results shared by the expressions that read only the request data', () => {
  test('an expression over object, oldObject, request and namespaceObject has a shared key', () => {
    assert.notEqual(compile(ALL_CONTAINERS).sharedKey, undefined);
    assert.notEqual(compile("['a', 'b']").sharedKey, undefined);
    assert.notEqual(compile('object.spec.containers.all(c, c.name != "")').sharedKey, undefined);
    assert.equal(compile(ALL_CONTAINERS).sharedKey, compile(ALL_CONTAINERS).sharedKey);
  });

  test('variables, exceptions and I/O namespaces make an expression unshared', () => {
    assert.equal(compile('variables.x').sharedKey, undefined);
    assert.equal(compile('exceptions.allowedValues').sharedKey, undefined);
    assert.equal(compile('time.now() > timestamp("2020-01-01T00:00:00Z")').sharedKey, undefined);
    assert.equal(compile('resource.Get("v1", "pods", "ns", "n").size()').sharedKey, undefined);
  });

  test('a second program of the same expression reuses the result and is charged the same cost', () => {
    const shared: SharedResults = new Map();
    const activation = activationWith(shared);
    const first = new RequestBudget();
    const one = compile(ALL_CONTAINERS).evaluate(activation, { ports: {}, budget: first });
    assert.deepEqual(one, [{ name: 'a' }, { name: 'i' }]);
    assert.equal(shared.size, 1);
    const stored = [...shared.values()][0];
    assert.ok(stored !== undefined && stored.steps > 0);
    // A poisoned entry proves the second evaluation takes the stored value rather than computing it.
    shared.set([...shared.keys()][0] ?? '', { value: ['reused'], steps: stored.steps });
    const second = new RequestBudget();
    const two = compile(ALL_CONTAINERS).evaluate(activation, { ports: {}, budget: second });
    assert.deepEqual(two, ['reused']);
    assert.equal(second.celLeft(), first.celLeft());
  });

  test('a stored result that costs more than the evaluation may spend is computed again, and fails', () => {
    const shared: SharedResults = new Map();
    const activation = activationWith(shared);
    compile(ALL_CONTAINERS).evaluate(activation, { ports: {} });
    const stored = [...shared.values()][0];
    assert.ok(stored !== undefined);
    const limits = { maxCelCost: stored.steps - 1 };
    assert.throws(
      () => compile(ALL_CONTAINERS).evaluate(activation, { ports: {}, limits }),
      (e: unknown) => e instanceof CelLimitError && e.limit === 'maxCelCost',
    );
  });

  test('errors are not stored: each evaluation reports its own', () => {
    const shared: SharedResults = new Map();
    const activation = activationWith(shared);
    assert.throws(() => compile('object.spec.missing').evaluate(activation, { ports: {} }), /no such key/);
    assert.equal(shared.size, 0);
  });

  test('spellings of one tree share a key; different trees (or literal types) do not', () => {
    const same = [
      ALL_CONTAINERS,
      `(${ALL_CONTAINERS})`,
      'object.spec.containers +\n  (object.spec.?initContainers.orValue([])) +  object.spec.?ephemeralContainers.orValue([])',
      '((object.spec.containers) + object.spec.?initContainers.orValue([])) + object.spec.?ephemeralContainers.orValue([])',
    ];
    const keys = new Set(same.map((e) => compile(e).sharedKey));
    assert.equal(keys.size, 1);
    const different = [
      ALL_CONTAINERS,
      'object.spec.containers + (object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([]))',
      'object.spec.containers + object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([1])',
      '[1]',
      '[1.0]',
      '[1u]',
      "['1']",
      "[b'1']",
      '[true]',
      '[null]',
      "{'a': 1}",
      "{'a': [1]}",
      '[-1]',
      '[-1.0]',
      'object.x',
      'object.?x',
      'object["x"]',
      'has(object.x)',
      'object.spec.all(x, x == 1)',
      'object.spec.all(y, y == 1)',
      'object.spec.exists(x, x == 1)',
    ];
    const distinct = new Set(different.map((e) => compile(e).sharedKey));
    assert.equal(distinct.size, different.length);
  });

  test('a result shared across spellings equals each spelling computed on its own, at the same cost', () => {
    const spellings = [
      ALL_CONTAINERS,
      `(${ALL_CONTAINERS})`,
      'object.spec.containers +  (object.spec.?initContainers.orValue([])) +  (object.spec.?ephemeralContainers.orValue([]))',
      "[ 'a',\n 'b' ]",
      "['a', 'b']",
      'object.spec.?securityContext.?runAsUser.orValue(1) > 0',
      '(object.spec.?securityContext.?runAsUser.orValue(1)) > (0)',
    ];
    const pods = [
      pod,
      { spec: { containers: [] } },
      {
        spec: {
          containers: [{ name: 'a' }],
          ephemeralContainers: [{ name: 'e' }],
          securityContext: { runAsUser: 0 },
        },
      },
    ];
    for (const object of pods) {
      const base = toCelActivation({ object, oldObject: null, request: {}, namespaceObject: null });
      const shared: SharedResults = new Map();
      const withShared: CelActivation = {
        celActivation: true,
        values: { ...base.values, variables: {}, exceptions: {} },
        shared,
      };
      for (const e of spellings) {
        const alone = new RequestBudget();
        const expected = compile(e).evaluate(
          { celActivation: true, values: withShared.values, shared: new Map() },
          { ports: {}, budget: alone },
        );
        const reused = new RequestBudget();
        assert.deepEqual(compile(e).evaluate(withShared, { ports: {}, budget: reused }), expected, e);
        assert.equal(reused.celLeft(), alone.celLeft(), e);
      }
      // Three trees among the seven spellings.
      assert.equal(shared.size, 3);
    }
  });
});
