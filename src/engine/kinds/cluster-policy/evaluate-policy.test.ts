// The rule runner end to end: match → context → preconditions → exceptions → handler, in Kyverno's
// pass order (mutate, validate, generate), with Kyverno's statuses and messages (reference §2.1, §3.4).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import type { EvaluationRequest } from '../../request.js';
import { compilePolicy, evaluatePolicy } from './evaluate-policy.js';
import type { KyvernoPolicy, PolicyException, Rule } from './types.js';

function policy(rules: Rule[], extra: Partial<KyvernoPolicy> = {}): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { rules },
    ...extra,
  };
}

const matchPods = { any: [{ resources: { kinds: ['Pod'] } }] };

function pod(name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: name } }, spec };
}

function run(p: KyvernoPolicy, resource: KubeObject, extra: Partial<EvaluationRequest> = {}) {
  const compiled = compilePolicy(p);
  assert.ok(compiled.ok);
  return evaluatePolicy(compiled.value, { resource, operation: 'CREATE', ports: {}, ...extra });
}

const privileged: Rule = {
  name: 'no-privileged',
  match: matchPods,
  validate: {
    message: 'Privileged mode is not allowed.',
    pattern: { spec: { containers: [{ '=(securityContext)': { '=(privileged)': 'false' } }] } },
  },
};

describe('validate rules', () => {
  const cases: {
    name: string;
    rule: Rule;
    resource: KubeObject;
    status: string;
    message: string | RegExp;
  }[] = [
    {
      name: 'pattern passes',
      rule: privileged,
      resource: pod('a', { containers: [{ name: 'c', image: 'nginx' }] }),
      status: 'pass',
      message: "validation rule 'no-privileged' passed.",
    },
    {
      name: 'pattern fails with the path',
      rule: privileged,
      resource: pod('a', {
        containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }],
      }),
      status: 'fail',
      message:
        'validation error: Privileged mode is not allowed. rule no-privileged failed at path /spec/containers/0/securityContext/privileged/',
    },
    {
      name: 'preconditions not met skip',
      rule: {
        ...privileged,
        preconditions: {
          all: [{ key: '{{ request.object.metadata.name }}', operator: 'Equals', value: 'other' }],
        },
      },
      resource: pod('a', { containers: [] }),
      status: 'skip',
      message: 'preconditions not met',
    },
    {
      name: 'a missing variable in preconditions is an error',
      rule: {
        ...privileged,
        preconditions: {
          all: [{ key: '{{ request.object.metadata.nope }}', operator: 'Equals', value: 'x' }],
        },
      },
      resource: pod('a', { containers: [] }),
      status: 'error',
      message: /^failed to evaluate preconditions: /,
    },
    {
      name: 'deny fails with the message',
      rule: {
        name: 'deny-latest',
        match: matchPods,
        validate: {
          message: 'image {{ request.object.spec.containers[0].image }} uses latest',
          deny: {
            conditions: {
              any: [
                {
                  key: '{{ request.object.spec.containers[0].image }}',
                  operator: 'Equals',
                  value: '*:latest',
                },
              ],
            },
          },
        },
      },
      resource: pod('a', { containers: [{ name: 'c', image: 'nginx:latest' }] }),
      status: 'fail',
      message: 'image nginx:latest uses latest',
    },
    {
      name: 'foreach reports the first failing element',
      rule: {
        name: 'tags',
        match: matchPods,
        validate: {
          message: 'no latest',
          foreach: [{ list: 'request.object.spec.containers', pattern: { image: '!*:latest' } }],
        },
      },
      resource: pod('a', {
        containers: [
          { name: 'ok', image: 'nginx:1.25' },
          { name: 'bad', image: 'nginx:latest' },
        ],
      }),
      status: 'fail',
      message: 'validation failure: validation error: no latest. rule tags failed at path /image/',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = run(policy([c.rule]), c.resource);
      assert.equal(r.rules.length, 1);
      assert.equal(r.rules[0]?.status, c.status);
      if (typeof c.message === 'string') assert.equal(r.rules[0]?.message, c.message);
      else assert.match(r.rules[0]?.message ?? '', c.message);
    });
  }
});

test('a rule that does not match gives no result at all', () => {
  const r = run(policy([privileged]), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  assert.deepEqual(r.rules, []);
});

test('autogen adds results for pod controllers under autogen- names', () => {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: {
      template: { spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } },
    },
  };
  const r = run(policy([privileged]), deployment);
  assert.deepEqual(
    r.rules.map((x) => [x.name, x.status]),
    [['autogen-no-privileged', 'fail']],
  );
});

