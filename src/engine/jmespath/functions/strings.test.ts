import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringFunctions } from './strings.js';

function call(name: string, ...args: unknown[]): unknown {
  const entry = stringFunctions.find((e) => e.name === name);
  assert.ok(entry, `no function ${name}`);
  return entry.impl(args, {});
}

const cases: ReadonlyArray<readonly [string, readonly unknown[], unknown]> = [
  // kyverno.io docs examples
  ['compare', ['a', 'a'], 0],
  ['compare', ['a', 'b'], -1],
  ['compare', ['b', 'a'], 1],
  ['compare', ['\uffff', '😀'], -1], // UTF-8 byte order, not UTF-16
  ['equal_fold', ['pizza', 'Pizza'], true],
  ['equal_fold', ['pizza', 'pIzZa'], true],
  ['equal_fold', ['pizza', 'APPLE'], false],
  ['equal_fold', ['Straße', 'STRASSE'], false],
  [
    'replace',
    ['Lorem ipsum dolor sit amet foo ipsum bar ipsum', 'ipsum', 'muspi', 2],
    'Lorem muspi dolor sit amet foo muspi bar ipsum',
  ],
  ['replace', ['aaa', 'a', 'b', -1], 'bbb'],
  ['replace', ['aaa', 'a', 'b', 0], 'aaa'],
  ['replace', ['abc', '', '-', -1], '-a-b-c-'],
  ['replace', ['abc', '', '-', 2], '-a-bc'],
  ['replace', ['/cart/cart', '/cart', '/shoppingcart', 1], '/shoppingcart/cart'],
  ['replace_all', ['Lorem ipsum dolor sit amet', 'ipsum', 'muspi'], 'Lorem muspi dolor sit amet'],
  ['replace_all', ['a.b.c', '.', '-'], 'a-b-c'],
  ['to_upper', ['deploy-zone'], 'DEPLOY-ZONE'],
  ['to_upper', ['straße'], 'STRAßE'],
  ['to_lower', ['ZoneKey'], 'zonekey'],
  ['to_lower', ['ÀB'], 'àb'],
  ['trim', ['¡¡¡Hello, Gophers!!!', '!¡'], 'Hello, Gophers'],
  ['trim', ['foocorpcom', 'mo'], 'foocorpc'],
  ['trim', ['foocorpcom', 'o'], 'foocorpcom'],
  ['trim', ['foocorpcom', 'mcof'], 'rp'],
  ['trim', ['  x  ', ''], '  x  '],
  [
    'trim_prefix',
    ['docker://kubevirt/fedora-cloud-registry-disk-demo', 'docker://'],
    'kubevirt/fedora-cloud-registry-disk-demo',
  ],
  ['trim_prefix', ['abc', 'x'], 'abc'],
  ['split', ['cat,dog,horse', ','], ['cat', 'dog', 'horse']],
  ['split', ['/foo/bar', '/'], ['', 'foo', 'bar']],
  ['split', ['héllo', ''], ['h', 'é', 'l', 'l', 'o']],
  ['split', ['', ','], ['']],
  ['split', ['', ''], []],
  ['truncate', ['foobar', 3], 'foo'],
  ['truncate', ['foobar', 12], 'foobar'],
  ['truncate', ['foobar', -1], ''],
  ['truncate', ['日本語テキスト', 2], '日本'],
  ['truncate', ['foobar', 2.9], 'fo'],
];

for (const [name, args, expected] of cases) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)})`, () => {
    assert.deepEqual(call(name, ...args), expected);
  });
}

test('string family has the expected names', () => {
  assert.deepEqual(
    stringFunctions.map((e) => e.name),
    [
      'compare',
      'equal_fold',
      'replace',
      'replace_all',
      'to_upper',
      'to_lower',
      'trim',
      'trim_prefix',
      'split',
      'truncate',
    ],
  );
});
