// Go's fmt.Sprint / json.Marshal renderings that Kyverno's messages and operators expose.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goFormatFloat, goJsonMarshal, goSprint } from './go-format.js';

describe('go formatting', () => {
  const floats: [number, string][] = [
    [3, '3'],
    [3.14, '3.14'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
  ];
  for (const [n, want] of floats) test(`%v ${n}`, () => assert.equal(goFormatFloat(n), want));
  test('Sprint of maps and lists', () =>
    assert.equal(goSprint({ b: [1, 'x'], a: null }), 'map[a:<nil> b:[1 x]]'));
  test('json.Marshal sorts keys and escapes HTML', () =>
    assert.equal(goJsonMarshal({ z: '<a&b>', a: 1e-7 }), '{"a":1e-07,"z":"\\u003ca\\u0026b\\u003e"}'));
});
