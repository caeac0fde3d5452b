import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { KyvernoPolicy, Rule } from '../types.js';
import { computeRules } from './autogen.js';
import { canAutoGen } from './can-autogen.js';
import { autogenRuleName, isAutogenRuleName } from './generate-rule.js';
import { rewriteSerialized, shiftReferences } from './rewrite-references.js';

// Autogen rules name their controllers with group/version (Kyverno autogen/v1/internal/gvk.go).
const ALL6 = [
  'apps/v1/DaemonSet',
  'apps/v1/Deployment',
  'batch/v1/Job',
  'apps/v1/ReplicaSet',
  'v1/ReplicationController',
  'apps/v1/StatefulSet',
];
const policy = (yaml: string): KyvernoPolicy => parse(yaml) as KyvernoPolicy;
const names = (rules: Rule[]): string[] => rules.map((r) => r.name);
const anyKinds = (r: Rule | undefined): string[][] =>
  (r?.match?.any ?? []).map((f) => f.resources?.kinds ?? []);

// Kyverno pkg/autogen/v1/autogen_test.go Test_getAutogenRuleName / Test_isAutogenRule
describe('autogen rule names', () => {
  const long = 'too-long-this-rule-name-will-be-truncated-to-63-characters';
  const cases: ['autogen' | 'autogen-cronjob', string, string][] = [
    ['autogen', 'valid-rule-name', 'autogen-valid-rule-name'],
    ['autogen', long, 'autogen-too-long-this-rule-name-will-be-truncated-to-63-charact'],
    ['autogen-cronjob', 'valid-rule-name', 'autogen-cronjob-valid-rule-name'],
    ['autogen-cronjob', long, 'autogen-cronjob-too-long-this-rule-name-will-be-truncated-to-63'],
  ];
  for (const [prefix, name, want] of cases)
    test(want, () => assert.equal(autogenRuleName(prefix, name), want));
  test('isAutogenRuleName', () => {
    assert.equal(isAutogenRuleName('valid-rule-name'), false);
    assert.equal(isAutogenRuleName('autogen-simple'), true);
    assert.equal(isAutogenRuleName('autogen-cronjob-simple'), true);
  });
});

// Kyverno Test_CanAutoGen (JSON policies from the Go table).
describe('canAutoGen', () => {
  const spec = (rules: unknown[]) => ({ rules }) as KyvernoPolicy['spec'];
  const podMatch = { resources: { kinds: ['Pod'] } };
  const psm = { patchStrategicMerge: { metadata: { labels: { '+(service)': 'x' } } } };
  const cases: [string, KyvernoPolicy['spec'], boolean][] = [
    ['match name', spec([{ name: 't', match: { resources: { kinds: ['Namespace'], name: '*' } } }]), false],
    [
      'match selector',
      spec([
        { name: 't', match: { resources: { kinds: ['Pod'], selector: { matchLabels: { foo: 'bar' } } } } },
      ]),
      false,
    ],
    ['exclude name', spec([{ name: 't', match: podMatch, exclude: { resources: { name: 'test' } } }]), false],
    [
      'exclude names',
      spec([{ name: 't', match: podMatch, exclude: { resources: { names: ['test'] } } }]),
      false,
    ],
    [
      'exclude selector',
      spec([
        { name: 't', match: podMatch, exclude: { resources: { selector: { matchLabels: { foo: 'bar' } } } } },
      ]),
      false,
    ],
    [
      'annotations',
      spec([{ name: 't', match: { any: [{ resources: { kinds: ['Pod'], annotations: { a: 'b' } } }] } }]),
      false,
    ],
    ['deny', spec([{ name: 't', match: podMatch, validate: { deny: { conditions: [] } } }]), true],
    [
      'mixed kinds Pod + Deployment',
      spec([{ name: 't', match: { resources: { kinds: ['Pod', 'Deployment'] } }, mutate: psm }]),
      false,
    ],
    [
      'exclude mixed kinds',
      spec([
        { name: 't', match: podMatch, exclude: { resources: { kinds: ['Pod', 'Deployment'] } }, mutate: psm },
      ]),
      false,
    ],
    ['Pod only', spec([{ name: 't', match: podMatch, validate: { pattern: { metadata: {} } } }]), true],
    [
      'exclude Pod only',
      spec([
        {
          name: 't',
          match: podMatch,
          exclude: { resources: { kinds: ['Pod'], namespaces: ['test'] } },
          validate: { pattern: {} },
        },
      ]),
      true,
    ],
    [
      'patchesJson6902',
      spec([{ name: 't', match: podMatch, mutate: { patchesJson6902: '- op: add' } }]),
      false,
    ],
    [
      'foreach patchesJson6902',
      spec([
        { name: 't', match: podMatch, mutate: { foreach: [{ list: 'x', patchesJson6902: '- op: add' }] } },
      ]),
      false,
    ],
    [
      'generate',
      spec([
        { name: 't', match: { resources: { kinds: ['Namespace'] } }, generate: { kind: 'NetworkPolicy' } },
      ]),
      false,
    ],
    [
      'Namespace only (not needed)',
      spec([{ name: 't', match: { resources: { kinds: ['Namespace'] } }, mutate: psm }]),
      false,
    ],
    [
      'podSecurity',
      spec([{ name: 't', match: podMatch, validate: { podSecurity: { level: 'baseline' } } }]),
      true,
    ],
    [
      'controller kind counts as needed',
      spec([
        { name: 't', match: { any: [{ resources: { kinds: ['Deployment'] } }] }, validate: { pattern: {} } },
      ]),
      true,
    ],
  ];
  for (const [name, s, want] of cases) test(name, () => assert.equal(canAutoGen(s), want));
});

