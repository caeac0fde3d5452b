import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JmespathError } from './errors.js';
import { formatJmespathAst } from './evaluate.js';
import { MAX_AST_DEPTH, parseJmespath } from './parser.js';

describe('parser: 2015 grammar accepted', () => {
  const cases: [string, string][] = [
    ['foo.bar', 'Subexpression\n  left: Field "foo"\n  right: Field "bar"'],
    ['"foo bar"', 'Field "foo bar"'],
    ['foo[0]', 'IndexExpression\n  left: Field "foo"\n  right: Index 0'],
    [
      'foo[-1:]',
      'Projection\n  left: IndexExpression\n    left: Field "foo"\n    right: Slice -1::\n  right: Identity',
    ],
    ['foo[*].bar', 'Projection\n  left: Field "foo"\n  right: Field "bar"'],
    ['foo[]', 'Projection\n  left: Flatten\n    Field "foo"\n  right: Identity'],
    ['*.a', 'ValueProjection\n  left: Identity\n  right: Field "a"'],
    [
      "foo[?a == 'x']",
      'FilterProjection\n  left: Field "foo"\n  condition: Comparator ==\n    left: Field "a"\n    right: Literal "x"\n  right: Identity',
    ],
    [
      'a || b && !c',
      'Or\n  left: Field "a"\n  right: And\n    left: Field "b"\n    right: Not\n      Field "c"',
    ],
    ['a | b', 'Pipe\n  left: Field "a"\n  right: Field "b"'],
    ['[a, b]', 'MultiSelectList\n  Field "a"\n  Field "b"'],
    ['{x: a, "y z": b}', 'MultiSelectHash\n  x: Field "a"\n  y z: Field "b"'],
    // Kyverno's go-jmespath reads the next key when a pair is followed by neither `,` nor `}`.
    ['{x: a y: b}', 'MultiSelectHash\n  x: Field "a"\n  y: Field "b"'],
    [
      "{op: 'add' path: join('/', [p, 'x'])}",
      'MultiSelectHash\n  op: Literal "add"\n  path: Function join\n    Literal "/"\n    MultiSelectList\n      Field "p"\n      Literal "x"',
    ],
    ['sort_by(@, &name)', 'Function sort_by\n  Current\n  ExpressionReference\n    Field "name"'],
    ['`{"a": [1, true]}`', 'Literal {"a":[1,true]}'],
    ["'raw \\' str'", `Literal "raw ' str"`],
    [
      '(a || b).c',
      'Subexpression\n  left: Or\n    left: Field "a"\n    right: Field "b"\n  right: Field "c"',
    ],
  ];
  for (const [expression, tree] of cases) {
    test(expression, () => assert.equal(formatJmespathAst(expression), tree));
  }
});

describe('parser: rejects what the 2015 grammar lacks', () => {
  const cases: string[] = [
    'a + b', // arithmetic
    'a - b',
    'a * b',
    '$.a', // root reference
    'let $x = a in $x', // let expressions
    'a ? b : c', // ternary
    'a.', // dangling dot
    'a[', // unclosed bracket
    'foo[?a == ]',
    '{}',
    '`not json`', // 2015 go-jmespath: literals must be JSON
    '"foo"(@)', // quoted function name
    'a = b',
    "'unterminated",
    'foo[::0]', // zero step
    'a b',
    '{x: a,}', // a trailing comma still needs a key
    '{x: a', // unclosed
    '{x: a 1}', // the next key must be a name
    '[a b]', // a multi-select list still needs its commas
  ];
  for (const expression of cases) {
    test(expression, () => {
      assert.throws(
        () => parseJmespath(expression),
        (e: unknown) =>
          e instanceof JmespathError && e.code === 'syntax' && e.message.startsWith('SyntaxError:'),
      );
    });
  }
});

describe('parser: depth bound', () => {
  test('left-deep chains beyond the limit are syntax errors, not stack overflows', () => {
    const chain = Array.from({ length: MAX_AST_DEPTH + 5 }, () => 'a').join('.');
    assert.throws(
      () => parseJmespath(chain),
      (e: unknown) => e instanceof JmespathError && e.code === 'syntax',
    );
  });
  test('right-deep nesting beyond the limit is a syntax error', () => {
    const nested = `${'!'.repeat(MAX_AST_DEPTH + 5)}a`;
    assert.throws(
      () => parseJmespath(nested),
      (e: unknown) => e instanceof JmespathError && e.code === 'syntax',
    );
  });
  test('deep but bounded expressions parse', () => {
    assert.doesNotThrow(() => parseJmespath(Array.from({ length: 200 }, () => 'a').join('.')));
  });
});
