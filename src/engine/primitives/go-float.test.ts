// strconv.FormatFloat / ParseFloat, as documented at pkg.go.dev/strconv (FormatFloat: "precision -1
// uses the smallest number of digits necessary"; %e exponents have at least two digits).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FloatFormat, formatFloat, parseGoFloat } from './go-float.js';

describe('formatFloat', () => {
  const cases: [number, FloatFormat, 32 | 64, string][] = [
    // 'g', 64: how %v prints a float64 (was goFormatFloat in variables and goDouble in cel).
    [3, 'g', 64, '3'],
    [3.14, 'g', 64, '3.14'],
    [100000, 'g', 64, '100000'],
    [1e6, 'g', 64, '1e+06'],
    [1234567, 'g', 64, '1.234567e+06'],
    [0.0001, 'g', 64, '0.0001'],
    [0.00001, 'g', 64, '1e-05'],
    [1e100, 'g', 64, '1e+100'],
    [-0, 'g', 64, '-0'],
    [Number.NaN, 'g', 64, 'NaN'],
    [Number.NEGATIVE_INFINITY, 'g', 64, '-Inf'],
    // 'f', 32: Kyverno's ifaceToString (was formatFloat32 in jmespath).
    [0.1, 'f', 32, '0.1'],
    [1.5, 'f', 32, '1.5'],
    [100, 'f', 32, '100'],
    [16777217, 'f', 32, '16777216'],
    [1.23456789, 'f', 32, '1.2345679'],
    [1e21, 'f', 32, '1000000000000000000000'],
    [1e-7, 'f', 32, '0.0000001'],
    [-2.5, 'f', 32, '-2.5'],
    [0, 'f', 32, '0'],
    [0.1, 'f', 64, '0.1'],
    [123456789.125, 'f', 64, '123456789.125'],
    // 'E', 64: pattern compareString (was goFloatE in pattern/compare). The copy printed
    // NaNE+00 and InfinityE+00; Go prints NaN and +Inf for every format.
    [1.5, 'E', 64, '1.5E+00'],
    [0.000123, 'E', 64, '1.23E-04'],
    [Number.NaN, 'E', 64, 'NaN'],
    [Number.POSITIVE_INFINITY, 'E', 64, '+Inf'],
    [0, 'e', 64, '0e+00'],
    [-0, 'e', 64, '-0e+00'],
  ];
  for (const [value, fmt, bits, want] of cases)
    test(`FormatFloat(${value}, '${fmt}', -1, ${bits}) = ${want}`, () =>
      assert.equal(formatFloat(value, fmt, bits), want));
});

describe('parseGoFloat', () => {
  const cases: [string, number | undefined][] = [
    ['1', 1],
    ['-1.5e3', -1500],
    ['.5', 0.5],
    ['5.', 5],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-infinity', Number.NEGATIVE_INFINITY],
    ['NaN', Number.NaN],
    // Go reads a sign before inf/infinity only; the copy in conditions/operators accepted "-nan".
    ['-nan', undefined],
    ['+NaN', undefined],
    ['', undefined],
    [' 1', undefined],
    ['1e', undefined],
    ['abc', undefined],
  ];
  for (const [input, want] of cases)
    test(`ParseFloat(${JSON.stringify(input)})`, () => assert.deepEqual(parseGoFloat(input), want));
});