// Kyverno TestUpdateGenRuleByte / TestUpdateCELFields
describe('substring rewriting', () => {
  const cases: [string, 'pod-controllers' | 'cronjob', boolean, string][] = [
    ['request.object.spec', 'pod-controllers', false, 'request.object.spec.template.spec'],
    ['request.oldObject.spec', 'pod-controllers', false, 'request.oldObject.spec.template.spec'],
    ['request.object.spec', 'cronjob', false, 'request.object.spec.jobTemplate.spec.template.spec'],
    ['request.oldObject.spec', 'cronjob', false, 'request.oldObject.spec.jobTemplate.spec.template.spec'],
    ['request.object.metadata', 'pod-controllers', false, 'request.object.spec.template.metadata'],
    ['object.spec', 'pod-controllers', true, 'object.spec.template.spec'],
    ['oldObject.spec', 'pod-controllers', true, 'oldObject.spec.template.spec'],
    ['object.spec', 'cronjob', true, 'object.spec.jobTemplate.spec.template.spec'],
    ['object.metadata', 'pod-controllers', true, 'object.spec.template.metadata'],
    ['object.spec', 'pod-controllers', false, 'object.spec'],
  ];
  for (const [from, target, cel, want] of cases) {
    test(`${from} (${target}${cel ? ', cel' : ''})`, () =>
      assert.equal(rewriteSerialized(from, target, cel), want));
  }
  test('shiftReferences in a pattern message', () =>
    assert.equal(
      shiftReferences('must equal $(./../pattern/spec/x) here', 'spec/template', 'pattern'),
      'must equal $(./../pattern/spec/template/spec/x) here',
    ));
  test('escaped reference is left alone', () =>
    assert.equal(shiftReferences('\\$(pattern/x)', 'spec/template', 'pattern'), '\\$(pattern/x)'));
});

// pod-security/baseline/disallow-host-namespaces (corpus)
const hostNamespaces = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-host-namespaces
spec:
  rules:
    - name: host-namespaces
      match:
        any:
        - resources:
            kinds:
              - Pod
      validate:
        message: Sharing the host namespaces is disallowed.
        pattern:
          spec:
            =(hostPID): "false"
