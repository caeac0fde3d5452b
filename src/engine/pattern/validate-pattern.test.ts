// Overlay pattern matching: kyverno.io "Validate Rules" → patterns, and Kyverno's
// pkg/engine/validate/validate_test.go (TestValidateMap*, TestConditionalAnchorWithMultiplePatterns,
// Test_global_anchor, TestValidateMapWildcardKeys).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PatternPlans } from './map-plan.js';
import { CONDITIONAL_CASES } from './testdata/conditional-cases.js';
import { keyPlans, type PatternOutcome, validatePattern } from './validate-pattern.js';

const json = (s: string): unknown => JSON.parse(s);

describe('Kyverno conditional/global anchor table (validate_test.go)', () => {
  for (const c of CONDITIONAL_CASES) {
    test(`${c.name} → ${c.want}`, () => {
      assert.equal(validatePattern(json(c.resource), json(c.pattern)).status, c.want);
    });
  }
});

interface Case {
  readonly name: string;
  readonly pattern: unknown;
  readonly resource: unknown;
  readonly want: PatternOutcome;
}

const statefulSet = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'game-web', labels: { originalLabel: 'isHere' } },
  spec: {
    template: {
      spec: {
        containers: [{ name: 'nginxo', image: 'registry.k8s.io/nginx-but-no-slim:0.8', ...container }],
      },
    },
  },
});
const tplContainers = (c: Record<string, unknown>) => ({ spec: { template: { spec: { containers: [c] } } } });

