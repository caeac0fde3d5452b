import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RE2JS } from 're2js';
import { randomFunctions } from './random.js';
import type { FunctionContext } from './types.js';

/** A deterministic LCG in [0, 1). */
function seeded(seed: number): FunctionContext {
  let s = seed;
  return {
    random: () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    },
  };
}

const call = (pattern: string, ctx: FunctionContext): unknown => randomFunctions[0]?.impl([pattern], ctx);

const patterns = [
  '[0-9a-z]{5}', // docs
  '[A-Z0-9]{8}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{12}', // docs
  '[a-z0-9]{6}', // docs
  '[0-9]{1,6}',
  'ab+c?d*',
  '(foo|bar)-\\d{3}',
  '^x[^a-z]{2,4}y$',
  '(?:a|b)(?P<n>c)\\w\\s\\.',
];
for (const pattern of patterns) {
  test(`random(${pattern}) matches its pattern`, () => {
    for (let seed = 1; seed <= 25; seed++) {
      const out = call(pattern, seeded(seed));
      assert.equal(typeof out, 'string');
      assert.ok(
        RE2JS.compile(`^(?:${pattern.replace(/^\^|\$$/g, '')})$`).test(out as string),
        `${String(out)} !~ ${pattern}`,
      );
    }
  });
}

test('random is deterministic for a given source', () => {
  assert.equal(call('[a-z]{12}', seeded(7)), call('[a-z]{12}', seeded(7)));
  assert.notEqual(call('[a-z]{12}', seeded(7)), call('[a-z]{12}', seeded(8)));
});

test('random errors', () => {
  assert.throws(() => call('', seeded(1)), { message: "JMESPath function 'random': no pattern provided" });
  assert.throws(() => call('[a-z]', {}), /JMESPath function 'random': no source of randomness/);
  assert.throws(() => call('(abc', seeded(1)), /JMESPath function 'random': error parsing regexp/);
  assert.throws(() => call('\\pL', seeded(1)), /JMESPath function 'random': unsupported pattern/);
});
