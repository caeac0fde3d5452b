// compilePolicySet: diagnostics keep the caller's tag, the index narrows candidates, and compile
// work happens once per set, never per request.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { admit } from './admit.js';
import { compilePolicySet } from './compile.js';
import { requestForObject } from './request.js';
import {
  clusterPolicy,
  type Doc,
  mutatingPolicy,
  pod,
  podRule,
  setOf,
  validatingPolicy,
} from './testdata/policies.js';

const requireTeam = (name: string, kinds: string[]) =>
  clusterPolicy(name, {
    rules: [
      {
        name: 'team',
        match: { any: [{ resources: { kinds } }] },
        validate: { message: 'team', pattern: { metadata: { labels: { team: '?*' } } } },
      },
    ],
  });

describe('compilePolicySet diagnostics', () => {
  test('each diagnostic carries its document’s source tag and names its policy', () => {
    const bad = validatingPolicy('bad', {
      matchConstraints: podRule(),
      validations: [{ expression: 'object.(' }],
    });
    const good = validatingPolicy('good', {
      matchConstraints: podRule(),
      validations: [{ expression: 'true' }],
    });
    const tags = [{ file: 'good.yaml' }, { file: 'bad.yaml' }];
    const out = compilePolicySet([
      { document: good, source: tags[0] },
      { document: bad, source: tags[1] },
    ]);
    assert.ok(out.diagnostics.length > 0);
    for (const d of out.diagnostics) {
      assert.equal(d.source, tags[1]);
      assert.equal(d.policy.name, 'bad');
      assert.equal(d.diagnostic.code, 'cel/compile-error');
    }
    assert.deepEqual(
      out.rejected.map((r) => r.name),
      ['bad'],
    );
    assert.deepEqual(
      out.set.policies.map((p) => p.ref.name),
      ['good'],
    );
  });
  test('a document of an unknown kind is reported with its tag', () => {
    const doc = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } as Doc;
    const out = compilePolicySet([{ document: doc, source: 'widget.yaml' }]);
    assert.deepEqual(
      out.diagnostics.map((d) => [d.diagnostic.code, d.source, d.policy.kind]),
      [['policy/unsupported-kind', 'widget.yaml', 'Widget']],
    );
  });
  test('exceptions and bindings are attachments, not policies', () => {
    const exception = {
      apiVersion: 'kyverno.io/v2',
      kind: 'PolicyException',
      metadata: { name: 'e', namespace: 'default' },
      spec: { exceptions: [{ policyName: 'p', ruleNames: ['team'] }], match: { any: [] } },
    } as Doc;
    const out = compilePolicySet([{ document: exception, source: 'e.yaml' }]);
    assert.equal(out.set.policies.length, 0);
    assert.equal(out.set.exceptions.all.length, 1);
  });
});

describe('policiesFor', () => {
  const set = setOf(
    requireTeam('pods-only', ['Pod']),
    requireTeam('deployments', ['apps/v1/Deployment']),
    requireTeam('everything', ['*']),
    validatingPolicy('vpol-pods', {
      matchConstraints: podRule(),
      autogen: { podControllers: { controllers: [] } },
      validations: [{ expression: 'true' }],
    }),
    mutatingPolicy('mpol-cms', { matchConstraints: podRule(['configmaps']) }),
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'Policy',
      metadata: { name: 'team-a-pods', namespace: 'team-a' },
      spec: requireTeam('x', ['Pod']).spec,
    } as Doc,
  );
  const names = (kind: string, resource: string, ns: string) =>
    set.policiesFor({ kind, resource }, ns).map((p) => p.ref.name);
  test('by kind and resource, plus the unindexable ones, in set order', () => {
    assert.deepEqual(names('Pod', 'pods', 'default'), ['pods-only', 'everything', 'vpol-pods']);
    assert.deepEqual(names('ConfigMap', 'configmaps', 'default'), ['everything', 'mpol-cms']);
    // Pod rules are also autogen'd for Pod controllers.
    assert.deepEqual(names('Deployment', 'deployments', ''), ['pods-only', 'deployments', 'everything']);
    assert.deepEqual(names('Service', 'services', ''), ['everything']);
  });
  test('namespaced policies only for their namespace (set order: legacy policies first)', () => {
    assert.deepEqual(names('Pod', 'pods', 'team-a'), ['pods-only', 'everything', 'team-a-pods', 'vpol-pods']);
  });
  test('answers are memoised', () => {
    assert.equal(
      set.policiesFor({ kind: 'Pod', resource: 'pods' }, 'x'),
      set.policiesFor({ kind: 'Pod', resource: 'pods' }, 'x'),
    );
  });
});