test('a matching PolicyException turns the rule into skip', () => {
  const exception: PolicyException = {
    apiVersion: 'kyverno.io/v2',
    kind: 'PolicyException',
    metadata: { name: 'allow', namespace: 'kyverno' },
    spec: { exceptions: [{ policyName: 'p', ruleNames: ['no-*'] }], match: matchPods },
  };
  const resource = pod('a', { containers: [{ name: 'c', securityContext: { privileged: true } }] });
  const r = run(policy([privileged]), resource, { exceptions: [exception] });
  assert.equal(r.rules[0]?.status, 'skip');
  assert.equal(r.rules[0]?.message, 'rule is skipped due to policy exceptionskyverno/allow');
});

test('applyRules: One stops after the first rule that passes or fails', () => {
  const second: Rule = { ...privileged, name: 'second' };
  const all = policy([privileged, second]);
  assert.equal(run(all, pod('a', { containers: [] })).rules.length, 2);
  const one = policy([privileged, second]);
  one.spec.applyRules = 'One';
  assert.equal(run(one, pod('a', { containers: [] })).rules.length, 1);
});

test('a namespaced Policy only applies to resources in its namespace', () => {
  const namespaced = policy([privileged], { kind: 'Policy', metadata: { name: 'p', namespace: 'team-a' } });
  assert.equal(run(namespaced, pod('a', { containers: [] }, 'team-b')).rules.length, 0);
  assert.equal(run(namespaced, pod('a', { containers: [] }, 'team-a')).rules.length, 1);
});

test('validate rules see the resource as mutated by the mutate rules before them', () => {
  const addLabel: Rule = {
    name: 'add-team',
    match: matchPods,
    mutate: { patchStrategicMerge: { metadata: { labels: { team: 'core' } } } },
  };
  const requireTeam: Rule = {
    name: 'require-team',
    match: matchPods,
    validate: { pattern: { metadata: { labels: { team: '?*' } } } },
  };
  const r = run(policy([requireTeam, addLabel]), pod('a', { containers: [] }));
  assert.deepEqual(
    r.rules.map((x) => [x.name, x.status]),
    [
      ['add-team', 'pass'],
      ['require-team', 'pass'],
    ],
  );
  assert.equal(r.patchedResource.metadata?.labels?.team, 'core');
});

test('a foreach failure carries the field path in the resource when the list is a plain field path', () => {
  const rule: Rule = {
    name: 'tags',
    match: matchPods,
    validate: { foreach: [{ list: 'request.object.spec.containers', pattern: { image: '!*:latest' } }] },
  };
  const r = run(
    policy([rule]),
    pod('a', {
      containers: [
        { name: 'ok', image: 'nginx:1.25' },
        { name: 'bad', image: 'nginx:latest' },
      ],
    }),
  );
  assert.deepEqual(r.rules[0]?.path, ['spec', 'containers', 1, 'image']);
});

// Kyverno writes an autogen rule's controller kinds with their group/version
// (autogen/v1/internal/gvk.go): a controller of another version (apps/v1beta2, batch/v1beta1)
// gets no autogen result, while a rule naming `Deployment` itself matches any version. Found by
// scripts/differential.mjs (a batch/v1beta1 CronJob failed here, had no result in the reference).
describe('autogen rules match the served controller versions only', () => {
  const rule: Rule = {
    name: 'needs-label',
    match: matchPods,
    validate: { message: 'label app required', pattern: { metadata: { labels: { app: '?*' } } } },
  };
  const template = { metadata: {}, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const cases = [
    { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template }, want: ['autogen-needs-label'] },
    { apiVersion: 'apps/v1beta2', kind: 'Deployment', spec: { template }, want: [] },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      spec: { jobTemplate: { spec: { template } } },
      want: ['autogen-cronjob-needs-label'],
    },
    { apiVersion: 'batch/v1beta1', kind: 'CronJob', spec: { jobTemplate: { spec: { template } } }, want: [] },
  ];
  for (const c of cases) {
    test(`${c.apiVersion} ${c.kind} → ${c.want.join(', ') || 'no result'}`, () => {
      const resource: KubeObject = {
        apiVersion: c.apiVersion,
        kind: c.kind,
        metadata: { name: 'x', namespace: 'default' },
        spec: c.spec,
      };
      const r = run(policy([rule]), resource);
      assert.deepEqual(
        r.rules.map((x) => x.name),
        c.want,
      );
    });
  }
});
