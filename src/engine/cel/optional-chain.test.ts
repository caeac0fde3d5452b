import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RequestBudget } from '../limits.js';
import { compileCel } from './compile.js';

// `x.?a.?b.orValue(d)` is evaluated without an Optional per step (ast.ts, selectOptionalChain).
// Differential check: `dyn(x.?a.?b).orValue(d)` breaks the chain, so cel-js walks it node by node;
// both must give the same value or the same error, and costs differing by the one `dyn` node.

const VARS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'];

interface Outcome {
  readonly value?: unknown;
  readonly error?: string;
  readonly cost: number;
}

function outcome(expression: string, object: unknown): Outcome {
  const budget = new RequestBudget();
  const before = budget.celLeft();
  try {
    const value = compileCel(expression, { variables: VARS, kind: 'validating' }).evaluate(
      { object },
      { ports: {}, budget },
    );
    return { value, cost: before - budget.celLeft() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), cost: before - budget.celLeft() };
  }
}

const objects: unknown[] = [
  {},
  { spec: null },
  { spec: {} },
  { spec: { securityContext: null } },
  { spec: { securityContext: { runAsUser: 0, privileged: true } } },
  { spec: { securityContext: { runAsUser: 1000, seLinuxOptions: { type: 'container_t' } } } },
  { spec: { securityContext: 'text' } },
  { spec: { securityContext: 12 } },
  { spec: { securityContext: [1, 2] } },
  { spec: { securityContext: { capabilities: { add: ['NET_ADMIN'], drop: [] } } } },
  { spec: { securityContext: { capabilities: { add: [] } } } },
  { spec: { containers: [{ name: 'a', securityContext: { privileged: false } }, { name: 'b' }] } },
  JSON.parse('{"spec": {"__proto__": {"x": 1}, "constructor": {"x": 2}}}'),
  JSON.parse('{"spec": {"securityContext": {"constructor": "x", "runAsUser": 5}}}'),
  { spec: { list: [{ a: 1 }, null, 'x'] } },
];

const receivers: [string, string][] = [
  ['object.spec.?securityContext.?runAsUser', '1'],
  ['object.?spec.?securityContext.?privileged', 'false'],
  ['object.spec.?securityContext.?seLinuxOptions.?type', "''"],
  ['object.spec.?securityContext.?capabilities.?add', '[]'],
  ['object.spec.?securityContext', '{}'],
  ['object.spec.?containers', '[]'],
  ['object.spec.?__proto__.?x', '0'],
  ['object.spec.?constructor.?x', '0'],
  ['object.spec.?securityContext.?constructor', "''"],
  ['object.spec.?list[?0].?a', '0'],
  ['object.spec.?list[?1].?a', '0'],
  ['object.spec.?list[?2].?a', '0'],
  ['optional.of(object).?spec.?securityContext.?runAsUser', '7'],
  ['[object][?0].?spec.?securityContext.?runAsUser', '3'],
  ['[object][?1].?spec.?securityContext.?runAsUser', '3'],
  ["{'a': {'b': object}}.?a.?b.?spec.?securityContext.?runAsUser", '9'],
  ['object.spec.?missing.?deeper.?deepest', 'null'],
];

describe('an optional selection chain with orValue matches cel-js node by node', () => {
  for (const [receiver, fallback] of receivers) {
    test(receiver, () => {
      for (const object of objects) {
        const fast = outcome(`${receiver}.orValue(${fallback})`, object);
        const walked = outcome(`dyn(${receiver}).orValue(${fallback})`, object);
        const where = `${receiver} on ${JSON.stringify(object)}`;
        assert.deepEqual(fast.value, walked.value, where);
        assert.equal(fast.error, walked.error, where);
        assert.equal(fast.cost, walked.cost - 1, where);
      }
    });
  }

  test('inside a comprehension, over every container', () => {
    const expression = (r: string) => `object.spec.containers.all(c, ${r}.orValue(false) == false)`;
    for (const object of objects) {
      const fast = outcome(expression('c.?securityContext.?privileged'), object);
      const walked = outcome(expression('dyn(c.?securityContext.?privileged)'), object);
      assert.deepEqual(fast.value, walked.value);
      assert.equal(fast.error, walked.error);
      const containers = (object as { spec?: { containers?: unknown[] } }).spec?.containers;
      if (fast.error === undefined) assert.equal(fast.cost, walked.cost - (containers?.length ?? 0));
    }
  });

  test('the chain costs its nodes before its operand: a spent budget stops it as before', () => {
    const object = { spec: { securityContext: { runAsUser: 3 } } };
    const expression = 'object.spec.?securityContext.?runAsUser.orValue(1)';
    const cost = outcome(expression, object).cost;
    for (let limit = 1; limit <= cost; limit++) {
      const budget = new RequestBudget({ limits: { maxCelCost: limit } });
      const run = () =>
        compileCel(expression, { variables: VARS, kind: 'validating' }).evaluate(
          { object },
          { ports: {}, budget },
        );
      if (limit < cost) assert.throws(run, /takes too much work/);
      else assert.equal(run(), 3);
    }
  });
});
