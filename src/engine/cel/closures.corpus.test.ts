// CEL compiled to closures (closures.ts) against cel-js's interpreter: the same value, the same
// error and the same cost units, for
// - every CEL expression of the conformance corpora's policies on 120 of their resources;
// - every string literal of this folder's tests that compiles as CEL (the tests' own corpora of
//   expressions), on a few activations;
// - a table of edge cases (errors absorbed or not, int/uint/double, overflow, missing keys,
//   optionals, comprehensions), each also with budgets small enough to run out mid-way;
// - whole ValidatingPolicies of the corpora (pod security and others) admitting the corpora's
//   resources.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadCelCorpus } from '../../../test/support/cel-corpus.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { loadPolicyFolder } from '../../io/policy-folder.js';
import { offlineRequest } from '../../io/requests/offline-request.js';
import { admit, type KubeObject } from '../index.js';
import { type Limits, RequestBudget } from '../limits.js';
import { Optional } from './cel-js.js';
import { useCompiledClosures } from './closures.js';
import { type CelPolicyKind, type CelProgram, compileCel } from './compile.js';
import { CelEvalError } from './errors.js';
import { type CelActivation, lazyView, toCelActivation } from './values.js';

const VARS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'];
const { expressions, resources } = loadCelCorpus(120);

interface Outcome {
  readonly value?: unknown;
  readonly error?: string;
  readonly cost: number;
}

function outcome(program: CelProgram, activation: CelActivation, limits?: Partial<Limits>): Outcome {
  const budget = new RequestBudget(limits === undefined ? {} : { limits });
  try {
    const value = program.evaluate(activation, { ports: {}, budget });
    return { value, cost: budget.limits.maxRequestCelCost - budget.celLeft() };
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { error, cost: budget.limits.maxRequestCelCost - budget.celLeft() };
  }
}

interface Pair {
  readonly closures: CelProgram;
  readonly interpreted: CelProgram;
}

function programs(expression: string, kind: CelPolicyKind = 'validating'): Pair | undefined {
  const compile = (closures: boolean): CelProgram | undefined => {
    useCompiledClosures(closures);
    try {
      return compileCel(expression, { variables: VARS, kind });
    } catch {
      return undefined;
    } finally {
      useCompiledClosures(true);
    }
  };
  const closures = compile(true);
  const interpreted = compile(false);
  if (closures === undefined || interpreted === undefined) return undefined;
  assert.equal(interpreted.closures, false);
  return { closures, interpreted };
}

function activationOf(object: unknown, variables: Record<string, unknown> = {}): CelActivation {
  return {
    celActivation: true,
    values: toCelActivation({
      object,
      oldObject: null,
      request: { operation: 'CREATE', object, userInfo: { username: 'u', groups: ['g'] } },
      namespaceObject: null,
      variables,
      exceptions: { allowedImages: [], allowedValues: [] },
    }).values,
  };
}

/** Compares both paths on `activation`; returns whether the closures ran. */
function compare(pair: Pair, activation: CelActivation, where: string, limits?: Partial<Limits>): boolean {
  const a = outcome(pair.closures, activation, limits);
  const b = outcome(pair.interpreted, activation, limits);
  assert.deepEqual(a, b, where);
  return pair.closures.closures;
}

const activations = resources.map((object) => ({ object, activation: activationOf(object) }));

