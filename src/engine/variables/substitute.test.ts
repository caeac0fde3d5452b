// kyverno.io/docs/writing-policies/variables (nested lookups, escaping, shallow substitution,
// DELETE) and Kyverno vars.go semantics (kyverno-reference §2.5, §2.7, §3.4).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonContext } from '../context/json-context.js';
import { LimitExceededError, LimitMeter, type Limits } from '../limits.js';
import {
  containsVariables,
  substituteVariables,
  substituteWhole,
  VariableSubstitutionError,
  wholeVariable,
} from './substitute.js';

const root = () => ({
  request: {
    operation: 'CREATE',
    namespace: 'prod',
    userInfo: { username: 'kubernetes-admin' },
    object: {
      metadata: { name: 'nginx', labels: { app: 'web', 'app.kubernetes.io/name': 'shop' } },
      spec: { replicas: 3, containers: [{ name: 'c1', image: 'nginx:1.25' }] },
    },
  },
  LabelsCM: { data: { web: 'frontend' } },
  hcl: 'from {{ some hcl template }}',
  empty: null,
});
const ctx = () => new JsonContext(root());
const sub = (v: unknown, options = {}) => substituteVariables(v, ctx(), options);

describe('substituteVariables', () => {
  const cases: { name: string; input: unknown; want: unknown }[] = [
    { name: 'whole string → raw string', input: '{{request.object.metadata.name}}', want: 'nginx' },
    { name: 'whole string → raw number', input: '{{ request.object.spec.replicas }}', want: 3 },
    {
      name: 'whole string → raw object',
      input: '{{request.object.metadata.labels}}',
      want: root().request.object.metadata.labels,
    },
    {
      name: 'spliced strings (docs: ns-owner binding)',
      input: 'ns-owner-{{request.namespace}}-{{request.userInfo.username}}-binding',
      want: 'ns-owner-prod-kubernetes-admin-binding',
    },
    {
      name: 'spliced number as JSON',
      input: 'replicas={{ request.object.spec.replicas }}',
      want: 'replicas=3',
    },
    {
      name: 'spliced object as JSON (sorted keys)',
      input: 'c={{ request.object.spec.containers[0] }}',
      want: 'c={"image":"nginx:1.25","name":"c1"}',
    },
    {
      name: 'adjacent variables',
      input: '{{request.namespace}}{{request.object.metadata.name}}',
      want: 'prodnginx',
    },
    {
      name: 'nested lookup (docs)',
      input: '{{LabelsCM.data.{{ request.object.metadata.labels.app }}}}',
      want: 'frontend',
    },
    { name: '|| default idiom', input: "{{ request.object.metadata.labels.team || 'none' }}", want: 'none' },
    {
      name: 'quoted key with dots',
      input: '{{ request.object.metadata.labels."app.kubernetes.io/name" }}',
      want: 'shop',
    },
    {
      name: 'escaped variable is kept literally',
      input: '\\{{ request.object.metadata.name }}',
      want: '{{ request.object.metadata.name }}',
    },
    { name: 'escaped next to a real one', input: '{{request.namespace}}: \\{{ x }}', want: 'prod: {{ x }}' },
    { name: 'whole-string null', input: '{{ empty }}', want: null },
    { name: 'spliced null', input: 'v={{ empty }}', want: 'v=null' },
    {
      name: 'map keys are substituted',
      input: { '{{request.namespace}}-key': 'v' },
      want: { 'prod-key': 'v' },
    },
    {
      name: 'lists and non-strings pass through',
      input: [1, true, null, '{{request.namespace}}'],
      want: [1, true, null, 'prod'],
    },
    {
      name: 'multiselect hash inside braces',
      input: '{{ {n: request.object.metadata.name} }}',
      want: { n: 'nginx' },
    },
    {
      name: 'shallow: the result is not re-scanned',
      input: 'config: {{- hcl }}',
      want: 'config: from {{ some hcl template }}',
    },
    { name: 'shallow whole string → raw', input: '{{- hcl }}', want: 'from {{ some hcl template }}' },
    { name: 'plain text untouched', input: 'no variables { here }', want: 'no variables { here }' },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(sub(c.input), c.want));

  test('{{@}} resolves to the value at the same path under the pattern root', () => {
    const pattern = { spec: { containers: [{ image: '{{@}}' }] } };
    assert.deepEqual(sub(pattern, { patternRoot: 'request.object' }), {
      spec: { containers: [{ image: 'nginx:1.25' }] },
    });
  });

  test('DELETE rewrites request.object to request.oldObject', () => {
    const del = new JsonContext({
      request: { operation: 'DELETE', object: null, oldObject: { metadata: { name: 'gone' } } },
    });
    assert.equal(substituteVariables('{{ request.object.metadata.name }}', del), 'gone');
  });

  test('operation option overrides the context', () => {
    const c = new JsonContext({ request: { object: { n: 'new' }, oldObject: { n: 'old' } } });
    assert.equal(substituteVariables('{{ request.object.n }}', c, { operation: 'DELETE' }), 'old');
  });

  test('missing key → Kyverno error text with the path', () => {
    assert.throws(
      () => sub({ spec: { containers: [{ image: '{{ request.object.metadata.annotations.x }}' }] } }),
      (e: unknown) =>
        e instanceof VariableSubstitutionError &&
        e.message ===
          'failed to resolve request.object.metadata.annotations.x at path /spec/containers/0/image: JMESPath query failed: Unknown key "annotations" in path',
    );
  });

  test('basePath prefixes the error path', () => {
    assert.throws(
      () => sub('{{ nope }}', { basePath: '/validate/message' }),
      /at path \/validate\/message: /,
    );
  });

  test('a key that resolves to a non-string is an error', () => {
    assert.throws(
      () => sub({ '{{ request.object.spec.replicas }}': 'x' }),
      /expected string after substituting variables in key/,
    );
  });

  test('values that keep expanding are cut off at maxSubstitutionPasses', () => {
    const c = new JsonContext({ loop: 'a{{ loop }}' });
    assert.throws(
      () => substituteVariables('x{{ loop }}', c),
      (e: unknown) => e instanceof LimitExceededError && e.limit === 'maxSubstitutionPasses',
    );
  });

  test('does not mutate its input', () => {
    const input = { a: '{{ request.namespace }}', b: ['{{ request.namespace }}'] };
    const copy = structuredClone(input);
    sub(input);
    assert.deepEqual(input, copy);
  });
});

