// Growth inside JMESPath is charged before it is built: join/replace/regex/random doubling chains stop at
// maxValueSize, regex inputs at maxRegexInput, and the work of all searches of a rule at maxJmespathCost.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LimitMeter, type Limits } from '../limits.js';
import { JmespathError, searchJmespath } from './evaluate.js';

function meter(limits: Partial<Limits>): LimitMeter {
  const m = new LimitMeter({ limits });
  m.startRule();
  return m;
}

const names = (limit: string) => (e: unknown) =>
  e instanceof JmespathError && new RegExp(`limit ${limit} \\(`).test(e.message);

describe('JMESPath growth limits', () => {
  test('join over a value and itself (Kyverno CVE-2026-23881) stops at maxValueSize', () => {
    const m = meter({ maxValueSize: 10_000 });
    let v = 'x'.repeat(64);
    const grow = () => {
      v = searchJmespath("join('', [@, @])", v, { meter: m }) as string;
    };
    for (let i = 0; i < 7; i++) grow();
    assert.equal(v.length, 64 * 128);
    assert.throws(grow, names('maxValueSize'));
    assert.equal(m.exceeded?.limit, 'maxValueSize');
  });

  test('one expression doubling many times is refused, not built', () => {
    const expression = `${"join('', [@, @]) | ".repeat(40)}@`;
    assert.throws(() => searchJmespath(expression, 'xx', { meter: meter({}) }), names('maxValueSize'));
  });

  test('replace_all with the whole string as replacement squares it: refused', () => {
    const s = 'a'.repeat(3000);
    assert.throws(
      () => searchJmespath('replace_all(@, `"a"`, @)', s, { meter: meter({ maxValueSize: 1_000_000 }) }),
      names('maxValueSize'),
    );
    assert.equal(searchJmespath("replace_all(@, 'a', 'bb')", 'aXa', { meter: meter({}) }), 'bbXbb');
  });

  test('regex_replace_all growing per match is refused', () => {
    const s = 'a'.repeat(3000);
    assert.throws(
      () =>
        searchJmespath("regex_replace_all('a', @, join('', [@, @]))", s, {
          meter: meter({ maxValueSize: 100_000 }),
        }),
      names('maxValueSize'),
    );
  });

  test('random() with many repeats is refused before building', () => {
    // RE2 caps nested repeat counts at 1000, but a sequence of them multiplies the pattern's length.
    const ctx = { random: () => 0.5, meter: meter({ maxValueSize: 10_000 }) };
    const pattern = 'a{1000}'.repeat(20);
    assert.throws(() => searchJmespath(`random('${pattern}')`, null, ctx), names('maxValueSize'));
    assert.equal((searchJmespath("random('a{5}')", null, { random: () => 0 }) as string).length, 5);
  });

  test('to_string of shared structure is refused before serialising', () => {
    const expression = `to_string(${'[@, @] | '.repeat(30)}@)`;
    assert.throws(() => searchJmespath(expression, 'x', { meter: meter({}) }), names('maxValueSize'));
  });

  test('regular expressions refuse inputs above maxRegexInput', () => {
    const m = () => meter({ maxRegexInput: 100 });
    const long = 'a'.repeat(101);
    for (const expression of [
      "regex_match('a+', @)",
      "regex_replace_all('a', @, 'b')",
      "pattern_match('a*', @)",
    ])
      assert.throws(
        () => searchJmespath(expression, long, { meter: m() }),
        names('maxRegexInput'),
        expression,
      );
    assert.equal(searchJmespath("regex_match('a+', @)", 'a'.repeat(100), { meter: m() }), true);
  });

  test('the work of every search in a rule adds up to maxJmespathCost', () => {
    const m = meter({ maxJmespathCost: 5_000 });
    const data = Array.from({ length: 1000 }, (_, i) => ({ i }));
    searchJmespath('[].i', data, { meter: m });
    assert.throws(() => {
      for (let k = 0; k < 10; k++) searchJmespath('[].i', data, { meter: m });
    }, names('maxJmespathCost'));
    m.startRule();
    searchJmespath('[].i', data, { meter: m });
  });
});