describe('CEL compiled to closures: same values, errors and costs as the interpreter', () => {
  test('the corpora expressions on the corpora resources', () => {
    let compiled = 0;
    let total = 0;
    let compared = 0;
    for (const expression of expressions) {
      const pair = programs(expression);
      if (pair === undefined) continue;
      total++;
      if (pair.closures.closures) compiled++;
      for (const { object, activation } of activations) {
        compare(pair, activation, `${expression} on ${JSON.stringify(object).slice(0, 120)}`);
        compared++;
      }
    }
    assert.ok(compiled > 300 && compiled / total > 0.95, `${compiled} of ${total} compiled`);
    assert.ok(compared > 30000, `${compared} evaluations compared`);
  });

  test('the string literals of the CEL tests that compile, on a few activations', () => {
    const literals = testLiterals(import.meta.dirname);
    const pod = resources.find((r) => r.kind === 'Pod') ?? {};
    const objects: unknown[] = [pod, { spec: { containers: [] }, metadata: { name: 'x', labels: {} } }, {}];
    const objectActivations = objects.map((o) => activationOf(o, { allContainers: [], names: ['a', 'b'] }));
    let compared = 0;
    for (const literal of literals) {
      for (const kind of ['validating', 'mutating'] as const) {
        const pair = programs(literal, kind);
        if (pair === undefined || !pair.closures.closures) continue;
        for (const activation of objectActivations) {
          // Functions of the clock or of chance give another value each time: not compared.
          const first = outcome(pair.interpreted, activation);
          const again = outcome(pair.interpreted, activation);
          if (JSON.stringify(first) !== JSON.stringify(again)) continue;
          compare(pair, activation, `${kind}: ${literal}`);
          compared++;
        }
        break;
      }
    }
    assert.ok(compared > 500, `${compared} evaluations compared`);
  });

  test('edge cases, with the default budget and with budgets that run out', () => {
    const object = {
      metadata: { name: 'n', labels: { a: 'b', empty: '' }, annotations: {} },
      spec: {
        replicas: 3,
        ratio: 0.5,
        containers: [
          {
            name: 'c1',
            image: 'nginx',
            ports: [{ containerPort: 80 }],
            securityContext: { privileged: true },
          },
          { name: 'c2', image: 'busybox', env: [{ name: 'A', value: '1' }] },
        ],
        list: [1, 2, 3],
        nested: { deep: { x: 1 } },
        nullField: null,
      },
    };
    const activation = activationOf(object, { allContainers: object.spec.containers, names: ['a', 'b'] });
    let checked = 0;
    for (const expression of EDGE_CASES) {
      const pair = programs(expression);
      // Some are type errors in a checked environment (`1 == 1.0`): nothing to run.
      if (pair === undefined) continue;
      assert.ok(pair.closures.closures, `${expression} runs as closures`);
      checked++;
      compare(pair, activation, expression);
      for (const maxCelCost of [1, 3, 7, 15, 40])
        compare(pair, activation, `${expression} within ${maxCelCost}`, { maxCelCost });
    }
    assert.ok(checked > EDGE_CASES.length * 0.8, `${checked} of ${EDGE_CASES.length} compiled`);
  });

  test('variables as a lazy view: read from its target as through its Proxy', () => {
    // A fresh view per evaluation (a view keeps what it computed): each side computes alike.
    const activationWith = (names: readonly string[], entries: Record<string, () => unknown>) => {
      const compute = (name: string): unknown => (entries[name] as () => unknown)();
      return (): CelActivation => {
        const variables = lazyView({ names, known: new Set(names) }, compute);
        entries.self = () => variables.self;
        return activationOf({ spec: { n: 1 } }, variables);
      };
    };
    const entries: Record<string, () => unknown> = {
      n: () => 3,
      s: () => 'x',
      list: () => [1, 2],
      map: () => ({ a: { b: 1 }, constructor: 'c' }),
      nul: () => null,
      fails: () => {
        throw new CelEvalError('no such key: boom');
      },
      self: () => undefined,
      opt: () => Optional.of(1n),
    };
    const plain = activationWith(Object.keys(entries), entries);
    // An entry named `constructor` is computed by any read through the Proxy: no shortcut then.
    const named = activationWith(['constructor', 'n'], { constructor: () => 'k', n: () => 2 });
    const failing = activationWith(['constructor', 'n'], {
      constructor: () => {
        throw new CelEvalError('constructor computed');
      },
      n: () => 2,
    });
    let checked = 0;
    for (const expression of LAZY_CASES) {
      const pair = programs(expression);
      if (pair === undefined) continue;
      assert.ok(pair.closures.closures, `${expression} runs as closures`);
      checked++;
      for (const fresh of [plain, named, failing]) {
        for (const maxCelCost of [undefined, 1, 2, 3, 5, 9]) {
          const limits = maxCelCost === undefined ? undefined : { maxCelCost };
          const a = outcome(pair.closures, fresh(), limits);
          const b = outcome(pair.interpreted, fresh(), limits);
          assert.deepEqual(a, b, `${expression} within ${maxCelCost}`);
        }
      }
    }
    assert.ok(checked > LAZY_CASES.length * 0.8, `${checked} of ${LAZY_CASES.length} compiled`);
  });

  test('whole ValidatingPolicies admit the corpora resources alike', async () => {
    const root = resolve(import.meta.dirname, '../../../../shared/conformance/kyverno-policies');
    const folders = ['pod-security-vpol', 'best-practices-vpol', 'other-vpol']
      .map((f) => join(root, f))
      .filter((f) => {
        try {
          return statSync(f).isDirectory();
        } catch {
          return false;
        }
      });
    assert.ok(folders.length > 0, 'the corpus has ValidatingPolicy folders');
    const objects = resources.filter((r) => typeof r.kind === 'string') as KubeObject[];
    let rules = 0;
    for (const folder of folders) {
      const results: string[][] = [];
      for (const closures of [true, false]) {
        useCompiledClosures(closures);
        const load = await loadPolicyFolder(folder, { allowEmpty: true });
        useCompiledClosures(true);
        assert.ok(load.ok, folder);
        const out: string[] = [];
        for (const object of objects) {
          const runtime = { ports: createOfflinePorts({}) };
          const outcome = await admit(load.set, offlineRequest(object, {}), runtime, { profile: 'cli' });
          for (const r of outcome.responses)
            for (const rule of r.response.rules)
              out.push(`${rule.name} ${rule.status} ${rule.message ?? ''}`);
        }
        results.push(out);
      }
      assert.deepEqual(results[0], results[1], folder);
      rules += results[0]?.length ?? 0;
    }
    assert.ok(rules > 100, `${rules} rule results compared`);
  });
});