const cases: Case[] = [
  {
    name: 'basic docs example: label present passes',
    pattern: { metadata: { labels: { 'app.kubernetes.io/name': '?*' } } },
    resource: { metadata: { labels: { 'app.kubernetes.io/name': 'web' } } },
    want: { status: 'pass' },
  },
  {
    name: 'basic docs example: label missing fails at the label path',
    pattern: { metadata: { labels: { 'app.kubernetes.io/name': '?*' } } },
    resource: { metadata: { labels: { app: 'web' } } },
    want: {
      status: 'fail',
      path: '/metadata/labels/app.kubernetes.io/name/',
      message: "resource value '<nil>' does not match '?*' at path /metadata/labels/app.kubernetes.io/name/",
    },
  },
  {
    name: 'missing parent map fails with a structure message',
    pattern: { metadata: { labels: { app: '?*' } } },
    resource: { metadata: { name: 'x' } },
    want: {
      status: 'fail',
      path: '/metadata/labels/',
      message:
        'pattern and resource have different structures. Path: /metadata/labels/. Expected map[string]interface {}, found <nil>',
    },
  },
  {
    name: 'array pattern against a map fails',
    pattern: { spec: { containers: [{ name: '*' }] } },
    resource: { spec: { containers: { name: 'x' } } },
    want: {
      status: 'fail',
      path: '/spec/containers/',
      message:
        'validation rule failed at path /spec/containers/, resource does not satisfy the expected overlay pattern',
    },
  },
  {
    name: 'TestValidateMap: "?*" name and "<4|8" cpu',
    pattern: {
      spec: {
        template: { spec: { containers: [{ name: '?*', resources: { requests: { cpu: '<4|8' } } }] } },
      },
    },
    resource: tplContainers({ name: 'nginx', resources: { requests: { memory: '512Mi', cpu: '8' } } }),
    want: { status: 'pass' },
  },
  {
    name: 'TestValidateMap_AsteriskForInt',
    pattern: tplContainers({ name: '*', livenessProbe: { periodSeconds: '*' } }),
    resource: statefulSet({ livenessProbe: { periodSeconds: 11 } }),
    want: { status: 'pass' },
  },
  {
    name: 'TestValidateMap_AsteriskForMap',
    pattern: tplContainers({ name: '*', livenessProbe: '*' }),
    resource: statefulSet({ livenessProbe: { periodSeconds: 11 } }),
    want: { status: 'pass' },
  },
  {
    name: 'TestValidateMap_AsteriskForArray',
    pattern: { spec: { template: { spec: { containers: '*' } } } },
    resource: statefulSet({}),
    want: { status: 'pass' },
  },
  {
    name: 'TestValidateMap_AsteriskFieldIsMissing: "*" on a null value fails at the parent path',
    pattern: tplContainers({ name: '*', livenessProbe: '*' }),
    resource: statefulSet({ livenessProbe: null }),
    want: {
      status: 'fail',
      path: '/spec/template/spec/containers/0/',
      message: '/spec/template/spec/containers/0//livenessProbe not found',
    },
  },
  {
    name: 'TestValidateMap_livenessProbeIsNull: null pattern accepts null',
    pattern: tplContainers({ name: '*', livenessProbe: null }),
    resource: statefulSet({ livenessProbe: null }),
    want: { status: 'pass' },
  },
  {
    name: 'TestValidateMap_livenessProbeIsMissing: null pattern accepts a missing key',
    pattern: tplContainers({ name: '*', livenessProbe: null }),
    resource: statefulSet({}),
    want: { status: 'pass' },
  },
  {
    name: 'null pattern rejects a map value',
    pattern: { spec: { hostPath: null } },
    resource: { spec: { hostPath: { path: '/' } } },
    want: {
      status: 'fail',
      path: '/spec/hostPath/',
      message: "resource value 'map[path:/]' does not match '<nil>' at path /spec/hostPath/",
    },
  },
  {
    name: 'TestValidateMapElement_OneElementInArrayNotPass: path into nested arrays',
    pattern: [{ '(name)': 'nirmata-*', object: [{ '(key1)': 'value*', key2: 'value*' }] }],
    resource: [{ name: 'nirmata-1', object: [{ key1: 'value5', key2: '1value1' }] }],
    want: {
      status: 'fail',
      path: '/0/object/0/key2/',
      message: "resource value '1value1' does not match 'value*' at path /0/object/0/key2/",
    },
  },
  {
    name: 'TestValidateMap_AbsolutePathToMetadata: condition met, image matches',
    pattern: { spec: { containers: [{ '(name)': 'kyverno', image: 'kyverno.io*' }] } },
    resource: { spec: { containers: [{ name: 'kyverno', image: 'kyverno.io/test:latest' }] } },
    want: { status: 'pass' },
  },
  {
    name: 'empty resource array passes an array-of-maps pattern',
    pattern: { spec: { containers: [{ image: '!*:latest' }] } },
    resource: { spec: { containers: [] } },
    want: { status: 'pass' },
  },
  {
    name: 'only the first map of a pattern array is used',
    pattern: { spec: { containers: [{ image: 'nginx*' }, { image: 'never' }] } },
    resource: { spec: { containers: [{ image: 'nginx:1' }, { image: 'nginx:2' }] } },
    want: { status: 'pass' },
  },
  {
    name: 'scalar-array pattern: every resource element must match the first scalar',
    pattern: { spec: { args: ['--*'] } },
    resource: { spec: { args: ['--a', 'b'] } },
    want: {
      status: 'fail',
      path: '/spec/args/',
      message: "resource value '[--a b]' does not match '--*' at path /spec/args/",
    },
  },
  {
    name: 'scalar pattern against a resource array checks each element',
    pattern: { spec: { ports: '>1000' } },
    resource: { spec: { ports: [8080, 9090] } },
    want: { status: 'pass' },
  },
  {
    name: 'nested arrays are index-wise; a shorter resource array is a path-less error',
    pattern: { matrix: [['a'], ['b']] },
    resource: { matrix: [['a']] },
    want: {
      status: 'error',
      message:
        'validate Array failed, array length mismatch, resource Array len is 1 and pattern Array len is 2',
    },
  },
  {
    name: 'nested arrays index-wise pass',
    pattern: { matrix: [['a*'], ['b*']] },
    resource: { matrix: [['ab'], ['bc'], ['zz']] },
    want: { status: 'pass' },
  },
  {
    name: 'empty pattern array fails at its path',
    pattern: { spec: { containers: [] } },
    resource: { spec: { containers: [{ name: 'a' }] } },
    want: { status: 'fail', path: '/spec/containers/', message: 'pattern Array empty' },
  },
  {
    name: 'an ordinary failure while an existence anchor key is missing becomes a path-less error',
    pattern: { spec: { '^(imagePullSecrets)': [{ name: 'x' }], hostNetwork: false } },
    resource: { spec: { hostNetwork: true } },
    want: {
      status: 'error',
      message: "resource value 'true' does not match 'false' at path /spec/hostNetwork/",
    },
  },
  {
    name: 'a negation failure stays a failure even with missing anchor keys',
    pattern: { spec: { '^(imagePullSecrets)': [{ name: 'x' }], 'X(hostNetwork)': 'null' } },
    resource: { spec: { hostNetwork: true } },
    want: {
      status: 'fail',
      path: '/spec/hostNetwork/',
      message: 'negation anchor matched in resource: /spec/hostNetwork/ is not allowed',
    },
  },
  {
    name: 'absent negation keys do not turn failures into errors',
    pattern: { spec: { volumes: [{ 'X(hostPath)': 'null' }], hostPID: false } },
    resource: { spec: { volumes: [{ name: 'v' }], hostPID: true } },
    want: {
      status: 'fail',
      path: '/spec/hostPID/',
      message: "resource value 'true' does not match 'false' at path /spec/hostPID/",
    },
  },
  {
    name: 'keys with nested anchors are checked before plain keys (skip beats fail)',
    pattern: { a: 'x', z: { '(k)': 'v' } },
    resource: { a: 'y', z: { k: 'other' } },
    want: {
      status: 'skip',
      message: "conditional anchor mismatch: resource value 'other' does not match 'v' at path /z/k/",
    },
  },
  {
    name: 'plain keys are checked in sorted order (first failure wins)',
    pattern: { b: 'x', a: 'x' },
    resource: { a: 'no', b: 'no' },
    want: { status: 'fail', path: '/a/', message: "resource value 'no' does not match 'x' at path /a/" },
  },
  {
    name: 'a pattern number matches an integral resource number and a numeric string',
    pattern: { spec: { replicas: 3, max: 3 } },
    resource: { spec: { replicas: 3, max: '3.0' } },
    want: { status: 'pass' },
  },
  {
    name: 'the add-if-not-present anchor is a literal key in validate patterns',
    pattern: { metadata: { '+(team)': 'a' } },
    resource: { metadata: { team: 'a' } },
    want: {
      status: 'fail',
      path: '/metadata/+(team)/',
      message: "resource value '<nil>' does not match 'a' at path /metadata/+(team)/",
    },
  },
  {
    name: 'a non-map resource with a map pattern at the root fails at /',
    pattern: { spec: {} },
    resource: 'text',
    want: {
      status: 'fail',
      path: '/',
      message:
        'pattern and resource have different structures. Path: /. Expected map[string]interface {}, found string',
    },
  },
];

