// Conformance corpora: every CEL expression of the corpora's policies (that compiles for a
// ValidatingPolicy) is evaluated on the corpora's resources with and without the evaluation
// shortcuts, which must not change a value, an error or a cost unit:
// - optional chains read without an Optional per step (ast.ts, selectOptionalChain), against
//   cel-js's node-by-node walk;
// - results shared across the policies of a request (CelProgram.sharedKey), reused from a first
//   evaluation on the same data, against evaluating again;
// - the request's data converted to maps with the empty CEL map prototype (map-prototype.ts),
//   against maps with no prototype (the former conversion).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCelCorpus } from '../../../test/support/cel-corpus.js';
import { RequestBudget } from '../limits.js';
import { useOptionalChainShortcut } from './ast.js';
import { useCompiledClosures } from './closures.js';
import { type CelProgram, compileCel } from './compile.js';
import { type CelActivation, type SharedResults, toCel, toCelActivation } from './values.js';

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

  test('maps with the CEL map prototype: same values, errors and costs as maps with no prototype', () => {
    // Expressions that ask a map for its type, equality, emptiness, keys or text, beside the corpora's.
    const probes = [
      'type(object.metadata) == map',
      'object.metadata == object.metadata',
      "object.metadata != {'name': 'x'}",
      '[object.spec] == [object.spec]',
      'object.metadata.map(k, k)',
      "object.metadata.exists(k, k == 'name')",
      'object.metadata.all(k, k != "")',
      'object.metadata.filter(k, true).size()',
      'object.metadata.size()',
      "'spec' in object",
      'has(object.metadata.labels) && object.metadata.labels.size() >= 0',
      'optional.ofNonZeroValue(object.metadata).hasValue()',
      'optional.ofNonZeroValue(object.?status.orValue({})).hasValue()',
      'object.?metadata.?labels.orValue({}) == {}',
      'string(object.metadata)',
      'dyn(object.metadata).name',
      "{'a': object.metadata}.a == object.metadata",
      'object.spec.?containers.orValue([]).all(c, c == c && type(c) == map)',
      'object.metadata.constructor',
      'has(object.metadata.__proto__)',
      "object.metadata.?toString.orValue('none')",
    ];
    let compared = 0;
    for (const expression of [...probes, ...expressions]) {
      // The interpreter's program and the closures' (where the expression compiles to them).
      const programs = [compiled(expression, true), closuresOf(expression)].filter((p) => p !== undefined);
      for (const { object, values } of activations) {
        const former = formerActivation(object);
        for (const p of programs) {
          const a = outcome(p, { celActivation: true, values });
          const b = outcome(p, former);
          assert.deepEqual(a, b, `${expression} on ${JSON.stringify(object).slice(0, 120)}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 10000, `${compared} evaluations compared`);
  });
});

function closuresOf(expression: string): CelProgram | undefined {
  try {
    return compileCel(expression, { variables: VARS, kind: 'validating' });
  } catch {
    return undefined;
  }
}

/** `toCel` with maps of no prototype, as it converted before map-prototype.ts. */
function formerToCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(formerToCel);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return toCel(value);
  const out: Record<string, unknown> = {};
  Object.setPrototypeOf(out, null);
  for (const k of Object.keys(value)) out[k] = formerToCel((value as Record<string, unknown>)[k]);
  return out;
}

function formerActivation(object: unknown): CelActivation {
  return toCelActivation({
    object: formerToCel(object),
    oldObject: null,
    request: formerToCel({ operation: 'CREATE', object }),
    namespaceObject: null,
    variables: formerToCel({}),
    exceptions: formerToCel({ allowedImages: [], allowedValues: [] }),
  });
}
