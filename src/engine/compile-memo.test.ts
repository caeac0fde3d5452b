// CompileMemo: pinned artifacts cost evaluation nothing; what evaluation compiles is counted once,
// kept within a bound, and a failure is remembered like a success.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompileMemo } from './compile-memo.js';
import { JmespathError, searchJmespath } from './jmespath/evaluate.js';

describe('CompileMemo', () => {
  test('pinned expressions and their regex literals are found without a miss', () => {
    const memo = new CompileMemo();
    memo.pinJmespath("regex_match('^[a-z]+$', name)");
    memo.pinKindSelector('apps/v1/Deployment');
    const search = () => searchJmespath("regex_match('^[a-z]+$', name)", { name: 'web' }, { memo });
    for (let i = 0; i < 5; i++) assert.equal(search(), true);
    assert.equal(memo.kindSelector('apps/v1/Deployment').group, 'apps');
    assert.deepEqual(memo.misses, { jmespath: 0, regex: 0, kindSelector: 0, cel: 0 });
  });
  test('what evaluation compiles counts one miss per distinct artifact', () => {
    const memo = new CompileMemo();
    for (let i = 0; i < 5; i++) {
      assert.equal(searchJmespath('regex_match(p, name)', { p: '^w', name: 'web' }, { memo }), true);
      memo.kindSelector('Pod');
    }
    assert.deepEqual(memo.misses, { jmespath: 1, regex: 1, kindSelector: 1, cel: 0 });
  });
  test('a failed compile is thrown again on every use, not retried', () => {
    const memo = new CompileMemo();
    let first: unknown;
    try {
      memo.jmespath('a.[');
    } catch (e) {
      first = e;
    }
    assert.ok(first instanceof JmespathError);
    assert.throws(
      () => memo.jmespath('a.['),
      (e) => e === first,
    );
    assert.throws(() => memo.regex('('));
    assert.throws(() => memo.regex('('));
    assert.deepEqual(memo.misses, { jmespath: 1, regex: 1, kindSelector: 0, cel: 0 });
  });
  test('evaluation-time entries are bounded: the oldest goes first, pinned ones stay', () => {
    const memo = new CompileMemo();
    memo.pinJmespath('pinned');
    const first = memo.jmespath('a0');
    for (let i = 1; i <= 600; i++) memo.jmespath(`a${i}`);
    assert.notEqual(memo.jmespath('a0'), first);
    const before = memo.misses.jmespath;
    memo.jmespath('pinned');
    assert.equal(memo.misses.jmespath, before);
  });
  test('without a memo, searchJmespath compiles for the one search', () => {
    assert.equal(searchJmespath('a', { a: 1 }), 1);
  });
});
