import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regexFunctions } from './regex.js';
import { JmespathFunctionError } from './types.js';

function call(name: string, ...args: unknown[]): unknown {
  const entry = regexFunctions.find((e) => e.name === name);
  assert.ok(entry, `no function ${name}`);
  return entry.impl(args, {});
}

const cases: ReadonlyArray<readonly [string, readonly unknown[], unknown]> = [
  // kyverno.io docs examples
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax, not a template
  ['regex_replace_all', ['([0-9])([0-9])', 'hello im 42 months old', '${1}1'], 'hello im 41 months old'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax, not a template
  ['regex_replace_all', ['([0-9])([0-9])', 'days_37', '${1}0'], 'days_30'],
  [
    'regex_replace_all',
    ['^docker.io/(.*)$', 'docker.io/nginx:latest', 'harbor.corp.org/$1'],
    'harbor.corp.org/nginx:latest',
  ],
  // Go expansion rules: `$1x` names group "1x" (empty), `$$` is a dollar, unknown names vanish
  ['regex_replace_all', ['(a)', 'a', '$1x'], ''],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax, not a template
  ['regex_replace_all', ['(a)', 'a', '${1}x'], 'ax'],
  ['regex_replace_all', ['(a)', 'a', '$$1'], '$1'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax, not a template
  ['regex_replace_all', ['(?P<word>b+)', 'abbc', '<${word}>'], 'a<bb>c'],
  ['regex_replace_all', ['(?P<word>b+)', 'abbc', '<$nope>'], 'a<>c'],
  ['regex_replace_all', ['(a)', 'a', '$'], '$'],
  // Go's empty-match handling
  ['regex_replace_all', ['a*', 'baaac', 'X'], 'XbXcX'],
  ['regex_replace_all', ['', 'ab', '-'], '-a-b-'],
  // numbers are formatted with float32 precision
  ['regex_replace_all', ['\\.', 1.5, ','], '1,5'],
  ['regex_replace_all', ['^(\\d+)$', 12, 34], '34'],
  ['regex_replace_all', ['0', 0.1, '0'], '0.1'],
  ['regex_replace_all_literal', ['^(\\d{3}-?\\d{2}-?\\d{4})$', '123-45-6789', 'redacted'], 'redacted'],
  [
    'regex_replace_all_literal',
    ['^[^/]+', 'docker.io/nginx:latest', 'myregistry.corp.com'],
    'myregistry.corp.com/nginx:latest',
  ],
  ['regex_replace_all_literal', ['(a)', 'xa', '$1'], 'x$1'],
  ['regex_match', ['^[1-7]$', 1], true],
  ['regex_match', ['^[1-7]$', '1'], true],
  ['regex_match', ['^[1-7]$', '8'], false],
  ['regex_match', ['b', 'abc'], true], // unanchored
  ['regex_match', ['^1.5$', 1.5], true],
  ['pattern_match', ['158-7?-4*', '158-73-417'], true],
  ['pattern_match', ['158-6?-3*', '158-73-417'], false],
  ['pattern_match', ['1*', 123], true],
  ['pattern_match', ['*', ''], true],
];

for (const [name, args, expected] of cases) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)})`, () => {
    assert.deepEqual(call(name, ...args), expected);
  });
}

test('an invalid regex is an error naming the function', () => {
  assert.throws(
    () => call('regex_match', '(abc', 'abc'),
    (e: unknown) =>
      e instanceof JmespathFunctionError &&
      e.message === "JMESPath function 'regex_match': error parsing regexp: missing closing ): `(abc`",
  );
  assert.throws(() => call('regex_replace_all', 'a**', 'a', 'b'), /invalid nested repetition operator/);
});

test('non string/number operands are rejected with Kyverno wording', () => {
  assert.throws(
    () => call('regex_replace_all', 'a', null, 'b'),
    /JMESPath function 'regex_replace_all': argument #2 is not of type String or Real/,
  );
});

test('RE2 has no backtracking: catastrophic patterns run in linear time', () => {
  assert.equal(call('regex_match', '^(a+)+$', `${'a'.repeat(5000)}!`), false);
});