describe('validatePattern outcomes, paths and messages', () => {
  for (const c of cases) test(c.name, () => assert.deepEqual(validatePattern(c.resource, c.pattern), c.want));
});

// validate_test.go TestValidateMapWildcardKeys: wildcard keys in metadata labels/annotations.
describe('metadata label and annotation wildcard keys', () => {
  const rows: [string, string, string, PatternOutcome['status'], string?][] = [
    [
      '1',
      '{"metadata":{"annotations":{"test/*":"value1"}}}',
      '{"metadata":{"annotations":{"test/bar":"value1"}}}',
      'pass',
    ],
    [
      '2',
      '{"metadata":{"annotations":{"test/b??":"v*"}}}',
      '{"metadata":{"annotations":{"test/bar":"value1"}}}',
      'pass',
    ],
    ['3', '{}', '{"metadata":{"annotations":{"test/bar":"value1"}}}', 'pass'],
    [
      '4',
      '{"metadata":{"annotations":{"test/b??":"v*"}}}',
      '{"metadata":{"labels":{"test/bar":"value1"}}}',
      'fail',
      '/metadata/annotations/',
    ],
    ['5', '{"metadata":{"labels":{"*/test":"foo"}}}', '{"metadata":{"labels":{"foo/test":"foo"}}}', 'pass'],
    [
      '6',
      '{"metadata":{"labels":{"foo/a*":"bar"}}}',
      '{"metadata":{"labels":{"foo/aa?":"bar","foo/789":"bar"}}}',
      'pass',
    ],
    [
      '7',
      '{"metadata":{"labels":{"foo/ABC*":"bar"}}}',
      '{"metadata":{"labels":{"foo/AB?":"bar","foo/ABC":"bar2"}}}',
      'fail',
      '/metadata/labels/foo/ABC/',
    ],
    [
      '8',
      '{"=(metadata)":{"=(labels)":{"foo/P*":"bar","foo/Q*":"bar2"}}}',
      '{"metadata":{"labels":{"foo/PQR":"bar","foo/QR":"bar2"}}}',
      'pass',
    ],
    [
      '9',
      '{"metadata":{"labels":{"foo/1*":"bar"}}}',
      '{"metadata":{"labels":{"foo/123":"bar222"}}}',
      'fail',
      '/metadata/labels/foo/123/',
    ],
    [
      '10',
      '{"metadata":{"labels":{"foo/X*":"bar","foo/A*":"bar2"}}}',
      '{"metadata":{"labels":{"foo/XYZ":"bar"}}}',
      'fail',
      '/metadata/labels/foo/A*/',
    ],
    [
      '11',
      '{"=(metadata)":{"=(labels)":{"foo/1*":"bar","foo/4*":"bar2"}}}',
      '{"metadata":{"labels":{"foo/123":"bar"}}}',
      'fail',
      '/metadata/labels/foo/4*/',
    ],
    [
      'anchored wildcard key keeps its anchor',
      '{"metadata":{"labels":{"=(team/*)":"a*"}}}',
      '{"metadata":{"labels":{"team/x":"b"}}}',
      'fail',
      '/metadata/labels/team/x/',
    ],
  ];
  for (const [name, pattern, resource, status, path] of rows) {
    test(`wildcard keys ${name}`, () => {
      const out = validatePattern(json(resource), json(pattern));
      assert.equal(out.status, status);
      if (path !== undefined) assert.equal(out.status === 'fail' ? out.path : undefined, path);
    });
  }
});

