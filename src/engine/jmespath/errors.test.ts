import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isNotFound, JmespathError, notFoundError } from './errors.js';
import { searchJmespath } from './evaluate.js';

describe('notFoundError', () => {
  test("carries the fork's message and code", () => {
    const e = notFoundError('image');
    assert.ok(e instanceof JmespathError);
    assert.equal(e.code, 'not-found');
    assert.equal(e.message, 'Unknown key "image" in path');
    assert.ok(isNotFound(e));
  });

  test('leaves Error.stackTraceLimit as it found it, and other errors keep their stack', () => {
    const before = Error.stackTraceLimit;
    notFoundError('x');
    assert.equal(Error.stackTraceLimit, before);
    assert.match(new JmespathError('syntax', 'bad').stack ?? '', /\n\s+at /);
  });

  test('a missing key still surfaces with its message through evaluation', () => {
    assert.throws(() => searchJmespath('spec.missing', { spec: {} }), /Unknown key "missing" in path/);
    assert.equal(searchJmespath("spec.missing || 'dflt'", { spec: {} }), 'dflt');
  });
});
