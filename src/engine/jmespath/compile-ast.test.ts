// The closures of compile-ast.ts against the tree interpreter (evaluateNode), node type by node type
// and over the expressions of the conformance corpora: the same value (or missing key), the same
// error, and the same budget steps, also when a small step limit stops the evaluation part way.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { corpusDocuments } from '../../../test/support/corpus-documents.js';
import type { AstNode } from './ast.js';
import { Budget, enterSearch, leaveSearch } from './budget.js';
import { builtinFunctions } from './builtins.js';
import { compileAst } from './compile-ast.js';
import { kyvernoFunctions } from './functions/index.js';
import { evaluateNode, MissingKey } from './interpreter.js';
import { parseJmespath } from './parser.js';
import { buildRegistry } from './registry.js';

const functions = buildRegistry(builtinFunctions, kyvernoFunctions);

/** A budget that counts the steps spent (both evaluators spend through `spend`). */
class CountingBudget extends Budget {
  steps = 0;
  override spend(steps = 1): void {
    this.steps += steps;
    super.spend(steps);
  }
}

type Outcome = { value?: unknown; missing?: string; error?: string; steps: number };

function outcome(evaluate: (value: unknown, ev: never) => unknown, data: unknown, limit: number): Outcome {
  const budget = new CountingBudget(limit);
  const outer = enterSearch(budget);
  try {
    const result = evaluate(data, { functions, context: {}, budget } as never);
    return result instanceof MissingKey
      ? { missing: result.key, steps: budget.steps }
      : { value: result, steps: budget.steps };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { error: `${e.constructor.name} ${e.code ?? ''} ${e.message}`, steps: budget.steps };
  } finally {
    leaveSearch(outer);
  }
}

/** Asserts both evaluators agree on `ast` over `data` at each limit; answers whether any value was found. */
function compare(ast: AstNode, data: unknown, label: string, limits: readonly number[]): void {
  const compiled = compileAst(ast);
  for (const limit of limits) {
    const tree = outcome((v, ev) => evaluateNode(ast, v, ev), data, limit);
    const closures = outcome((v, ev) => compiled(v, ev), data, limit);
    assert.deepEqual(closures, tree, `${label} (limit ${limit})`);
  }
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'a', tier: 'web' }, annotations: { 'x/y': 'z' } },
  spec: {
    containers: [
      { name: 'c1', image: 'nginx:1', ports: [{ hostPort: 80 }, { containerPort: 8080 }] },
      { name: 'c2', image: 'busybox', securityContext: { capabilities: { add: ['NET_ADMIN', 'CHOWN'] } } },
    ],
    initContainers: [{ name: 'i', image: 'alpine', ports: [{ hostPort: 5500 }] }],
    volumes: [
      { name: 'v', hostPath: { path: '/' } },
      { name: 'w', emptyDir: {} },
    ],
    n: 3,
    t: true,
    f: false,
    s: '',
  },
};

// Every node type, with missing keys, nulls, wrong types and errors on each side of each operator.
const EXPRESSIONS = [
  '@',
  'spec',
  'spec.nope',
  'nope.deeper',
  'spec.containers[0].name',
  'spec.containers[-1].image',
  'spec.containers[5]',
  'spec.containers[0:1].name',
  'spec.containers[::-1].name',
  'spec.n[0]',
  'spec.[ephemeralContainers, initContainers, containers][].securityContext.capabilities.add[]',
  'spec.[ephemeralContainers, initContainers, containers][].ports[].hostPort',
  "spec.volumes[].keys(@)[] || ''",
  'spec.volumes[].keys(@)',
  'spec.nope | keys(@)',
  'spec.s || spec.nope || `"d"`',
  'spec.t && spec.n',
  'spec.f && spec.nope',
  'spec.t && spec.nope',
  '!spec.f',
  '!spec.nope.x',
  'spec.n > `2`',
  'spec.n <= spec.nope',
  "spec.s == ''",
  'spec.containers == spec.containers',
  'spec.n != `3`',
  'spec.containers[*].name',
  'spec.containers[*].nope',
  'metadata.labels.*',
  'metadata.labels.*.length(@)',
  'spec.n.*',
  "spec.containers[?name == 'c2'].image",
  'spec.containers[?ports].name',
  'spec.containers[?nope.x].name',
  'spec.n[?a]',
  'spec.containers[].[name, image, nope]',
  '{a: spec.n, b: spec.nope, c: metadata.name}',
  'nope.{a: b}',
  'nope.[a]',
  'sort_by(spec.containers, &name)[].name',
  'max_by(spec.containers, &length(name)).name',
  'map(&name, spec.containers)',
  'length(spec.nope)',
  'length(spec.n)',
  'not_a_function(@)',
  'to_string(spec)',
  "join(',', spec.containers[].name)",
  '`{"a": [1, 2]}`',
  "'literal'",
  'spec.containers[0] | name',
  '[spec.n, spec.t][]',
  'spec.containers[].ports[][]',
  "regex_match('^c', spec.containers[0].name)",
  'contains(spec.containers[].name, `"c1"`)',
];

describe('compiled closures against the tree interpreter', () => {
  for (const expression of EXPRESSIONS)
    test(expression, () => {
      const ast = parseJmespath(expression);
      for (const data of [pod, null, [pod, pod], { request: { object: pod } }, 'text'])
        compare(ast, data, expression, [1_000_000, 1, 3, 7, 20]);
    });

  test('a deeply nested expression evaluates alike', () => {
    const expression = `${'('.repeat(300)}spec.n${')'.repeat(300)}`;
    compare(parseJmespath(expression), pod, 'nested', [1_000_000, 150]);
    const chain = `spec${'.a'.repeat(400)}`;
    compare(parseJmespath(chain), { spec: null }, 'chain', [1_000_000]);
  });
});

// Functions whose answer changes from call to call (the clock, random text) are left out.
const UNSTABLE = /\b(time_now|time_now_utc|random)\s*\(/;

function corpusExpressions(docs: readonly Record<string, unknown>[]): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\{\{-?\s*(.+?)\s*-?\}\}/g)) if (m[1] !== undefined) found.add(m[1]);
    } else if (Array.isArray(v)) for (const item of v) visit(item);
    else if (v !== null && typeof v === 'object') for (const item of Object.values(v)) visit(item);
  };
  for (const d of docs) if (d.kind === 'ClusterPolicy' || d.kind === 'Policy') visit(d.spec);
  return [...found].filter((e) => !UNSTABLE.test(e)).sort();
}

describe('compiled closures over the corpora', () => {
  test('every parsable `{{ }}` expression of the corpora policies, over a spread of resources', () => {
    const docs = corpusDocuments();
    const expressions = corpusExpressions(docs);
    const objects = docs.filter((d) => d.kind !== 'ClusterPolicy' && d.kind !== 'Policy');
    const step = Math.max(1, Math.floor(objects.length / 60));
    const resources = objects.filter((_, i) => i % step === 0);
    let parsed = 0;
    let values = 0;
    for (const expression of expressions) {
      let ast: AstNode;
      try {
        ast = parseJmespath(expression);
      } catch {
        continue;
      }
      parsed++;
      for (const resource of resources) {
        const data = { request: { object: resource, operation: 'CREATE', oldObject: null } };
        compare(ast, data, expression, [1_000_000, 5]);
        const found = outcome((v, ev) => evaluateNode(ast, v, ev), data, 1_000_000);
        if (found.value !== null && found.value !== undefined) values++;
      }
    }
    assert.ok(parsed > 150, `only ${parsed} expressions parsed`);
    assert.ok(values > 1000, `only ${values} non-null values`);
  });
});