describe('substituteVariables with share', () => {
  test('gives back maps and lists without variables as they are, and equal results otherwise', () => {
    const plain = { spec: { containers: [{ image: 'nginx:*' }] } };
    assert.equal(sub(plain, { share: true }), plain);
    const mixed = { spec: plain.spec, metadata: { namespace: '{{ request.namespace }}' } };
    const shared = sub(mixed, { share: true }) as typeof mixed;
    assert.deepEqual(shared, sub(mixed));
    assert.equal(shared.spec, plain.spec);
    assert.notEqual(sub(mixed), mixed);
  });

  test('still walks what a variable resolved to (its own variables are substituted)', () => {
    const c = new JsonContext({ a: { inner: '{{ b }}' }, b: 'x' });
    assert.deepEqual(substituteVariables({ v: '{{ a }}' }, c, { share: true }), { v: { inner: 'x' } });
  });

  test('unescapes escaped variables in shared patterns too', () => {
    assert.deepEqual(sub({ k: ['\\{{ kept }}'] }, { share: true }), { k: ['{{ kept }}'] });
  });
});

describe('containsVariables', () => {
  const rows: [unknown, boolean][] = [
    ['{{ a }}', true],
    ['plain', false],
    ['\\{{ escaped }}', false],
    [{ k: ['x', { '{{ key }}': 1 }] }, true],
    [42, false],
  ];
  for (const [value, want] of rows)
    test(JSON.stringify(value), () => assert.equal(containsVariables(value), want));
  test('does not leave the shared pattern mid-string for the next substitution', () => {
    assert.equal(containsVariables('{{ abcdef }}'), true);
    assert.equal(substituteVariables('{{ a }}', new JsonContext({ a: 'x' })), 'x');
  });
});

