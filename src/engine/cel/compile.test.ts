import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompileMemo } from '../compile-memo.js';
import {
  CEL_STEP_LIMIT,
  CelCompileError,
  CelEvalError,
  celCheckResult,
  celProgramKey,
  compileCel,
} from './compile.js';

const VARS = ['object', 'oldObject', 'request', 'variables'];
const run = (expr: string, activation: Record<string, unknown> = {}, kind: 'vap' | 'validating' = 'vap') =>
  compileCel(expr, { variables: VARS, kind }).evaluate(activation, { ports: {} });

describe('compileCel: evaluation over JSON activations', () => {
  const pod = { spec: { replicas: 3, ratio: 0.5, containers: [{ name: 'a', image: 'nginx:1.25' }] } };
  const cases: [string, unknown][] = [
    ['object.spec.replicas > 1', true],
    ['object.spec.replicas + 1', 4],
    ['object.spec.ratio < 1', true],
    ['object.spec.replicas > 2.5', true],
    ['object.spec.containers.map(c, c.name)', ['a']],
    ['object.spec.containers.all(c, c.image.startsWith("nginx"))', true],
    ['has(object.spec.missing)', false],
    // cel-go accepts has() on a selection of any operand: an index or a function call.
    ['has(object.spec.containers[0].image)', true],
    ['has(dyn(object.spec).replicas)', true],
    ['has(dyn(object.spec).missing)', false],
    ['object.spec.?missing.orValue("d")', 'd'],
    ['object.spec.?containers.orValue([]).size()', 1],
    ['{"k": object.spec.replicas}', { k: 3 }],
    ['object.spec.containers[0].image.matches("^nginx:[0-9.]+$")', true],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr, { object: pod }), want));

  test('x.orValue(y) on a plain value yields the value (Kyverno compatibility)', () => {
    assert.deepEqual(run('object.spec.containers.orValue([]).size()', { object: pod }), 1);
  });

  test('map keys such as __proto__ stay data', () => {
    const obj = JSON.parse('{"__proto__": {"x": 1}}');
    assert.deepEqual(run('object["__proto__"].x', { object: obj }), 1);
  });
});

describe('compileCel: errors', () => {
  test('a syntax error is a CelCompileError naming the expression with a position', () => {
    assert.throws(
      () => compileCel('object.spec +', { variables: VARS }),
      (e: unknown) =>
        e instanceof CelCompileError &&
        e.message.includes("'object.spec +'") &&
        e.line === 1 &&
        e.column === 14,
    );
  });
  test('an undeclared variable does not compile', () => {
    assert.throws(() => compileCel('foo.bar', { variables: VARS }), /Unknown variable: foo/);
  });
  test('a missing key is a CelEvalError in cel-go wording', () => {
    assert.throws(
      () => run('object.spec.nope', { object: { spec: {} } }),
      (e: unknown) => e instanceof CelEvalError && /^no such key: nope/.test(e.message),
    );
  });
  test('regexes run on RE2: a catastrophic pattern returns at once', () => {
    assert.equal(run('object.s.matches("(a+)+$")', { object: { s: `${'a'.repeat(5000)}b` } }), false);
  });
  test('an invalid RE2 pattern is an evaluation error', () => {
    assert.throws(() => run('"a".matches("(?<=a)b")'), CelEvalError);
  });
  test('a runaway expression stops at the step limit', () => {
    const ten = '[0,1,2,3,4,5,6,7,8,9]';
    const expr = `${ten}.map(a, ${ten}.map(b, ${ten}.map(c, ${ten}.map(d, ${ten}.map(e, ${ten}.map(f, a)))))).size() > 0`;
    assert.throws(
      () => run(expr),
      (e: unknown) => e instanceof CelEvalError && e.message.includes(String(CEL_STEP_LIMIT)),
    );
  });
  test('the budget is not absorbed by ||', () => {
    const ten = '[0,1,2,3,4,5,6,7,8,9]';
    const expr = `${ten}.map(a, ${ten}.map(b, ${ten}.map(c, ${ten}.map(d, ${ten}.map(e, ${ten}.map(f, a)))))).size() > 0 || true`;
    assert.throws(() => run(expr), CelEvalError);
  });
});

