// Conformance corpora: every CEL expression of the corpora's policies (that compiles for a
// ValidatingPolicy) is evaluated on the corpora's resources with and without the evaluation
// shortcuts, which must not change a value, an error or a cost unit:
// - optional chains read without an Optional per step (ast.ts, selectOptionalChain), against
//   cel-js's node-by-node walk;
// - results shared across the policies of a request (CelProgram.sharedKey), reused from a first
//   evaluation on the same data, against evaluating again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCelCorpus } from '../../../test/support/cel-corpus.js';
import { RequestBudget } from '../limits.js';
import { useOptionalChainShortcut } from './ast.js';
import { useCompiledClosures } from './closures.js';
import { type CelProgram, compileCel } from './compile.js';
import { type CelActivation, type SharedResults, toCelActivation } from './values.js';

const VARS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'];
// Spread over the whole corpora (the pod-security suites' Pods and controllers among them).
const { expressions, resources } = loadCelCorpus(120);

interface Outcome {
  readonly value?: unknown;
  readonly error?: string;
  readonly cost: number;
}

function outcome(program: CelProgram, activation: CelActivation): Outcome {
  const budget = new RequestBudget();
  try {
    const value = program.evaluate(activation, { ports: {}, budget });
    return { value, cost: budget.limits.maxRequestCelCost - budget.celLeft() };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { error, cost: budget.limits.maxRequestCelCost - budget.celLeft() };
  }
}

/** The interpreter's program (closures.corpus.test.ts compares the compiled closures with it). */
function compiled(expression: string, shortcut: boolean): CelProgram | undefined {
  useOptionalChainShortcut(shortcut);
  useCompiledClosures(false);
  try {
    return compileCel(expression, { variables: VARS, kind: 'validating' });
  } catch {
    return undefined;
  } finally {
    useOptionalChainShortcut(true);
    useCompiledClosures(true);
  }
}

const activations = resources.map((object) => {
  const base = toCelActivation({
    object,
    oldObject: null,
    request: { operation: 'CREATE', object },
    namespaceObject: null,
    variables: {},
    exceptions: { allowedImages: [], allowedValues: [] },
  });
  return { object, values: base.values };
});

describe('CEL evaluation shortcuts over the conformance corpora', () => {
  test('the corpora hold CEL expressions and resources', () => {
    assert.ok(expressions.size > 100, `${expressions.size} expressions`);
    assert.ok(resources.length > 20, `${resources.length} resources`);
  });

  test('optional chains: same values, errors and costs as the node-by-node walk', () => {
    let compared = 0;
    for (const expression of expressions) {
      if (!expression.includes('orValue')) continue;
      const fast = compiled(expression, true);
      const walked = compiled(expression, false);
      if (fast === undefined || walked === undefined) continue;
      for (const { object, values } of activations) {
        const activation: CelActivation = { celActivation: true, values };
        const a = outcome(fast, activation);
        const b = outcome(walked, activation);
        const where = `${expression} on ${JSON.stringify(object).slice(0, 120)}`;
        assert.deepEqual(a, b, where);
        compared++;
      }
    }
    assert.ok(compared > 1000, `${compared} evaluations compared`);
  });

  test('shared results: a reused result is the value, error and cost of evaluating again', () => {
    let reused = 0;
    for (const expression of expressions) {
      const program = compiled(expression, true);
      if (program?.sharedKey === undefined) continue;
      for (const { object, values } of activations) {
        const plain = outcome(program, { celActivation: true, values });
        const shared: SharedResults = new Map();
        const first = outcome(program, { celActivation: true, values, shared });
        const second = outcome(program, { celActivation: true, values, shared });
        const where = `${expression} on ${JSON.stringify(object).slice(0, 120)}`;
        assert.deepEqual(first, plain, where);
        assert.deepEqual(second, plain, where);
        if (shared.size > 0) reused++;
      }
    }
    assert.ok(reused > 1000, `${reused} results reused`);
  });
});
