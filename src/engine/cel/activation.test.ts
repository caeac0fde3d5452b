import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvaluationRuntime } from '../runtime.js';
import { compileCel } from './compile.js';
import { CelAuthorizer } from './libs/authz.js';
import { toCelActivation } from './values.js';

const NO_PORTS: EvaluationRuntime = { ports: {} };

// What each library answers when the evaluation has no port for it (the texts the slot-based
// runtime gave; Kyverno's CLI prints them as rule errors).
describe('a CEL library call without its port', () => {
  const cases: [string, string, 'validating' | 'image'][] = [
    [
      'resource.Get("v1", "configmaps", "ns", "a")',
      'resource library: no cluster access is available',
      'validating',
    ],
    [
      'resource.List("v1", "configmaps", "ns")',
      'resource library: no cluster access is available',
      'validating',
    ],
    ['http.Get("https://svc")', 'http library: no HTTP access is available', 'validating'],
    ['http.Client("ca").Post("https://svc", {})', 'http library: no HTTP access is available', 'validating'],
    ['globalContext.Get("e")', 'globalContext library: no global context is available', 'validating'],
    [
      'image.GetMetadata("nginx")',
      'image.GetMetadata needs registry access, which is not available',
      'validating',
    ],
    ['time.now()', 'time.now: no clock is available', 'validating'],
    [
      'verifyImageSignatures("nginx", [])',
      'verifyImageSignatures is only available in ImageValidatingPolicies',
      'image',
    ],
    ['getImageData("nginx")', 'getImageData is only available in ImageValidatingPolicies', 'image'],
  ];
  for (const [expression, message, kind] of cases) {
    test(expression, () => {
      const program = compileCel(expression, { variables: [], kind });
      assert.throws(
        () => program.evaluate({}, NO_PORTS),
        (e: unknown) => e instanceof Error && e.message === message,
      );
    });
  }
  test('an authorizer check errors with "no authorizer is available"', () => {
    const program = compileCel("authorizer.path('/x').check('get').error()", {
      variables: ['authorizer'],
      kind: 'validating',
    });
    assert.equal(
      program.evaluate({ authorizer: new CelAuthorizer('u') }, NO_PORTS),
      'no authorizer is available',
    );
  });
});

describe('activations and runtimes', () => {
  const program = compileCel('globalContext.Get("team")', { variables: ['object'], kind: 'validating' });
  const answering = (team: string): EvaluationRuntime => ({
    ports: { globalContext: { get: () => ({ ok: true, data: team }) } },
  });

  test('one prepared activation, evaluated with two runtimes, answers with each', () => {
    const activation = toCelActivation({ object: {} });
    assert.equal(program.evaluate(activation, answering('a')), 'a');
    assert.equal(program.evaluate(activation, answering('b')), 'b');
  });
  test('a policy variable named like a namespace keeps its value', () => {
    const p = compileCel('time.x', { variables: ['time'], kind: 'validating' });
    assert.equal(p.evaluate({ time: { x: 1 } }, NO_PORTS), 1);
  });
  test('a namespace shadowed by an iteration variable stays the iteration variable', () => {
    const p = compileCel('[1, 2].map(time, time * 2)', { variables: [], kind: 'validating' });
    assert.deepEqual(p.evaluate({}, NO_PORTS), [2, 4]);
  });
});

// A port callback may evaluate the same compiled expression again (another request, or the same
// policy for another object); cel-js keeps loop and bind state on the shared AST.
describe('re-entrant evaluation of one program', () => {
  // The port is called inside the loop and inside the binding, and both are read after it returns.
  const program = compileCel('[1, 2, 3].map(x, cel.bind(y, x * 2, y + globalContext.Get("k") + y + x - x))', {
    variables: [],
    kind: 'validating',
  });
  const answering = (k: number, onGet: () => void = () => {}): EvaluationRuntime => ({
    ports: {
      globalContext: {
        get: () => {
          onGet();
          return { ok: true, data: k };
        },
      },
    },
  });
  test('an evaluation inside a port callback of another: each gets its own loop and binding', () => {
    const nested: unknown[] = [];
    const outer = answering(10, () => {
      if (nested.length === 0) nested.push(program.evaluate({}, answering(100)));
    });
    assert.deepEqual(program.evaluate({}, outer), [14, 18, 22]);
    assert.deepEqual(nested, [[104, 108, 112]]);
  });
});
