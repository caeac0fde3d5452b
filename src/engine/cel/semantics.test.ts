import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CelEvalError, compileCel } from './compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// cel-spec langdef.md ("Numeric values", "Type conversions", "Equality", "Logical operators") and
// cel-go behaviour for the standard library, as Kubernetes configures it.
describe('type conversions', () => {
  const cases: [string, unknown][] = [
    ['int("123")', 123],
    ['int(-1.9)', -1],
    ['int(2.9)', 2],
    ['int(42u)', 42],
    ['int(timestamp("2023-01-01T00:00:00Z"))', 1672531200],
    ['uint(42)', 42],
    ['uint(1.5)', 1],
    ['uint("42")', 42],
    ['double(5)', 5],
    ['double(5u)', 5],
    ['double("1e3")', 1000],
    ['double("-Infinity") < 0.0', true],
    ['string(123)', '123'],
    ['string(-4)', '-4'],
    ['string(5u)', '5'],
    ['string(true)', 'true'],
    ['string(1.5)', '1.5'],
    ['string(1.0)', '1'],
    ['string(123456.0)', '123456'],
    ['string(1234567.0)', '1.234567e+06'],
    ['string(1e20)', '1e+20'],
    ['string(0.0001)', '0.0001'],
    ['string(0.000001)', '1e-06'],
    ['string(-0.0)', '-0'],
    ['string(b"abc")', 'abc'],
    ['string(duration("1h30m"))', '5400s'],
    ['string(duration("1.5s"))', '1.5s'],
    ['string(duration("-1.5s"))', '-1.5s'],
    ['string(duration("0.5s") - duration("1s"))', '-0.5s'],
    ['string(duration("1h") - duration("1h30m"))', '-1800s'],
    ['string(duration("1ms"))', '0.001s'],
    ['string(timestamp("2023-01-01T10:00:00Z"))', '2023-01-01T10:00:00Z'],
    ['string(timestamp("2023-01-01T10:00:00.5Z"))', '2023-01-01T10:00:00.5Z'],
    ['bytes("abc") == b"abc"', true],
    ['type(1) == int', true],
    ['type(1u) == uint', true],
    ['type(1.0) == double', true],
    ['type("") == string', true],
    ['type(b"") == bytes', true],
    ['type([]) == list', true],
    ['type({}) == map', true],
    ['type(null) == null_type', true],
    ['type(true) == bool', true],
    ['type(duration("1s")) == google.protobuf.Duration', true],
    ['type(timestamp("2023-01-01T00:00:00Z")) == google.protobuf.Timestamp', true],
    ['type(type(1)) == type', true],
    ['dyn(1) + 2', 3],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));

  const errors: [string, RegExp][] = [
    ['int("9223372036854775808")', /cannot convert to int/],
    ['int("abc")', /cannot convert to int/],
    ['int(9223372036854775807.0)', /integer overflow/],
    ['int(1e19)', /integer overflow/],
    ['int(-1e19)', /integer overflow/],
    ['int(18446744073709551615u)', /integer overflow/],
    ['int(double("NaN"))', /integer overflow/],
    ['uint(-1)', /cannot convert to uint/],
    ['uint(-1.5)', /unsigned integer overflow/],
    ['uint(1e20)', /unsigned integer overflow/],
    ['double("abc")', /cannot convert to double/],
    ['string(b"\\xff")', /invalid UTF-8/],
  ];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
});

