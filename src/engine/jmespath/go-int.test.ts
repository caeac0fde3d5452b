import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JmespathError } from './errors.js';
import { searchJmespath } from './evaluate.js';
import { fromGoInts, toGoInts } from './go-int.js';

// The object as Kyverno's CLI decodes it after a patch: integers as Go int64, other numbers float64.
const patched = toGoInts({
  replicas: 2,
  ratio: 1.5,
  ports: [{ port: 80 }, { port: 443 }],
  name: 'web',
});

// What go-jmespath answers over such an object (checked through `kyverno apply` with a mutate rule
// and a deny condition per expression, see docs/compat.md): an int64 is not a number to it.
describe('Go integers in JMESPath (a patched object in Kyverno CLI)', () => {
  const answers: [string, unknown][] = [
    ['to_string(replicas)', '2'],
    ['to_string(ports)', '[{"port":80},{"port":443}]'],
    ['to_string(ratio)', '1.5'],
    ['type(ratio)', 'number'],
    ['replicas > `1`', null],
    ['replicas < `1.5`', null],
    ['replicas == `2`', false],
    ['replicas == replicas', true],
    ['ports[0].port == ports[0].port', true],
    ['ports[0] == `{"port": 80}`', false],
    ['ports[?port > `100`]', []],
    ['contains(ports[].port, ports[0].port)', true],
    ['contains(ports[].port, `80`)', false],
    ['!replicas', false],
    ['replicas || `5`', 2],
    ['not_null(replicas)', 2],
    ['to_array(replicas)', [2]],
    ['length(ports)', 2],
    ['sum(ports[:1].port)', 80], // Kyverno's sum: a single item comes back as it is
    ['replicas', 2],
    ['ports', [{ port: 80 }, { port: 443 }]],
  ];
  for (const [expression, expected] of answers) {
    test(expression, () => {
      assert.deepEqual(fromGoInts(searchJmespath(expression, patched)), expected);
    });
  }

  const errors: [string, RegExp][] = [
    ['type(replicas)', /unknown type/],
    ['to_number(replicas)', /unknown type/],
    ['abs(replicas)', /Invalid type for: 2, expected: \[\]jmespath.JpType\{"number"\}/],
    ['ceil(replicas)', /Invalid type for: 2/],
    ['max(ports[].port)', /Invalid type for: \[80 443\]/],
    ['min(ports[].port)', /Invalid type for: \[80 443\]/],
    ['sort(ports[].port)', /Invalid type for: \[80 443\]/],
    ['avg(ports[].port)', /Invalid type for: \[80 443\]/],
    ['sum(ports[].port)', /invalid operand/],
    ['add(replicas, `1`)', /invalid operand/],
    ['multiply(replicas, `2`)', /invalid operand/],
    ['round(replicas, `0`)', /Invalid type for: 2/],
    ["pattern_match('2', replicas)", /Invalid type for: 2/],
    ['sort_by(ports, &port)', /invalid type/],
    ['max_by(ports, &port)', /invalid type/],
    ['min_by(ports, &port)', /invalid type/],
  ];
  for (const [expression, message] of errors) {
    test(`${expression} fails`, () => {
      assert.throws(
        () => searchJmespath(expression, patched),
        (e: unknown) => e instanceof JmespathError && message.test(e.message),
      );
    });
  }
});

describe('toGoInts / fromGoInts', () => {
  test('integral numbers in int64 range become Go integers, others stay numbers', () => {
    assert.deepEqual(toGoInts({ a: [1, -3, 0.5, 2 ** 63, -(2 ** 63), 1e20], b: 'x', c: null, d: true }), {
      a: [1n, -3n, 0.5, 2 ** 63, -(2n ** 63n), 100000000000000000000],
      b: 'x',
      c: null,
      d: true,
    });
  });
  test('fromGoInts gives numbers back, and the same object when there is none', () => {
    const plain = { a: [1, { b: 2 }], c: 'x' };
    assert.equal(fromGoInts(plain), plain);
    assert.deepEqual(fromGoInts(toGoInts(plain)), plain);
  });
  test('keys such as __proto__ stay own keys', () => {
    const data = JSON.parse('{"__proto__": {"x": 1}}');
    const back = fromGoInts(toGoInts(data)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(back), ['__proto__']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, { x: 1 });
  });
});
