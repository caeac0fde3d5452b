import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectFunctions } from './objects.js';
import { pathFunctions } from './paths.js';

function call(name: string, ...args: unknown[]): unknown {
  const entry = [...objectFunctions, ...pathFunctions].find((e) => e.name === name);
  assert.ok(entry, `no function ${name}`);
  return entry.impl(args, {});
}

const cases: ReadonlyArray<readonly [string, readonly unknown[], unknown]> = [
  // kyverno.io docs examples
  ['lookup', [{ key1: 'value1', key2: 'value2' }, 'key2'], 'value2'],
  ['lookup', [['item0', 'item1', 'item2'], 1], 'item1'],
  ['lookup', [{ a: 1 }, 'missing'], null],
  [
    'lookup',
    [
      { 'container.apparmor.security.beta.kubernetes.io/c': 'x' },
      'container.apparmor.security.beta.kubernetes.io/c',
    ],
    'x',
  ],
  ['lookup', [['a'], 5], null],
  ['lookup', [['a'], -1], null],
  [
    'items',
    [{ team: 'apple', organization: 'banana' }, 'key', 'value'],
    [
      { key: 'organization', value: 'banana' },
      { key: 'team', value: 'apple' },
    ],
  ],
  [
    'items',
    [[{ team: 'apple' }, { organization: 'banana' }], 'key', 'value'],
    [
      { key: 0, value: { team: 'apple' } },
      { key: 1, value: { organization: 'banana' } },
    ],
  ],
  ['items', [{}, 'k', 'v'], []],
  [
    'object_from_lists',
    [
      ['KEY', 'endpoint'],
      ['123-456-789', 'licensing.corp.org'],
    ],
    { KEY: '123-456-789', endpoint: 'licensing.corp.org' },
  ],
  ['object_from_lists', [['a', 'b'], [1]], { a: 1, b: null }],
  [
    'object_from_lists',
    [
      [1.5, true],
      ['x', 'y', 'z'],
    ],
    { '1.5': 'x', true: 'y' },
  ],
  [
    'label_match',
    [
      { dog: 'lab', color: 'tan' },
      { color: 'tan', dog: 'lab' },
    ],
    true,
  ],
  [
    'label_match',
    [
      { dog: 'lab', color: 'tan' },
      { color: 'tan', weight: 'chonky', dog: 'lab' },
    ],
    true,
  ],
  [
    'label_match',
    [
      { dog: 'lab', color: 'tan' },
      { color: 'black', dog: 'lab' },
    ],
    false,
  ],
  ['label_match', [{}, { a: 'b' }], true],
  ['label_match', [{ a: 'b' }, {}], false],
  // path_canonicalize (Go filepath.Join on Linux)
  ['path_canonicalize', ['/var//lib///kubelet'], '/var/lib/kubelet'],
  [
    'path_canonicalize',
    ['/var/run/containerd/../containerd/./containerd.sock'],
    '/var/run/containerd/containerd.sock',
  ],
  ['path_canonicalize', ['/../etc/passwd'], '/etc/passwd'],
  ['path_canonicalize', ['a/../..'], '..'],
  ['path_canonicalize', ['foo/'], 'foo'],
  ['path_canonicalize', ['.'], '.'],
  ['path_canonicalize', [''], ''],
];

for (const [name, args, expected] of cases) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)})`, () => {
    assert.deepEqual(call(name, ...args), expected);
  });
}

const errors: ReadonlyArray<readonly [string, readonly unknown[], string]> = [
  ['lookup', [{ a: 1 }, 1], "JMESPath function 'lookup': argument #2 is not of type String"],
  ['lookup', [['a'], 'x'], "JMESPath function 'lookup': argument #2 is not of type Number"],
  [
    'lookup',
    [['a'], 0.5],
    "JMESPath function 'lookup': argument #2: expected an integer number but got: 0.5",
  ],
  [
    'object_from_lists',
    [[{}], [1]],
    "JMESPath function 'object_from_lists': argument #1 is not of type StringArray",
  ],
];
for (const [name, args, message] of errors) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)}) fails`, () => {
    assert.throws(() => call(name, ...args), { message });
  });
}