describe('substitution limits', () => {
  const limited = (data: Record<string, unknown>, limits: Partial<Limits> = {}) =>
    new JsonContext(data, { meter: new LimitMeter({ limits }), adoptRoot: true });
  const isLimit = (limit: string) => (e: unknown) => e instanceof LimitExceededError && e.limit === limit;

  test('a template naming itself twice stops at the value size, before building past it', () => {
    const x = '{{ x }}{{ x }}';
    const c = limited({ x }, { maxValueSize: 10_000 });
    // A whole-string variable yields its value as it is (Kyverno); spliced into text it is re-scanned.
    assert.equal(substituteVariables('{{ x }}', c), x);
    assert.throws(() => substituteVariables('a {{ x }}', c), isLimit('maxValueSize'));
  });

  test('a message is bounded by maxMessageSize, other text by maxValueSize', () => {
    const c = () => limited({ big: 'y'.repeat(5000) }, { maxMessageSize: 1000 });
    assert.throws(
      () => substituteVariables('m {{ big }}', c(), { purpose: 'message' }),
      isLimit('maxMessageSize'),
    );
    assert.equal((substituteVariables('m {{ big }}', c()) as string).length, 5002);
  });

  test('a resolved value larger than maxValueSize is refused, shared structure measured as it prints', () => {
    // 2^20 leaves built from shared references: measuring must stop early instead of walking them all.
    let tree: unknown = 'leaf';
    for (let i = 0; i < 20; i++) tree = [tree, tree];
    const c = limited({ tree }, { maxValueSize: 100_000 });
    assert.throws(() => substituteVariables('{{ tree }}', c), isLimit('maxValueSize'));
  });

  test('total output per rule is bounded by maxSubstitutionOutput', () => {
    const c = limited({ v: 'z'.repeat(1000) }, { maxSubstitutionOutput: 50_000 });
    const doc = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'a {{ v }}']));
    assert.throws(() => substituteVariables(doc, c), isLimit('maxSubstitutionOutput'));
  });

  test('the pass limit is configurable and names the text', () => {
    const c = limited({ loop: 'a{{ loop }}' }, { maxSubstitutionPasses: 3 });
    assert.throws(
      () => substituteVariables({ spec: 'x{{ loop }}' }, c),
      /maxSubstitutionPasses \(3 passes\).*\/spec/,
    );
  });

  test('once a limit is hit, later substitutions in the same rule fail at once', () => {
    const c = limited({ x: '{{ x }}{{ x }}', ok: 'fine' }, { maxValueSize: 1000 });
    assert.throws(() => substituteVariables('a {{ x }}', c), isLimit('maxValueSize'));
    assert.throws(() => substituteVariables('{{ ok }}', c), isLimit('maxValueSize'));
    c.meter.startRule();
    assert.equal(substituteVariables('{{ ok }}', c), 'fine');
  });

  test('an unresolvable variable is named in the error', () => {
    assert.throws(
      () => substituteVariables('{{ nosuch.name }}', limited({})),
      /failed to resolve nosuch\.name/,
    );
  });
});

describe('substituteWhole (a text that is one variable)', () => {
  const data = {
    request: {
      operation: 'CREATE',
      object: { spec: { list: ['a', '{{ request.operation }}', 3], map: { k: '{{ b }}', '{{ b }}': 1 } } },
      oldObject: { spec: { list: ['old'] } },
    },
    target: { name: 't' },
    b: 'bee',
    nul: null,
    big: 'y'.repeat(300),
    keys: { '{{ nosuch }}': 1 },
  };
  const texts = [
    '{{ request.object.spec.list }}',
    '{{request.object.spec.map}}',
    '{{- request.object.spec.list }}',
    '{{ b }}',
    '{{ nul }}',
    '{{ nosuch.name }}',
    '{{ request.object.spec.list[] | length(@) }}',
    '{{ @ }}',
    '{{ big }}',
    '{{ keys }}',
    '{{ request.object.spec.nope }}',
    '{{ request.object.spec.list[1] }}',
  ];
  const limitsTable: Partial<Limits>[] = [{}, { maxSubstitutionPasses: 1 }, { maxValueSize: 100 }];
  const outcome = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (error) {
      return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
    }
  };
  for (const text of texts)
    test(text, () => {
      for (const limits of limitsTable)
        for (const options of [
          {},
          { operation: 'DELETE' },
          { share: true },
          { operation: 'UPDATE', share: true },
        ]) {
          const c = () => new JsonContext(data, { meter: new LimitMeter({ limits }) });
          const first = c();
          const whole = wholeVariable(text, first);
          assert.ok(whole !== undefined, text);
          const got = outcome(() => substituteWhole(whole, first, options));
          const want = outcome(() => substituteVariables(text, c(), options));
          assert.deepEqual(got, want, `${text} ${JSON.stringify(limits)} ${JSON.stringify(options)}`);
        }
    });
  test('only a text that is exactly one variable, without references, has one', () => {
    const c = new JsonContext({});
    for (const text of ['a {{ b }}', '{{ a }}{{ b }}', '\\{{ a }}', '{{ a }} ', '{{ $(./x) }}', 'plain'])
      assert.equal(wholeVariable(text, c), undefined, text);
    assert.equal(wholeVariable('{{ a }}', c)?.expression, 'a');
  });
});
