import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Budget, budgetOf, enterSearch, leaveSearch } from './budget.js';
import { builtinFunctions } from './builtins.js';
import { JmespathError } from './errors.js';
import { compileJmespath, formatJmespathAst, listFunctions, searchJmespath } from './evaluate.js';
import type { FunctionEntry } from './functions/types.js';
import { JmespathFunctionError } from './functions/types.js';
import { evaluateNode } from './interpreter.js';
import { parseJmespath } from './parser.js';
import { buildRegistry } from './registry.js';

const SPEC_BUILTINS = [
  'abs',
  'avg',
  'ceil',
  'contains',
  'ends_with',
  'floor',
  'join',
  'keys',
  'length',
  'map',
  'max',
  'max_by',
  'merge',
  'min',
  'min_by',
  'not_null',
  'reverse',
  'sort',
  'sort_by',
  'starts_with',
  'sum',
  'to_array',
  'to_number',
  'to_string',
  'type',
  'values',
];

/** Runs an expression against a registry of built-ins plus the given Kyverno-style entries. */
function runWith(
  custom: readonly FunctionEntry[],
  expression: string,
  data: unknown,
  random?: () => number,
): unknown {
  const functions = buildRegistry(builtinFunctions, custom);
  const context = random === undefined ? {} : { random };
  return evaluateNode(parseJmespath(expression), data, { functions, context, budget: new Budget() });
}

describe('compileJmespath', () => {
  test('compiles once and searches many documents', () => {
    const compiled = compileJmespath('metadata.name');
    assert.equal(compiled.expression, 'metadata.name');
    assert.equal(compiled.search({ metadata: { name: 'a' } }), 'a');
    assert.equal(compiled.search({ metadata: { name: 'b' } }), 'b');
  });
  test('unknown functions are rejected at compile time', () => {
    assert.throws(
      () => compileJmespath('a | nope(@)'),
      (e: unknown) => {
        return (
          e instanceof JmespathError &&
          e.code === 'unknown-function' &&
          e.message === 'Unknown function: nope'
        );
      },
    );
  });
  test('syntax errors carry a position', () => {
    assert.throws(
      () => compileJmespath('a.[b'),
      (e: unknown) => {
        return e instanceof JmespathError && e.code === 'syntax' && e.position === 4;
      },
    );
  });
  test('Kyverno function names outside the table are unknown until registered', () => {
    assert.equal(
      listFunctions().some((f) => f.name === 'nope'),
      false,
    );
  });
});

describe('searchJmespath', () => {
  test('repeated searches of the same expression agree (cached compile)', () => {
    for (let i = 0; i < 3; i++) assert.equal(searchJmespath('a', { a: i }), i);
  });
  test('undefined data is treated as null', () => {
    assert.equal(searchJmespath('a', undefined), null);
  });
  test('mutating a returned literal does not change later results', () => {
    const first = searchJmespath('`{"a": [1]}`', null) as { a: number[] };
    first.a.push(2);
    assert.deepEqual(searchJmespath('`{"a": [1]}`', null), { a: [1] });
  });
  test('multi-select hash keys such as __proto__ become own properties', () => {
    const out = searchJmespath('{"__proto__": a}', { a: 1 }) as Record<string, unknown>;
    assert.equal(Object.hasOwn(out, '__proto__'), true);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });
  test('runaway serialisation is refused before it is built', () => {
    // Each level doubles the shared structure; serialising 2^40 leaves must be refused.
    const ast = parseJmespath(`to_string(${'[@, @] | '.repeat(40)}@)`);
    const functions = buildRegistry(builtinFunctions, []);
    const budget = new Budget(100_000);
    const outer = enterSearch(budget);
    try {
      assert.throws(
        () => evaluateNode(ast, 'x', { functions, context: {}, budget }),
        (e: unknown) => e instanceof JmespathError && /maxValueSize/.test(e.message),
      );
    } finally {
      leaveSearch(outer);
    }
  });
  test('runaway work hits the budget instead of hanging', () => {
    // Flattening 2^40 shared leaves visits every one of them.
    const ast = parseJmespath(
      `length(${'[@, @] | '.repeat(40)}[][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][])`,
    );
    const functions = buildRegistry(builtinFunctions, []);
    const budget = new Budget(100_000);
    const outer = enterSearch(budget);
    try {
      assert.throws(
        () => evaluateNode(ast, 'x', { functions, context: {}, budget }),
        (e: unknown) => e instanceof JmespathError && e.code === 'function' && /work limit/.test(e.message),
      );
    } finally {
      leaveSearch(outer);
    }
  });
  test("a search's budget is the functions' only while it runs, also when it fails", () => {
    // `length` charges its result to the running budget: an exhausted one left running would fail it.
    const runaway = `length(${'[@, @] | '.repeat(40)}[][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][])`;
    assert.throws(() => searchJmespath(runaway, 'x'), /work limit/);
    // Outside a search a function gets a fresh budget, not the exhausted one of the failed search.
    budgetOf({}).spend(1);
    assert.equal(searchJmespath('length(@)', [1, 2, 3]), 3);
  });
  test('a missing field answers the same on every search of one compiled expression', () => {
    const cases: readonly [string, unknown, unknown][] = [
      ['a.b', { a: {} }, /Unknown key "b"/],
      ['a.b || `1`', { a: {} }, 1],
      ['[a.b, c]', { a: { b: 2 } }, [2, null]],
      ['x[].b', { x: [{ b: 1 }, {}, { b: 3 }] }, [1, 3]],
      ['a && b', { a: true }, /Unknown key "b"/],
      ['a.c.d', { a: {} }, /Unknown key "c"/],
      // Inherited keys and undefined values are missing too.
      ['constructor', {}, /Unknown key "constructor"/],
      ['a.toString || `2`', { a: {} }, 2],
      ['u', { u: undefined }, /Unknown key "u"/],
      ['constructor', { constructor: 'own' }, 'own'],
    ];
    for (const [expression, data, expected] of cases) {
      const compiled = compileJmespath(expression);
      for (let i = 0; i < 2; i++) {
        if (expected instanceof RegExp) assert.throws(() => compiled.search(data), expected, expression);
        else assert.deepEqual(compiled.search(data), expected, expression);
      }
    }
  });
});