describe('int64 / uint64 arithmetic overflow is an error', () => {
  const errors: [string, RegExp][] = [
    ['9223372036854775807 + 1', /overflow/],
    ['-9223372036854775808 - 1', /overflow/],
    ['9223372036854775807 * 2', /overflow/],
    ['-9223372036854775808 / -1', /overflow/],
    ['-(-9223372036854775807 - 1)', /overflow/],
    ['18446744073709551615u + 1u', /overflow/],
    ['0u - 1u', /overflow/],
    ['1 / 0', /division by zero/],
    ['1 % 0', /modulo by zero/],
    ['object.big + 1', /overflow/],
  ];
  for (const [expr, want] of errors) {
    test(`${expr} fails`, () => assert.throws(() => run(expr, { big: 9223372036854775807n }), want));
  }
  const cases: [string, unknown][] = [
    ['-9223372036854775808', -9223372036854775808n],
    ['9223372036854775807 - 1 + 1', 9223372036854775807n],
    ['-7 / 2', -3],
    ['-7 % 2', -1],
    ['7.0 / 0.0 > 1e308', true],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
});

describe('durations and timestamps', () => {
  const cases: [string, unknown][] = [
    ['duration("1h") + duration("30m") == duration("90m")', true],
    ['duration("1h30m").getMinutes()', 90],
    ['duration("3723s").getHours()', 1],
    ['duration("1.5s").getMilliseconds()', 1500],
    ['duration("1h") < duration("2h")', true],
    ['duration("-1h") < duration("0s")', true],
    ['timestamp("2023-01-01T00:00:00Z") + duration("24h") == timestamp("2023-01-02T00:00:00Z")', true],
    ['timestamp("2023-01-02T00:00:00Z") - timestamp("2023-01-01T00:00:00Z") == duration("24h")', true],
    ['timestamp("2023-01-01T00:00:00Z") - duration("1h") < timestamp("2023-01-01T00:00:00Z")', true],
    ['timestamp("2023-01-15T14:30:45Z").getFullYear()', 2023],
    ['timestamp("2023-01-15T14:30:45Z").getMonth()', 0],
    ['timestamp("2023-01-15T14:30:45Z").getDate()', 15],
    ['timestamp("2023-01-15T14:30:45Z").getDayOfMonth()', 14],
    ['timestamp("2023-01-15T14:30:45Z").getDayOfWeek()', 0],
    ['timestamp("2023-01-15T14:30:45Z").getDayOfYear()', 14],
    ['timestamp("2023-01-15T14:30:45Z").getHours()', 14],
    ['timestamp("2023-01-15T14:30:45Z").getHours("America/New_York")', 9],
    ['timestamp("2023-01-15T14:30:45Z").getMinutes()', 30],
    ['timestamp("2023-01-15T14:30:45Z").getSeconds()', 45],
    ['timestamp("2023-01-01T00:00:00+01:00") == timestamp("2022-12-31T23:00:00Z")', true],
    ['timestamp(1672531200) == timestamp("2023-01-01T00:00:00Z")', true],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
  const errors: [string, RegExp][] = [
    ['duration("1d")', /duration/i],
    ['timestamp("not a time")', /timestamp/],
  ];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
});

describe('heterogeneous equality and cross-type numeric comparison', () => {
  const cases: [string, unknown][] = [
    ['dyn(1) == dyn(1.0)', true],
    ['dyn(1) == dyn(1u)', true],
    ['dyn(1u) == dyn(1.0)', true],
    ['dyn(1) == dyn("1")', false],
    ['dyn(1) != dyn("a")', true],
    ['[dyn(1)] == [dyn(1.0)]', true],
    ["{'a': dyn(1)} == {'a': dyn(1.0)}", true],
    ['dyn(1) in [dyn(1.0)]', true],
    ['object.n == 1', true],
    ['object.n == 1.0', true],
    ['object.n == 1u', true],
    ['object.n == "1"', false],
    ['object.l == [1.0, 2.0]', true],
    ['null == null', true],
    ['object.missing == null', false],
    ["double('NaN') == double('NaN')", false],
    ['1 < 1.5', true],
    ['2u > 1', true],
    ['1.5 >= 1u', true],
    ['-1 < 0u', true],
    ['1 <= 1.0', true],
    ["'a' < 'b'", true],
    ["b'a' < b'b'", true],
    ["b'ab' >= b'a'", true],
    ['optional.of(1) == optional.of(1)', true],
    ['optional.of(1) == optional.none()', false],
    ['optional.none() == optional.none()', true],
    ['object.?n == optional.of(1)', true],
    ['false < true', true],
  ];
  for (const [expr, want] of cases) {
    test(expr, () => assert.deepEqual(run(expr, { n: 1, l: [1, 2], missing: 'x' }), want));
  }
  for (const expr of ['1 == 1.0', "1 == 'a'", '1 in [1.0]']) {
    test(`${expr} does not type-check`, () =>
      assert.throws(() => compileCel(expr, { variables: [] }), /overload/));
  }
});

describe('logical operators: error absorption is commutative', () => {
  const cases: [string, unknown][] = [
    ['false && (1 / 0 == 1)', false],
    ['(1 / 0 == 1) && false', false],
    ['true || (1 / 0 == 1)', true],
    ['(1 / 0 == 1) || true', true],
    ['object.missing.x == 1 || true', true],
    ['true || object.missing.x == 1', true],
    ['object.missing.x == 1 && false', false],
    ['[0, 1].exists(x, 1 / x > 0)', true],
    ['[0, 1].all(x, 1 / x > 2)', false],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr, {}), want));
  const errors: [string, RegExp][] = [
    ['(1 / 0 == 1) && true', /division by zero/],
    ['true && (1 / 0 == 1)', /division by zero/],
    ['(1 / 0 == 1) || false', /division by zero/],
    ['false || (1 / 0 == 1)', /division by zero/],
    ['!(1 / 0 == 1)', /division by zero/],
    ['(1 / 0 == 1) ? 1 : 2', /division by zero/],
    ['[0, 1].all(x, 1 / x > 0)', /division by zero/],
    ['[0, 1].exists_one(x, 1 / x > 0)', /division by zero/],
    ['object.missing.x', /no such key/],
  ];
  for (const [expr, want] of errors) {
    test(`${expr} fails`, () =>
      assert.throws(
        () => run(expr, {}),
        (e: unknown) => e instanceof CelEvalError && want.test(e.message),
      ));
  }
});
