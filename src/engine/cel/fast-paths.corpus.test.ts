// Conformance corpora: every CEL expression of the corpora's policies (that compiles for a
// ValidatingPolicy) is evaluated on the corpora's resources with and without the evaluation
// shortcuts, which must not change a value, an error or a cost unit:
// - optional chains read without an Optional per step (ast.ts, selectOptionalChain), against
//   cel-js's node-by-node walk;
// - results shared across the policies of a request (CelProgram.sharedKey), reused from a first
//   evaluation on the same data, against evaluating again.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadAll } from 'js-yaml';
import { RequestBudget } from '../limits.js';
import { useOptionalChainShortcut } from './ast.js';
import { type CelProgram, compileCel } from './compile.js';
import { type CelActivation, type SharedResults, toCelActivation } from './values.js';

const CORPORA = ['kyverno-policies', 'kyverno-cli'].map((c) =>
  resolve(import.meta.dirname, '../../../../shared/conformance', c),
);
const VARS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'];
const EXPRESSION_KEYS = new Set(['expression', 'messageExpression', 'valueExpression']);
const POLICY_GROUPS = /kyverno\.io|admissionregistration|chainsaw|cli\.kyverno/;
const MAX_RESOURCES = 120;

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

function documents(file: string): unknown[] {
  try {
    return loadAll(readFileSync(file, 'utf8')).filter((d) => typeof d === 'object' && d !== null);
  } catch {
    return [];
  }
}

function collectExpressions(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectExpressions(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (EXPRESSION_KEYS.has(k) && typeof v === 'string') out.add(v);
      else collectExpressions(v, out);
    }
  }
}

const expressions = new Set<string>();
const allResources: Record<string, unknown>[] = [];
for (const corpus of CORPORA.filter((c) => existsSync(c))) {
  for (const file of yamlFiles(corpus)) {
    for (const doc of documents(file) as Record<string, unknown>[]) {
      const apiVersion = String(doc.apiVersion ?? '');
      if (POLICY_GROUPS.test(apiVersion)) collectExpressions(doc, expressions);
      else if (typeof doc.kind === 'string') allResources.push(doc);
    }
  }
}
// Spread over the whole corpora (the pod-security suites' Pods and controllers among them).
const step = Math.max(1, Math.floor(allResources.length / MAX_RESOURCES));
const resources = allResources.filter((_, i) => i % step === 0).slice(0, MAX_RESOURCES);

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

function compiled(expression: string, shortcut: boolean): CelProgram | undefined {
  useOptionalChainShortcut(shortcut);
  try {
    return compileCel(expression, { variables: VARS, kind: 'validating' });
  } catch {
    return undefined;
  } finally {
    useOptionalChainShortcut(true);
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
