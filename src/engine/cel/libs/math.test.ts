import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// cel-go ext math (ext/README.md "Math") examples, plus Kyverno's math.round(double, int).
describe('cel-go ext math', () => {
  const cases: [string, unknown][] = [
    ['math.greatest(1)', 1],
    ['math.greatest(1u, 42u)', 42],
    ['math.greatest(-42.0, -21.5, -100.0)', -21.5],
    ['math.greatest([-42.0, -21.5, -100.0])', -21.5],
    ['math.greatest(1, 5, 3)', 5],
    ['math.greatest(1, 2.5)', 2.5],
    ['math.greatest(object.vals)', 3],
    ['math.least(-42.0, -21.5, -100.0)', -100],
    ['math.least([4, 2, 9])', 2],
    ['math.least(1, 2u, 0.5)', 0.5],
    ['math.ceil(1.2)', 2],
    ['math.ceil(-1.2)', -1],
    ['math.floor(1.2)', 1],
    ['math.floor(-1.2)', -2],
    ['math.round(1.2)', 1],
    ['math.round(1.5)', 2],
    ['math.round(2.5)', 3],
    ['math.round(-1.5)', -2],
    ['math.round(-2.5)', -3],
    ['math.trunc(-1.3)', -1],
    ['math.trunc(1.3)', 1],
    ['math.abs(-1)', 1],
    ['math.abs(1)', 1],
    ['math.abs(-234.5)', 234.5],
    ['math.abs(5u)', 5],
    ['math.sign(-42)', -1],
    ['math.sign(0)', 0],
    ['math.sign(42u)', 1],
    ['math.sign(-0.3)', -1],
    ['math.sign(0.0)', 0],
    ['math.isInf(1.0 / 0.0)', true],
    ['math.isInf(1.2)', false],
    ['math.isNaN(0.0 / 0.0)', true],
    ['math.isNaN(1.2)', false],
    ['math.isFinite(0.0 / 0.0)', false],
    ['math.isFinite(1.2)', true],
    ['math.sqrt(81)', 9],
    ['math.sqrt(985.25)', 31.388692231439016],
    ['math.sqrt(4u)', 2],
    ['math.isNaN(math.sqrt(-15))', true],
    ['math.bitAnd(3u, 2u)', 2],
    ['math.bitAnd(3, 5)', 1],
    ['math.bitAnd(-3, -5)', -7],
    ['math.bitOr(1u, 2u)', 3],
    ['math.bitOr(-2, -4)', -2],
    ['math.bitXor(1u, 3u)', 2],
    ['math.bitXor(3, 5)', 6],
    ['math.bitNot(1)', -2],
    ['math.bitNot(-1)', 0],
    ['math.bitNot(0u) == 18446744073709551615u', true],
    ['math.bitShiftLeft(1, 2)', 4],
    ['math.bitShiftLeft(-1, 2)', -4],
    ['math.bitShiftLeft(1u, 2)', 4],
    ['math.bitShiftLeft(1u, 200)', 0],
    ['math.bitShiftRight(1024, 2)', 256],
    ['math.bitShiftRight(1024u, 64)', 0],
    ['math.bitShiftRight(1024u, 2)', 256],
    // The sign bit is shifted like any other bit.
    ['math.bitShiftRight(-1024, 3) == 2305843009213693824', true],
    ['math.round(3.14159, 2)', 3.14],
    ['math.round(2.675, 1)', 2.7],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr, { vals: [1, 3, 2] }), want));

  const errors: [string, RegExp][] = [
    ['math.greatest([])', /math.@max\(list\) argument must not be empty/],
    ['math.least([])', /math.@min\(list\) argument must not be empty/],
    ['math.greatest(["a"], 1)', /no matching overload|not comparable/],
    ['math.abs(-9223372036854775808)', /integer overflow/],
    ['math.bitShiftLeft(1, -2)', /negative offset/],
    ['math.bitShiftRight(1u, -2)', /negative offset/],
  ];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));

  const compileErrors = ['math.ceil(1)', 'math.isNaN(1)', 'math.bitAnd(1, 1u)'];
  for (const expr of compileErrors) {
    test(`${expr} does not compile`, () =>
      assert.throws(() => compileCel(expr, { variables: [] }), /overload/));
  }
});