test('the pattern passed in is not modified by wildcard expansion', () => {
  const pattern = { metadata: { labels: { 'app/*': '?*' } } };
  validatePattern({ metadata: { labels: { 'app/name': 'x' } } }, pattern);
  assert.deepEqual(pattern, { metadata: { labels: { 'app/*': '?*' } } });
});

test('hostile nesting returns an error instead of overflowing the stack', () => {
  let pattern: unknown = 'x';
  let resource: unknown = 'x';
  for (let i = 0; i < 5000; i++) {
    pattern = { a: pattern };
    resource = { a: resource };
  }
  assert.equal(validatePattern(resource, pattern).status, 'error');
});

describe('nesting bound', () => {
  // Anchor handlers validate one level down like plain keys do: the bound is met at the same path.
  function nested(levels: number, key: (i: number) => string): { pattern: unknown; resource: unknown } {
    let pattern: unknown = 'x';
    let resource: unknown = 'x';
    for (let i = levels - 1; i >= 0; i--) {
      pattern = { [key(i)]: pattern };
      resource = { a: resource };
    }
    return { pattern, resource };
  }
  const expectedPath = `/${'a/'.repeat(1001)}`;
  for (const [name, key] of [
    ['plain keys', () => 'a'],
    ['an equality anchor every 10 levels', (i: number) => (i % 10 === 0 ? '=(a)' : 'a')],
    ['a conditional anchor every 10 levels', (i: number) => (i % 10 === 5 ? '(a)' : 'a')],
  ] as const) {
    test(`${name}: an error at depth 1001`, () => {
      const { pattern, resource } = nested(1100, key);
      assert.deepEqual(validatePattern(resource, pattern), {
        status: 'error',
        message: `pattern nesting exceeds 1000 levels at path ${expectedPath}`,
      });
    });
    test(`${name}: 999 levels validate`, () => {
      const { pattern, resource } = nested(999, key);
      assert.deepEqual(validatePattern(resource, pattern), { status: 'pass' });
    });
  }
});

describe('a pattern of anchors alone, deeper than the stack allows', () => {
  const nest = (key: string, levels: number) => {
    let pattern: unknown = 'x';
    let resource: unknown = 'z';
    for (let i = 0; i < levels; i++) {
      pattern = { [key]: pattern };
      resource = { a: resource };
    }
    return { pattern, resource };
  };
  test('is an error of the rule, not a crash', () => {
    // Conditional anchors take several frames a level (handler and callback).
    const { pattern, resource } = nest('(a)', 990);
    const outcome = validatePattern(resource, pattern);
    assert.equal(outcome.status, 'error');
    assert.match((outcome as { message: string }).message, /pattern nesting/);
  });
  test('equality anchors, walked without the handler, reach the depth bound before the stack ends', () => {
    const { pattern, resource } = nest('=(a)', 990);
    const outcome = validatePattern(resource, pattern);
    assert.equal(outcome.status, 'fail');
    assert.match(
      (outcome as { message: string }).message,
      /^resource value 'z' does not match 'x' at path (\/a){990}\/$/,
    );
  });
});