`;

describe('computeRules on corpus policies', () => {
  test('disallow-host-namespaces: names, kinds, nesting', () => {
    const rules = computeRules(policy(hostNamespaces));
    assert.deepEqual(names(rules), [
      'host-namespaces',
      'autogen-host-namespaces',
      'autogen-cronjob-host-namespaces',
    ]);
    assert.deepEqual(anyKinds(rules[1]), [ALL6]);
    assert.deepEqual(anyKinds(rules[2]), [['batch/v1/CronJob']]);
    assert.deepEqual(rules[1]!.validate?.pattern, {
      spec: { template: { spec: { '=(hostPID)': 'false' } } },
    });
    assert.deepEqual(rules[2]!.validate?.pattern, {
      spec: { jobTemplate: { spec: { template: { spec: { '=(hostPID)': 'false' } } } } },
    });
    assert.equal(rules[1]!.validate?.message, 'Sharing the host namespaces is disallowed.');
  });

  test('annotation none disables autogen', () => {
    const p = policy(hostNamespaces);
    p.metadata.annotations = { 'pod-policies.kyverno.io/autogen-controllers': 'none' };
    assert.deepEqual(names(computeRules(p)), ['host-namespaces']);
  });

  test('annotation all', () => {
    const p = policy(hostNamespaces);
    p.metadata.annotations = { 'pod-policies.kyverno.io/autogen-controllers': 'all' };
    const rules = computeRules(p);
    assert.deepEqual(names(rules), [
      'host-namespaces',
      'autogen-host-namespaces',
      'autogen-cronjob-host-namespaces',
    ]);
    assert.deepEqual(anyKinds(rules[1]), [ALL6]);
  });

  test('annotation CronJob only', () => {
    const p = policy(hostNamespaces);
    p.metadata.annotations = { 'pod-policies.kyverno.io/autogen-controllers': 'CronJob' };
    const rules = computeRules(p);
    assert.deepEqual(names(rules), ['host-namespaces', 'autogen-cronjob-host-namespaces']);
  });

  // best-practices/require-probes: annotation list, foreach deny, preconditions.
  test('require-probes: annotation DaemonSet,Deployment,StatefulSet; foreach list rewritten', () => {
    const rules = computeRules(
      policy(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-pod-probes
  annotations:
    pod-policies.kyverno.io/autogen-controllers: DaemonSet,Deployment,StatefulSet
spec:
  rules:
  - name: validate-probes
    match:
      any:
      - resources:
          kinds:
          - Pod
    preconditions:
      all:
      - key: "{{request.operation || 'BACKGROUND'}}"
        operator: AnyIn
        value: [CREATE, UPDATE]
    validate:
      message: "Liveness, readiness, or startup probes are required for all containers."
      foreach:
      - list: request.object.spec.containers[]
        deny:
          conditions:
            all:
            - key: livenessProbe
              operator: AllNotIn
              value: "{{ element.keys(@)[] }}"
`),
    );
    assert.deepEqual(names(rules), ['validate-probes', 'autogen-validate-probes']);
    assert.deepEqual(anyKinds(rules[1]), [
      ['apps/v1/DaemonSet', 'apps/v1/Deployment', 'apps/v1/StatefulSet'],
    ]);
    assert.equal(rules[1]!.validate?.foreach?.[0]?.list, 'request.object.spec.template.spec.containers[]');
    assert.deepEqual(rules[1]!.preconditions, rules[0]!.preconditions);
  });

  // other/limit-containers-per-pod: the kyverno-test.yaml expects these exact rule names.
  test('limit-containers-per-pod: deny key rewritten per controller', () => {
    const rules = computeRules(
      policy(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: limit-containers-per-pod
spec:
  rules:
  - name: limit-containers-per-pod
    match:
      any:
      - resources:
          kinds:
          - Pod
    validate:
      message: "Pods can only have a maximum of 4 containers."
      deny:
        conditions:
          any:
          - key: "{{request.object.spec.containers[] | length(@)}}"
            operator: GreaterThan
            value: "4"
`),
    );
    assert.deepEqual(names(rules), [
      'limit-containers-per-pod',
      'autogen-limit-containers-per-pod',
      'autogen-cronjob-limit-containers-per-pod',
    ]);
    const key = (r: Rule | undefined) =>
      (r!.validate!.deny!.conditions as { any: { key: string }[] }).any[0]!.key;
    assert.equal(key(rules[1]), '{{request.object.spec.template.spec.containers[] | length(@)}}');
    assert.equal(
      key(rules[2]),
      '{{request.object.spec.jobTemplate.spec.template.spec.containers[] | length(@)}}',
    );
  });

  // pod-security/restricted/require-run-as-nonroot: anyPattern.
  test('require-run-as-nonroot: every anyPattern entry nested', () => {
    const rules = computeRules(
      policy(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-run-as-nonroot}
spec:
  rules:
    - name: run-as-non-root
      match:
        any:
        - resources:
            kinds: [Pod]
      validate:
        message: Running as root is not allowed.
        anyPattern:
        - spec:
            securityContext:
              runAsNonRoot: "true"
        - spec:
            containers:
            - securityContext:
                runAsNonRoot: "true"
`),
    );
    assert.equal(rules.length, 3);
    const ap = rules[1]!.validate?.anyPattern as { spec: { template: unknown } }[];
    assert.equal(ap.length, 2);
    assert.deepEqual(ap[0], { spec: { template: { spec: { securityContext: { runAsNonRoot: 'true' } } } } });
  });

  // other/replace-image-registry without its `none` annotation: foreach patchStrategicMerge.
  test('mutate foreach patchStrategicMerge nested; list and element vars', () => {
    const rules = computeRules(
      policy(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: replace-image-registry}
spec:
  rules:
    - name: replace-image-registry-pod-containers
      match:
        any:
        - resources:
            kinds: [Pod]
      mutate:
        foreach:
        - list: "request.object.spec.containers"
          patchStrategicMerge:
            spec:
              containers:
              - name: "{{ element.name }}"
                image: "myregistry.corp.com/{{element.image}}"
`),
    );
    const fe = (rules[1]!.mutate as { foreach: Record<string, unknown>[] }).foreach[0]!;
    assert.equal(fe.list, 'request.object.spec.template.spec.containers');
    assert.deepEqual(Object.keys((fe.patchStrategicMerge as { spec: object }).spec), ['template']);
    const cron = (rules[2]!.mutate as { foreach: Record<string, unknown>[] }).foreach[0]!;
    assert.equal(cron.list, 'request.object.spec.jobTemplate.spec.template.spec.containers');
  });

  test('mutate patchStrategicMerge nested, other mutate fields dropped', () => {
    const rules = computeRules(
      policy(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: add-labels}
spec:
  rules:
    - name: add-label
      match:
        resources:
          kinds: [Pod]
      mutate:
        patchStrategicMerge:
          metadata:
            labels:
              +(foo): bar
`),
    );
    assert.deepEqual(rules[1]!.match, { resources: { kinds: ALL6 } });
    assert.deepEqual(rules[1]!.mutate, {
      patchStrategicMerge: { spec: { template: { metadata: { labels: { '+(foo)': 'bar' } } } } },
    });
    assert.deepEqual(rules[2]!.match, { resources: { kinds: ['batch/v1/CronJob'] } });
  });

  // pod-security/subrule/restricted/restricted-exclude-seccomp: podSecurity copied, not nested.
  test('podSecurity rule keeps level, version and excludes', () => {
    const rules = computeRules(
      policy(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: restricted-exclude-seccomp}
spec:
  rules:
  - name: restricted-exempt-seccomp
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      podSecurity:
        level: restricted
        version: latest
        exclude:
        - controlName: Seccomp
`),
    );
    assert.deepEqual(names(rules).slice(1), [
      'autogen-restricted-exempt-seccomp',
      'autogen-cronjob-restricted-exempt-seccomp',
    ]);
    assert.deepEqual(rules[1]!.validate?.podSecurity, {
      level: 'restricted',
      version: 'latest',
      exclude: [{ controlName: 'Seccomp' }],
    });
  });

  // Kyverno Test_ComputeRules: verifyImages rule with legacy match.
  test('verifyImages: legacy match kinds replaced, rule copied', () => {
    const rules = computeRules(
      policy(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: check-image}
spec:
  rules:
    - name: check-image
      match:
        resources:
          kinds: [Pod]
      verifyImages:
      - imageReferences: ["*"]
`),
    );
    assert.deepEqual(names(rules), ['check-image', 'autogen-check-image', 'autogen-cronjob-check-image']);
    assert.deepEqual(rules[2]!.match, { resources: { kinds: ['batch/v1/CronJob'] } });
    assert.deepEqual(rules[2]!.verifyImages, [{ imageReferences: ['*'] }]);
  });
});