describe('compileCel: environments and ports', () => {
  test('Kyverno libraries exist for policies.kyverno.io kinds only', () => {
    assert.equal(run('sha256("abc").size()', {}, 'validating'), 64);
    assert.throws(() => compileCel('sha256("abc")', { variables: VARS, kind: 'vap' }), CelCompileError);
  });
  test('time.now() reads the Clock port of the evaluation', () => {
    const now = new Date('2024-01-02T03:04:05Z');
    const p = compileCel('time.now()', { variables: [], kind: 'validating' });
    assert.equal(p.evaluate({}, { ports: { clock: { now: () => now } } }), '2024-01-02T03:04:05Z');
    assert.throws(() => p.evaluate({}, { ports: {} }), /no clock/);
  });
  test('a memo keeps one program per expression and environment shape', () => {
    const memo = new CompileMemo();
    const kept = (variables: readonly string[]) => {
      const options = { variables };
      return memo.celProgram(celProgramKey('1 + 1', options), () => compileCel('1 + 1', options));
    };
    const a = kept(VARS);
    const b = kept([...VARS].reverse());
    assert.equal(a.type, 'int');
    assert.equal(a, b);
    assert.equal(b.evaluate({}, { ports: {} }), 2);
    assert.equal(memo.misses.cel, 1);
  });
  test('literal regex patterns compile with the program; one read from data, once in the memo', () => {
    const memo = new CompileMemo();
    const runtime = { ports: {}, compileMemo: memo };
    const literal = compileCel(
      "object.name.matches('^a+$') && object.name.find('a') == 'a' && regex.replace(object.name, 'a', 'b') == 'bb'",
      { variables: VARS, kind: 'validating' },
    );
    const fromData = compileCel('object.name.matches(object.pattern)', {
      variables: VARS,
      kind: 'validating',
    });
    for (let i = 0; i < 3; i++) {
      assert.equal(literal.evaluate({ object: { name: 'aa' } }, runtime), true);
      assert.equal(fromData.evaluate({ object: { name: 'aa', pattern: '^a' } }, runtime), true);
    }
    assert.equal(memo.misses.regex, 1);
    // Without a memo, a pattern from data is compiled for the call; a bad one is an evaluation error.
    assert.equal(fromData.evaluate({ object: { name: 'b', pattern: '^a' } }, { ports: {} }), false);
    assert.throws(
      () => fromData.evaluate({ object: { name: 'b', pattern: '(' } }, runtime),
      /invalid regular expression '\('/,
    );
  });
  test('celCheckResult is true only for boolean true', () => {
    assert.equal(celCheckResult(true), true);
    assert.equal(celCheckResult('true'), false);
    assert.equal(celCheckResult(1), false);
  });
});

describe('compileCel: the variables fields an expression reads', () => {
  // What the policy kinds check against `spec.variables` (Kyverno types `variables` as an object).
  const cases: [string, string, [string, number, number][]][] = [
    ['none', 'object.metadata.name == "x"', []],
    ['a selection', 'variables.a == 1', [['a', 1, 10]]],
    [
      'in source order',
      'variables.b > 0 &&\n  variables.a > 0',
      [
        ['b', 1, 10],
        ['a', 2, 12],
      ],
    ],
    [
      'has() and optional selection',
      'has(variables.a) || variables.?b.hasValue()',
      [
        ['a', 1, 14],
        ['b', 1, 30],
      ],
    ],
    ['a nested selection reads the first field only', 'variables.a.b.c', [['a', 1, 10]]],
    ['the whole map is not a field', 'size(variables) > 0', []],
    ['a comprehension binding variables shadows it', '[{"a": 1}].all(variables, variables.a == 1)', []],
    ['a comprehension binding another name does not', '[1].all(x, variables.a == x)', [['a', 1, 21]]],
    ['cel.bind of variables shadows it', 'cel.bind(variables, {"a": 1}, variables.a)', []],
  ];
  for (const [name, expr, want] of cases) {
    test(name, () => {
      const reads = compileCel(expr, { variables: VARS, kind: 'validating' }).variableReads;
      assert.deepEqual(
        reads.map((r) => [r.name, r.line, r.column]),
        want,
      );
    });
  }
});