// A policy's plans are kept and filled in (value plans) as walks go: every case, checked with one
// shared set of plans against every case's resource, twice, answers as a check with fresh plans does.
describe('kept plans give the answers fresh plans give', () => {
  test('every pattern of the tables against every resource of the tables', () => {
    const plans = new PatternPlans();
    const patterns = [...cases.map((c) => c.pattern), ...CONDITIONAL_CASES.map((c) => json(c.pattern))];
    const resources = [...cases.map((c) => c.resource), ...CONDITIONAL_CASES.map((c) => json(c.resource))];
    for (const p of patterns) plans.add(p);
    for (let round = 0; round < 2; round++)
      for (const pattern of patterns)
        for (const resource of resources)
          assert.deepEqual(validatePattern(resource, pattern, plans), validatePattern(resource, pattern));
  });
});

// Values under planned keys are walked with the plans kept on the keys (maps, and arrays of maps
// checked element by element): the same answers, paths and messages as `element`'s lookups, twice.
describe('plans kept on keys give the answers of the walk that looks them up', () => {
  const values: unknown[] = [
    [{ '=(a)': 'x', b: '?*' }],
    [{ a: { '=(c)': 1 } }, { a: 2 }],
    [],
    ['x*'],
    [['x']],
    { '=(a)': [{ b: 1 }] },
    { a: [{ '=(b)': [{ c: 'y' }] }] },
    '*',
  ];
  const resources: unknown[] = [
    [{ a: 'x', b: 'q' }, { b: 'r' }],
    [{ a: 'y', b: 'q' }],
    [{ a: 'x' }],
    [{ a: { c: 1 } }, { a: { c: 2 } }],
    [],
    ['x1', 'x2'],
    ['y'],
    [['x']],
    [1, { a: 'x' }],
    { a: [{ b: 1 }, { b: 2 }] },
    { a: [{ b: [{ c: 'y' }, { c: 'z' }] }] },
    { a: 'x' },
    'x',
    null,
  ];
  test('plain and equality keys, every value pattern against every resource value', () => {
    const plans = new PatternPlans();
    const patterns = [
      ...values.flatMap((v) => [{ spec: { k: v } }, { spec: { '=(k)': v } }, { k: v }]),
      ...cases.map((c) => c.pattern),
    ];
    for (const p of patterns) plans.add(p);
    const all = [
      ...resources.flatMap((r) => [{ spec: { k: r } }, { k: r }]),
      ...cases.map((c) => c.resource),
    ];
    let failing = 0;
    for (let round = 0; round < 2; round++)
      for (const pattern of patterns)
        for (const resource of all) {
          const kept = validatePattern(resource, pattern, plans);
          keyPlans.enabled = false;
          try {
            assert.deepEqual(kept, validatePattern(resource, pattern, plans));
          } finally {
            keyPlans.enabled = true;
          }
          if (kept.status !== 'pass') failing++;
        }
    assert.ok(failing > 200, `only ${failing} failing checks compared`);
  });
});

describe('equality anchors, walked without the handler', () => {
  // `=(k): p` is "if present, validate like the plain key `k: p`" (equalityHandler), nested or not,
  // for any pattern but `*` (a plain key's `*` means "present", an anchored one is a string pattern).
  const patterns: unknown[] = [
    'false',
    '!true',
    { '=(b)': 'x' },
    { '=(b)': { '=(c)': 1 } },
    [{ '=(name)': 'a*', '=(b)': 'y' }],
    { b: ['x'] },
    { '(c)': 1, b: 2 },
  ];
  const resources: unknown[] = [
    {},
    { k: null },
    { k: false },
    { k: true },
    { k: 'false' },
    { k: { b: 'x' } },
    { k: { b: 'z' } },
    { k: { b: { c: 1 } } },
    { k: { b: { c: 2 } } },
    {
      k: [
        { name: 'a1', b: 'y' },
        { name: 'b', b: 'z' },
      ],
    },
    { k: [{ name: 'a1', b: 'q' }] },
    { k: { b: ['x', 'x'] } },
    { k: { c: 1, b: 3 } },
    { k: { c: 2, b: 3 } },
    { k: 'text' },
  ];
  test('answer what the plain key answers when the key is present, and pass when it is absent', () => {
    let failing = 0;
    for (const p of patterns)
      for (const r of resources) {
        const anchored = validatePattern({ spec: r }, { spec: { '=(k)': p } });
        const plain = validatePattern({ spec: r }, { spec: { k: p } });
        const present = Object.hasOwn(r as object, 'k');
        assert.deepEqual(
          anchored,
          present ? plain : { status: 'pass' },
          `${JSON.stringify(p)} ${JSON.stringify(r)}`,
        );
        if (anchored.status !== 'pass') failing++;
      }
    assert.ok(failing > 20, `only ${failing} outcomes were not passes`);
  });
});