describe('computeRules filter handling', () => {
  const base = (rules: unknown[], annotations?: Record<string, string>): KyvernoPolicy => ({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p', ...(annotations ? { annotations } : {}) },
    spec: { rules: rules as Rule[] },
  });
  const pattern = { pattern: { spec: { x: 'y' } } };

  test('kinds replaced only in any filters that contained Pod; CronJob replaces all', () => {
    const rules = computeRules(
      base([
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }, { resources: { kinds: ['Service'] } }] },
          validate: pattern,
        },
      ]),
    );
    assert.deepEqual(anyKinds(rules[1]), [ALL6, ['Service']]);
    assert.deepEqual(anyKinds(rules[2]), [['batch/v1/CronJob'], ['batch/v1/CronJob']]);
  });

  test('exclude with Pod kinds is rewritten too', () => {
    const rules = computeRules(
      base([
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          exclude: { any: [{ resources: { kinds: ['Pod'], namespaces: ['kube-system'] } }] },
          validate: pattern,
        },
      ]),
    );
    assert.deepEqual(rules[1]!.exclude, {
      any: [{ resources: { kinds: ALL6, namespaces: ['kube-system'] } }],
    });
  });

  test('exclude without Pod: rule not cloned', () => {
    const rules = computeRules(
      base([
        { name: 'a', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: pattern },
        {
          name: 'b',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          exclude: { any: [{ resources: { kinds: ['Deployment'] } }] },
          validate: pattern,
        },
      ]),
    );
    assert.deepEqual(names(rules), ['a', 'b', 'autogen-a', 'autogen-cronjob-a']);
  });

  test('one ineligible rule disables autogen for the whole policy', () => {
    const rules = computeRules(
      base([
        { name: 'a', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: pattern },
        { name: 'b', match: { any: [{ resources: { kinds: ['Pod'], names: ['x'] } }] }, validate: pattern },
      ]),
    );
    assert.deepEqual(names(rules), ['a', 'b']);
  });

  test('rules for non-Pod kinds are not cloned but the policy still is', () => {
    const rules = computeRules(
      base([
        { name: 'svc', match: { any: [{ resources: { kinds: ['Service'] } }] }, validate: pattern },
        { name: 'pod', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: pattern },
      ]),
    );
    assert.deepEqual(names(rules), ['svc', 'pod', 'autogen-pod', 'autogen-cronjob-pod']);
  });

  test('stored autogen rules are dropped and recomputed', () => {
    const rules = computeRules(
      base([
        { name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: pattern },
        { name: 'autogen-r', match: { any: [{ resources: { kinds: ['Deployment'] } }] }, validate: pattern },
      ]),
    );
    assert.deepEqual(names(rules), ['r', 'autogen-r', 'autogen-cronjob-r']);
    assert.deepEqual(anyKinds(rules[1]), [ALL6]);
  });

  test('context, preconditions and message variables rewritten over the whole rule', () => {
    const rules = computeRules(
      base([
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          context: [{ name: 'n', variable: { jmesPath: 'request.object.metadata.labels.app' } }],
          validate: { message: 'pod {{request.object.metadata.name}} bad', ...pattern },
        },
      ]),
    );
    assert.equal(
      rules[1]!.context?.[0]?.variable?.jmesPath,
      'request.object.spec.template.metadata.labels.app',
    );
    assert.equal(rules[1]!.validate?.message, 'pod {{request.object.spec.template.metadata.name}} bad');
    assert.equal(
      rules[2]!.validate?.message,
      'pod {{request.object.spec.jobTemplate.spec.template.metadata.name}} bad',
    );
  });

  test('validate.cel rules rewrite bare object.spec', () => {
    const rules = computeRules(
      base([
        {
          name: 'host-path',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { cel: { expressions: [{ expression: '!has(object.spec.volumes)' }] } },
        },
      ]),
    );
    assert.equal(rules.length, 3);
    assert.deepEqual(rules[1]!.validate?.cel, {
      expressions: [{ expression: '!has(object.spec.template.spec.volumes)' }],
    });
  });

  test('validate.assert nests object under spec.template', () => {
    const rules = computeRules(
      base([
        {
          name: 'default-sa',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { assert: { object: { spec: { '(serviceAccountName == `default`)': false } } } },
        },
      ]),
    );
    assert.equal(rules.length, 3);
    assert.deepEqual(rules[1]!.validate?.assert, {
      object: { spec: { template: { spec: { '(serviceAccountName == `default`)': false } } } },
    });
  });

  test('failureAction carried, unrelated validate fields dropped', () => {
    const rules = computeRules(
      base([
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { failureAction: 'Enforce', allowExistingViolations: false, ...pattern },
        },
      ]),
    );
    assert.deepEqual(Object.keys(rules[1]!.validate ?? {}).sort(), [
      'allowExistingViolations',
      'failureAction',
      'pattern',
    ]);
  });
});
