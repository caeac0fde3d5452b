import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodingFunctions } from './encoding.js';
import { hashFunctions } from './hashes.js';

function call(name: string, ...args: unknown[]): unknown {
  const entry = [...encodingFunctions, ...hashFunctions].find((e) => e.name === name);
  assert.ok(entry, `no function ${name}`);
  return entry.impl(args, {});
}

const cases: ReadonlyArray<readonly [string, readonly unknown[], unknown]> = [
  [
    'base64_encode',
    ['W0247-4RXD3-6TW0F-0FD63-64EFD-38180'],
    'VzAyNDctNFJYRDMtNlRXMEYtMEZENjMtNjRFRkQtMzgxODA=',
  ],
  [
    'base64_decode',
    ['VzAyNDctNFJYRDMtNlRXMEYtMEZENjMtNjRFRkQtMzgxODA='],
    'W0247-4RXD3-6TW0F-0FD63-64EFD-38180',
  ],
  ['base64_decode', ['bGluZTEKbGluZTI='], 'line1\nline2'],
  ['base64_decode', ['aGVs\r\nbG8='], 'hello'],
  ['base64_decode', [''], ''],
  ['base64_encode', ['héllo'], 'aMOpbGxv'],
  ['parse_json', ['["1001","1002"]'], ['1001', '1002']],
  ['parse_json', ['{"a": {"b": 1.5}}'], { a: { b: 1.5 } }],
  ['parse_json', ['null'], null],
  [
    'parse_yaml',
    [
      'species:\n  dog: lab\n  name: dory\n  color: black\n  height: 15\n  isGoodBoi: false\n  snacks:\n  - chimken\n  - fries\n  - pizza',
    ],
    {
      species: {
        dog: 'lab',
        name: 'dory',
        color: 'black',
        height: 15,
        isGoodBoi: false,
        snacks: ['chimken', 'fries', 'pizza'],
      },
    },
  ],
  ['parse_yaml', ['a: yes\nb: 2001-12-14\nc: "x"'], { a: true, b: '2001-12-14', c: 'x' }],
  ['parse_yaml', ['- 1\n- two'], [1, 'two']],
  ['parse_yaml', [''], null],
  [
    'parse_yaml',
    ['base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2'],
    { base: { x: 1 }, derived: { x: 1, z: 2 } },
  ],
  ['to_boolean', ['true'], true],
  ['to_boolean', ['FalsE'], false],
  ['to_boolean', ['TruE'], true],
  // docs example
  [
    'sha256',
    ['alertmanager-kube-prometheus-stack-alertmanager'],
    '75c07bb807f2d80a85d34880b8af0c5f29f7c27577076ed5d0e4b427dee7dbcc',
  ],
  ['sha256', [''], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['sha1', ['abc'], 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['sha1', [''], 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['md5', ['abc'], '900150983cd24fb0d6963f7d28e17f72'],
  ['md5', [''], 'd41d8cd98f00b204e9800998ecf8427e'],
];

for (const [name, args, expected] of cases) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)})`, () => {
    assert.deepEqual(call(name, ...args), expected);
  });
}

const errors: ReadonlyArray<readonly [string, readonly unknown[], RegExp]> = [
  ['base64_decode', ['abc'], /^JMESPath function 'base64_decode': illegal base64 data at input byte/],
  ['base64_decode', ['ab$c'], /illegal base64 data at input byte 2/],
  ['base64_decode', ['YQ==YQ=='], /illegal base64 data/],
  ['parse_json', ['{"a":'], /^JMESPath function 'parse_json': /],
  ['parse_yaml', ['a: [1'], /^JMESPath function 'parse_yaml': /],
  [
    'to_boolean',
    ['yes'],
    /^JMESPath function 'to_boolean': lowercase argument must be 'true' or 'false' \(provided: 'yes'\)$/,
  ],
];
for (const [name, args, message] of errors) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)}) fails`, () => {
    assert.throws(() => call(name, ...args), { message });
  });
}

test('parse_yaml bounds alias expansion (billion laughs)', () => {
  const doc = ['a: &a [x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    doc.push(
      `${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
    );
  }
  assert.throws(() => call('parse_yaml', doc.join('\n')), /parse_yaml/);
});
