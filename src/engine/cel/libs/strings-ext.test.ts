import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// cel-go ext strings v2 (ext/README.md "Strings") and kubernetes.io CEL examples.
describe('strings ext v2 functions', () => {
  const cases: [string, unknown][] = [
    ['"hello".charAt(1)', 'e'],
    ['"hello".charAt(5)', ''],
    ['"hello mellow".indexOf("")', 0],
    ['"hello mellow".indexOf("ello")', 1],
    ['"hello mellow".indexOf("jello")', -1],
    ['"hello mellow".indexOf("", 2)', 2],
    ['"hello mellow".indexOf("ello", 2)', 7],
    ['"hello mellow".lastIndexOf("")', 12],
    ['"hello mellow".lastIndexOf("ello")', 7],
    ['"hello mellow".lastIndexOf("jello")', -1],
    ['"hello mellow".lastIndexOf("ello", 6)', 1],
    ['"TacoCat".lowerAscii()', 'tacocat'],
    ['"TacoCÆt Xii".lowerAscii()', 'tacocÆt xii'.replace('Æ', 'Æ')],
    ['"TacoCat".upperAscii()', 'TACOCAT'],
    ['"hello hello".replace("he", "we")', 'wello wello'],
    ['"hello hello".replace("he", "we", -1)', 'wello wello'],
    ['"hello hello".replace("he", "we", 1)', 'wello hello'],
    ['"hello hello".replace("he", "we", 0)', 'hello hello'],
    ['"hello hello".replace("", "_")', '_h_e_l_l_o_ _h_e_l_l_o_'],
    ['"hello world".split(" ")', ['hello', 'world']],
    ['"hello world events!".split(" ", 0)', []],
    ['"hello world events!".split(" ", 1)', ['hello world events!']],
    ['"hello world events!".split(" ", 2)', ['hello', 'world events!']],
    ['"hello world events!".split(" ", -1)', ['hello', 'world', 'events!']],
    ['"tacocat".substring(4)', 'cat'],
    ['"tacocat".substring(0, 4)', 'taco'],
    ['"  \\ttrim\\n    ".trim()', 'trim'],
    ['["hello", "mellow"].join()', 'hellomellow'],
    ['["hello", "mellow"].join(" ")', 'hello mellow'],
    ['[].join("/")', ''],
    ['strings.quote("single-quote with \\"double quote\\"")', '"single-quote with \\"double quote\\""'],
    ['strings.quote("two escape sequences \\a\\n")', '"two escape sequences \\a\\n"'],
    ['strings.quote("a\\nb")', '"a\\nb"'],
    ['"gums".reverse()', 'smug'],
    ['"John Smith".reverse()', 'htimS nhoJ'],
    ['"TacoCat".lowerAscii() == "tacocat"', true],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));

  const errors: [string, RegExp][] = [
    ['"hello".charAt(6)', /index out of range: 6/],
    ['"hello".charAt(-1)', /index out of range: -1/],
    ['"tacocat".substring(40)', /out of range/],
  ];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
});