/** Quoted strings of the tests in `dir` (and below) that could be CEL expressions. */
function testLiterals(dir: string): Set<string> {
  const out = new Set<string>();
  const visit = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.endsWith('.test.ts') && !name.includes('corpus')) {
        const source = readFileSync(full, 'utf8');
        for (const m of source.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`/g)) {
          const text = (m[1] ?? m[2] ?? '').replace(/\\(['`\\])/g, '$1');
          if (text.length >= 3 && /[.()=<>!&|+\-*/%[\]?]/.test(text)) out.add(text);
        }
      }
    }
  };
  visit(dir);
  return out;
}

const EDGE_CASES = [
  // && and ||: errors absorbed when the other side decides, in either order.
  'true || 1 / 0 == 1',
  '1 / 0 == 1 || true',
  '1 / 0 == 1 || false',
  'false || 1 / 0 == 1',
  '1 / 0 == 1 && false',
  'false && 1 / 0 == 1',
  'true && 1 / 0 == 1',
  'object.missing.x == 1 || object.other.y == 2',
  'dyn(1) || true',
  'dyn(1) || false',
  'false || dyn("x")',
  'true && dyn(1)',
  'dyn(1) && dyn(2)',
  '!(1 / 0 == 1)',
  '!dyn(1)',
  // Ternaries.
  'object.spec.replicas > 2 ? "many" : "few"',
  'dyn(1) ? 1 : 2',
  '(1 / 0 == 1) ? 1 : 2',
  // Numbers: int, uint, double, overflow, division.
  '9223372036854775807 + 1',
  '-9223372036854775808',
  '-(-9223372036854775807 - 1)',
  '9223372036854775807 * 2 > 0',
  '5 / 0',
  '5 % 0',
  '5.0 / 0.0',
  '1u + 2u',
  '0u - 1u',
  '1 == 1.0',
  '1 == 1u',
  'dyn(1) == dyn(1u)',
  '1 < 2.5',
  '2u > 1',
  'object.spec.replicas + 1',
  'object.spec.ratio * 2.0',
  'object.spec.replicas == 3',
  'object.spec.replicas == 3.0',
  'int(object.spec.ratio * 10.0)',
  'double(object.spec.replicas) / 2.0',
  '-object.spec.replicas',
  '"a" < "b"',
  '"a" + "b" == "ab"',
  'b"ab" == b"ab"',
  // Missing keys, null, has().
  'object.spec.missing',
  'object.spec.nullField == null',
  'has(object.spec.missing)',
  'has(object.spec.nested.deep.x)',
  'has(object.spec.nested.missing.x)',
  'has(object.spec.containers.name)',
  'has(object.spec.containers[0].securityContext)',
  'object.spec.containers.all(c, has(c.securityContext))',
  'has(object.spec.nullField.x)',
  'object.metadata.labels["a"]',
  'object.metadata.labels["zzz"]',
  'object.spec.containers[5]',
  'object.spec.containers[-1]',
  'object.spec.containers[1u]',
  'object.spec.list[1.0]',
  "'a' in object.metadata.labels",
  "'zzz' in object.metadata.labels",
  '2 in object.spec.list',
  '2.0 in object.spec.list',
  "'x' in object.spec.list",
  "'a' in []",
  "dyn('a') in dyn([1, 'a'])",
  "dyn(1) in dyn(['a', 1])",
  'dyn(1) in dyn([1.0, 2])',
  'dyn(2.0) in dyn([1, 2])',
  'dyn(true) in dyn([false, true])',
  'dyn(1u) in dyn([1])',
  'dyn(1) == dyn("a")',
  'dyn(1) == dyn(1.0)',
  'dyn(1) < dyn(2.5)',
  'dyn("a") < dyn(1)',
  'dyn(true) != dyn(false)',
  'dyn(2) >= dyn(2u)',
  // Optionals.
  'object.spec.?missing.orValue(1)',
  'object.spec.?nested.?deep.?x.orValue(0)',
  'object.spec.?nullField.?x.orValue(7)',
  'object.spec.?containers[?0].?name.orValue("none")',
  'object.?spec.?list[?9].orValue(-1)',
  'optional.of(1).orValue(2)',
  'optional.none().orValue(2)',
  'object.spec.replicas.orValue(5)',
  'object.spec.?nested.hasValue()',
  'object.spec.?nested.value().deep.x',
  'object.spec.?missing.value()',
  'object.spec.?nested.?deep.?x == optional.of(1)',
  'object.?spec.?containers.orValue([]).size()',
  // Comprehensions.
  'object.spec.containers.all(c, c.image != "")',
  'object.spec.containers.all(c, c.securityContext.privileged)',
  'object.spec.containers.exists(c, c.securityContext.privileged)',
  'object.spec.containers.exists(c, c.missing == 1)',
  'object.spec.containers.exists_one(c, c.name == "c1")',
  'object.spec.containers.exists_one(c, c.missing == 1)',
  'object.spec.containers.map(c, c.name)',
  'object.spec.containers.map(c, c.name != "c1", c.image)',
  'object.spec.containers.filter(c, c.name.startsWith("c"))',
  'object.spec.containers.filter(c, c.missing)',
  'object.spec.containers.map(c, c.missing)',
  'object.spec.list.map(x, x * 2).filter(y, y > 2)',
  '[0, 1].exists(x, 1 / x > 0)',
  '[0, 1].all(x, 1 / x > 2)',
  '[0, 1].all(x, 1 / x > 0)',
  '[1, 2, 3].all(x, x)',
  '[1, 2].exists(x, dyn("s"))',
  'object.metadata.labels.all(k, k != "")',
  'object.metadata.labels.map(k, k + "=" + object.metadata.labels[k])',
  'object.spec.list.all(object, object > 0)',
  '[[1, 2], [3]].all(l, l.all(x, [x, x].exists(y, y == x)))',
  '[1, 2].map(x, [3, 4].map(y, x * y))',
  'dyn(1).all(x, true)',
  'object.spec.replicas.all(x, true)',
  'variables.allContainers.all(c, c.?securityContext.?privileged.orValue(false) == false)',
  'variables.names.exists(n, n == "b")',
  'variables.missing',
  // Literals, concatenation, sizes, calls.
  '[1, "a", 2.0, null, true]',
  '{"a": 1, "b": [1, 2]}',
  '{1: "a", true: "b"}',
  '{"__proto__": 1, "constructor": 2, "x": 3}',
  'object.spec.list + [4]',
  '[1] + [2] + [3]',
  '"ab".size() + size([1])',
  'object.spec.containers.size()',
  'object.metadata.name.matches("^n$")',
  'object.metadata.name.startsWith("n") && "abc".contains("b")',
  '"a,b".split(",")',
  'string(object.spec.replicas)',
  'int("12") + 1',
  'int("x")',
  'type(object.spec.replicas) == int',
  'timestamp("2020-01-01T00:00:00Z") < timestamp("2021-01-01T00:00:00Z")',
  'duration("1h") > duration("30m")',
  'request.userInfo.groups.exists(g, g == "g")',
  'request.operation == "CREATE"',
  'oldObject == null',
  'namespaceObject.metadata.name',
  'exceptions.allowedImages.size() == 0',
  'object.spec.containers.map(c, c.name).join(",")',
  'lists.range(5)',
  '"ab".repeat(3)',
  'math.greatest(1, 2, 3)',
  'sets.contains([1, 2], [1])',
];

// Reads of a lazy `variables` (closures.ts reads its target, the interpreter goes through its Proxy).
const LAZY_CASES = [
  'variables.n',
  'variables.n + 1',
  'variables.s == "x" && variables.n == 3',
  'variables.list',
  'variables.list.size() + variables.n',
  'variables.map.a.b',
  'variables.map.constructor',
  'variables.nul',
  'variables.fails',
  'variables.fails || true',
  'variables.self',
  'variables.opt',
  'variables.missing',
  'variables.constructor',
  'has(variables.n)',
  'has(variables.missing)',
  'variables.?n.orValue(0)',
  'variables.?missing.orValue(0)',
  '[1, 2].all(x, variables.n > x)',
  '[{"n": 1}].all(variables, variables.n == 1)',
  'object.spec.n + variables.n',
];
