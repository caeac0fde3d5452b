// Go's json.Marshal rendering that variable substitution exposes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goJsonMarshal } from './go-format.js';

describe('go formatting', () => {
  test('json.Marshal sorts keys and escapes HTML', () =>
    assert.equal(goJsonMarshal({ z: '<a&b>', a: 1e-7 }), '{"a":1e-07,"z":"\\u003ca\\u0026b\\u003e"}'));
});