// string.format: the cel-go strings-v2 formatter (ext/formatting.go) table, en_US locale.
describe('string.format', () => {
  const cases: [string, string, unknown?][] = [
    ['"no substitution".format([])', 'no substitution'],
    ['"str is %s and some more".format(["filler"])', 'str is filler and some more'],
    ['"%% and also %%".format([])', '% and also %'],
    ['"%%%s%%".format(["text"])', '%text%'],
    ['"%d %d %d, %s %s %s".format([1, 2, 3, "A", "B", "C"])', '1 2 3, A B C'],
    ['"\\u0025\\u0025escaped \\u0025s\\u0025\\u0025".format(["percent"])', '%escaped percent%'],
    ['"%.3f".format([1.2345])', '1.235'],
    ['"%.2f".format([3.14159])', '3.14'],
    ['"%f".format([2.71828])', '2.718280'],
    ['"%.0f".format([2.7])', '3'],
    ['"%f".format([1234.5])', '1,234.500000'],
    ['"%f".format(["NaN"])', 'NaN'],
    ['"%f".format(["Infinity"])', '\u221e'],
    ['"%f".format(["-Infinity"])', '-\u221e'],
    ['"%.6e".format([1052.032911275])', '1.052033e+03'],
    ['"%e".format([2.71828])', '2.718280e+00'],
    ['"%.1e".format([-3.14])', '-3.1e+00'],
    ['"this is 5 in binary: %b".format([5])', 'this is 5 in binary: 101'],
    ['"unsigned 64 in binary: %b".format([uint(64)])', 'unsigned 64 in binary: 1000000'],
    ['"bit set from bool: %b".format([true])', 'bit set from bool: 1'],
    ['"%b".format([false])', '0'],
    ['"%o".format([11])', '13'],
    ['"this is an unsigned octal: %o".format([uint(65535)])', 'this is an unsigned octal: 177777'],
    ['"%x is 20 in hexadecimal".format([30])', '1e is 20 in hexadecimal'],
    ['"%X is 20 in hexadecimal".format([30])', '1E is 20 in hexadecimal'],
    ['"%X is 6000 in hexadecimal".format([uint(6000)])', '1770 is 6000 in hexadecimal'],
    ['"%x".format([-10])', '-a'],
    ['"%x".format(["Hello world!"])', '48656c6c6f20776f726c6421'],
    ['"%X".format(["Hello world!"])', '48656C6C6F20776F726C6421'],
    ['"%x".format([b"byte string"])', '6279746520737472696e67'],
    ['"%X".format([b"byte string"])', '6279746520737472696E67'],
    ['"%d".format([uint(64)])', '64'],
    ['"null: %s".format([null])', 'null: null'],
    ['"some bytes: %s".format([b"xyz"])', 'some bytes: xyz'],
    ['"type is %s".format([type("test string")])', 'type is string'],
    ['"%s".format([timestamp("2023-02-03T23:31:20+00:00")])', '2023-02-03T23:31:20Z'],
    ['"%s".format([duration("1h45m47s")])', '6347s'],
    [
      '"%s".format([["abc", 3.14, null, [9, 8, 7, 6], timestamp("2023-02-03T23:31:20Z")]])',
      '["abc", 3.140000, null, [9, 8, 7, 6], timestamp("2023-02-03T23:31:20Z")]',
    ],
    [
      '"%s".format([{"key1": b"xyz", "key5": null, "key2": duration("2h"), "key4": true, "key3": 2.71828}])',
      '{"key1":b"xyz", "key2":duration("7200s"), "key3":2.718280, "key4":true, "key5":null}',
    ],
    ['"true bool: %s, false bool: %s".format([true, false])', 'true bool: true, false bool: false'],
    ['"%s %s".format([1.0, 2.5])', '1 2.5'],
    ['"%s".format([uint(3)])', '3'],
    ['"dynamic string: %s".format([object.s])', 'dynamic string: a string', { s: 'a string' }],
    [
      '"dynIntStr: %s dynDoubleStr: %s".format([object.i, object.d])',
      'dynIntStr: 32 dynDoubleStr: 56.8',
      { i: 32, d: 56.8 },
    ],
    ['"dynamic hex int: %x".format([object.i])', 'dynamic hex int: 16', { i: 22 }],
    ['"dynamic double: %.3f".format([object.d])', 'dynamic double: 4.500', { d: 4.5 }],
    [
      '"dyntype list: %s".format([object.l])',
      'dyntype list: [6, 4.200000, "a string"]',
      { l: [6, 4.2, 'a string'] },
    ],
  ];
  for (const [expr, want, object] of cases) test(expr, () => assert.deepEqual(run(expr, object ?? {}), want));

  const errors: [string, RegExp][] = [
    ['"%a".format([1])', /could not parse formatting clause: unrecognized formatting clause "a"/],
    ['"%d %d %d".format([0, 1])', /index 2 out of range/],
    ['"%".format([1])', /unexpected end of string/],
    [
      '"string is %b".format(["abc"])',
      /only integers and bools can be formatted as binary, was given string/,
    ],
    [
      '"%d".format([duration("30m2s")])',
      /decimal clause can only be used on integers, was given google.protobuf.Duration/,
    ],
    ['"%d".format([3.14])', /decimal clause can only be used on integers, was given double/],
    ['"octal: %o".format(["a string"])', /octal clause can only be used on integers, was given string/],
    [
      '"double is %x".format([0.5])',
      /only integers, byte buffers, and strings can be formatted as hex, was given double/,
    ],
    ['"double is %E".format([0.5])', /unrecognized formatting clause "E"/],
    ['"null: %d".format([null])', /decimal clause can only be used on integers, was given null_type/],
    ['"null: %e".format([null])', /scientific clause can only be used on doubles, was given null_type/],
    ['"null: %f".format([null])', /fixed-point clause can only be used on doubles, was given null_type/],
    ['"%f".format([1])', /fixed-point clause can only be used on doubles, was given int/],
    ['"null: %x".format([null])', /can be formatted as hex, was given null_type/],
    ['"null: %b".format([null])', /formatted as binary, was given null_type/],
    ['"null: %o".format([null])', /octal clause can only be used on integers, was given null_type/],
  ];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
});