/** A ClusterPolicy using what compiles: JMESPath variables, context entries, regexes, kind selectors. */
const teamAndName = clusterPolicy('team-and-name', {
  validationFailureAction: 'Enforce',
  rules: [
    {
      name: 'name-and-team',
      match: { any: [{ resources: { kinds: ['Pod', 'v1/Pod'] } }] },
      exclude: { any: [{ resources: { kinds: ['apps/v1/Deployment'], namespaces: ['kube-*'] } }] },
      context: [
        { name: 'labelKey', variable: { value: 'team' } },
        { name: 'namePattern', variable: { value: '^p[0-9]+$' } },
        { name: 'containerCount', variable: { jmesPath: 'length(request.object.spec.containers)' } },
      ],
      preconditions: { all: [{ key: '{{ request.operation }}', operator: 'AnyIn', value: ['CREATE'] }] },
      validate: {
        message: 'pod {{ request.object.metadata.name }} of team {{ request.object.metadata.labels.team }}',
        deny: {
          conditions: {
            any: [
              {
                key: "{{ regex_match('^[a-z][a-z0-9-]*$', request.object.metadata.name) }}",
                operator: 'Equals',
                value: false,
              },
              // Built by substitution: the label key comes from the context (a constant here).
              {
                key: '{{ request.object.metadata.labels."{{ labelKey }}" || \'\' }}',
                operator: 'Equals',
                value: '',
              },
              // A pattern read from data.
              {
                key: '{{ regex_match(namePattern, request.object.metadata.name) }}',
                operator: 'Equals',
                value: false,
              },
              { key: '{{ containerCount }}', operator: 'LessThan', value: 1 },
            ],
          },
        },
      },
    },
    {
      name: 'cel-name',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      validate: { cel: { expressions: [{ expression: "object.metadata.name.matches('^p[0-9]+$')" }] } },
    },
  ],
});

const nameVpol = validatingPolicy('vpol-name', {
  matchConstraints: podRule(),
  variables: [{ name: 'name', expression: 'object.metadata.name' }],
  validations: [{ expression: "variables.name.matches('^p[0-9]+$') && variables.name.find('[0-9]+') != ''" }],
});

const noException = {
  apiVersion: 'kyverno.io/v2',
  kind: 'PolicyException',
  metadata: { name: 'none', namespace: 'default' },
  spec: {
    exceptions: [{ policyName: 'team-and-name', ruleNames: ['name-and-team'] }],
    match: { any: [{ resources: { kinds: ['Pod'], names: ['exempt-*'] } }] },
    conditions: {
      all: [{ key: "{{ request.object.metadata.labels.exempt || '' }}", operator: 'Equals', value: 'yes' }],
    },
  },
} as Doc;

describe('compile once, evaluate many', () => {
  test('10,000 requests against one set leave the compile counter unchanged', async () => {
    const set = setOf(
      requireTeam('require-team', ['Pod']),
      validatingPolicy('vpol', { matchConstraints: podRule(), validations: [{ expression: 'true' }] }),
    );
    const before = set.stats.compileCalls;
    assert.equal(before, 2);
    const runtime = { ports: {} };
    let denied = 0;
    for (let i = 0; i < 10_000; i++) {
      const out = await admit(
        set,
        requestForObject(pod(`p${i}`, 'default', i % 2 === 0 ? { team: 't' } : {})),
        runtime,
      );
      if (!out.allowed) denied++;
    }
    assert.equal(set.stats.compileCalls, before);
    assert.equal(denied, 0, 'require-team is Audit by default');
  });
  test('10,000 requests compile nothing the policies hold; built expressions once, on the first', async () => {
    const set = setOf(teamAndName, nameVpol, noException);
    const none = { jmespath: 0, regex: 0, kindSelector: 0, cel: 0 };
    assert.deepEqual(set.stats.evaluationCompiles, none);
    const runtime = { ports: {} };
    const outcomes = { allowed: 0, denied: 0 };
    const admitOne = async (i: number) => {
      const labels = i % 4 === 3 ? {} : { team: 't' };
      const out = await admit(set, requestForObject(pod(`p${i}`, 'default', labels)), runtime);
      outcomes[out.allowed ? 'allowed' : 'denied']++;
    };
    await admitOne(0);
    // The one expression substitution builds (labels."team") and the one pattern read from data.
    const afterFirst = { jmespath: 1, regex: 1, kindSelector: 0, cel: 0 };
    assert.deepEqual(set.stats.evaluationCompiles, afterFirst);
    for (let i = 1; i < 10_000; i++) await admitOne(i);
    assert.deepEqual(set.stats.evaluationCompiles, afterFirst);
    assert.equal(set.stats.compileCalls, 2);
    // Every fourth Pod lacks the team label: the legacy rule (Enforce) denies it; the rest pass both.
    assert.deepEqual(outcomes, { allowed: 7500, denied: 2500 });
  });
});