describe('function table', () => {
  test('lists the 26 spec built-ins, sorted, each with a note', () => {
    const names = listFunctions().map((f) => f.name);
    for (const name of SPEC_BUILTINS) assert.ok(names.includes(name), name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(listFunctions().every((f) => f.note.length > 0));
  });
  test('typed-array arguments are shown as plain arrays', () => {
    const sum = listFunctions().find((f) => f.name === 'sum');
    assert.deepEqual(sum?.args[0]?.types, ['array']);
  });
  test('a Kyverno function replaces the built-in of the same name', () => {
    const sum: FunctionEntry = {
      name: 'sum',
      args: [{ types: ['array'] }],
      returns: ['string'],
      note: 'test',
      impl: ([items]) => `sum of ${(items as unknown[]).length}`,
    };
    assert.equal(runWith([sum], "sum(['1Gi', '2Gi'])", {}), 'sum of 2');
  });
  test('arguments are type-checked against FunctionEntry.args before impl runs', () => {
    let ran = false;
    const entry: FunctionEntry = {
      name: 'needs_string',
      args: [{ types: ['string'] }, { types: ['number'], optional: true }],
      returns: ['string'],
      note: 'test',
      impl: () => {
        ran = true;
        return 'ok';
      },
    };
    assert.equal(runWith([entry], "needs_string('a')", null), 'ok');
    assert.equal(runWith([entry], "needs_string('a', `1`)", null), 'ok');
    ran = false;
    assert.throws(() => runWith([entry], 'needs_string(`5`)', null), { message: /^Invalid type for: 5/ });
    assert.equal(ran, false);
  });
  test('JmespathFunctionError becomes code "function" with its message', () => {
    const entry: FunctionEntry = {
      name: 'divide',
      args: [{ types: ['number'] }, { types: ['number'] }],
      returns: ['number'],
      note: 'test',
      impl: () => {
        throw new JmespathFunctionError('divide', 'Zero divisor passed');
      },
    };
    assert.throws(
      () => runWith([entry], 'divide(`1`, `0`)', null),
      (e: unknown) => {
        return (
          e instanceof JmespathError &&
          e.code === 'function' &&
          e.message === "JMESPath function 'divide': Zero divisor passed"
        );
      },
    );
  });
  test('an unexpected error inside a function is wrapped, not leaked', () => {
    const entry: FunctionEntry = {
      name: 'broken',
      args: [],
      returns: ['any'],
      note: 'test',
      impl: () => {
        throw new TypeError('boom');
      },
    };
    assert.throws(
      () => runWith([entry], 'broken()', null),
      (e: unknown) => {
        return (
          e instanceof JmespathError &&
          e.code === 'function' &&
          e.message === "JMESPath function 'broken': boom"
        );
      },
    );
  });
  test('the function context reaches Kyverno functions', () => {
    const entry: FunctionEntry = {
      name: 'dice',
      args: [],
      returns: ['number'],
      note: 'test',
      impl: (_args, ctx) => ctx.random?.() ?? null,
    };
    assert.equal(
      runWith([entry], 'dice()', null, () => 0.25),
      0.25,
    );
  });
});

describe('formatJmespathAst', () => {
  test('renders one node per line', () => {
    assert.equal(formatJmespathAst('a.b'), 'Subexpression\n  left: Field "a"\n  right: Field "b"');
  });
  test('throws syntax errors', () => {
    assert.throws(
      () => formatJmespathAst('a.'),
      (e: unknown) => e instanceof JmespathError && e.code === 'syntax',
    );
  });
});
