// kyverno.io/docs/policy-types/validating-policy (check-labels example, exceptions, autogen) and
// reference §1.4 (the ValidatingPolicy pipeline and its messages).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { autogenVariants, canAutogen, rewriteForFamily } from '../cel-shared/autogen.js';
import type { AdmissionAttributes } from '../cel-shared/match-constraints.js';
import type { CelPolicyException, ValidatingPolicy, ValidatingPolicySpec } from '../cel-shared/types.js';
import { exceptionResult } from '../policy-exception/cel-exception.js';
import {
  type CelAdmissionInput,
  compileValidatingPolicy,
  evaluateValidatingPolicy,
  evaluateValidatingPolicyJson,
  type VariantResponse,
} from './validating-policy.js';

const podRules = {
  resourceRules: [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
  ],
} as ValidatingPolicySpec['matchConstraints'];

function policy(spec: Partial<ValidatingPolicySpec>, name = 'check-labels'): ValidatingPolicy {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name },
    spec: { validationActions: ['Deny'], matchConstraints: podRules, ...spec } as ValidatingPolicySpec,
  };
}

const pod = (labels: Record<string, string> = {}, ns = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: ns, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

const deployment = (labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'default' },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

function input(object: KubeObject, over: Partial<AdmissionAttributes> = {}): CelAdmissionInput {
  const [group, version] = (object.apiVersion ?? 'v1').includes('/')
    ? (object.apiVersion ?? '').split('/')
    : ['', object.apiVersion ?? 'v1'];
  const resource = `${(object.kind ?? '').toLowerCase()}s`;
  return {
    attributes: {
      group: group ?? '',
      version: version ?? 'v1',
      kind: object.kind ?? '',
      resource,
      subresource: '',
      namespace: object.metadata?.namespace ?? '',
      name: object.metadata?.name ?? '',
      operation: 'CREATE',
      object,
      oldObject: null,
      ...over,
    },
    namespaceObject: null,
  };
}

function run(
  p: ValidatingPolicy,
  object: KubeObject,
  exceptions: CelPolicyException[] = [],
  over: Partial<AdmissionAttributes> = {},
): VariantResponse[] {
  const c = compileValidatingPolicy(p, { exceptions });
  assert.ok(c.ok, c.ok ? '' : c.issues.map((d) => d.message).join('\n'));
  return evaluateValidatingPolicy(c.value, input(object, over), { ports: {} });
}

/** The only rule result among the variants' answers. */
function single(responses: VariantResponse[]) {
  const rules = responses.flatMap((r) => r.rules);
  assert.equal(rules.length, 1, JSON.stringify(responses));
  return rules[0]!;
}

const checkLabels = policy({
  validations: [
    {
      message: "label 'environment' is required",
      expression: "'environment' in object.metadata.?labels.orValue([])",
    },
  ],
});

describe('validations', () => {
  test('docs example: a pod with the label passes with "success"', () => {
    const r = single(run(checkLabels, pod({ environment: 'prod' })));
    assert.equal(r.status, 'pass');
    assert.equal(r.message, 'success');
  });
  test('docs example: a pod without the label fails with the message', () => {
    const r = single(run(checkLabels, pod()));
    assert.equal(r.status, 'fail');
    assert.equal(r.message, "label 'environment' is required");
    assert.equal(r.properties?.['cel.validationIndex'], '0');
  });
  test('first false validation stops; messageExpression is used', () => {
    const p = policy({
      validations: [
        { expression: 'true' },
        { expression: 'false', messageExpression: "'bad pod ' + object.metadata.name" },
        { expression: '1/0 == 1' },
      ],
    });
    const r = single(run(p, pod()));
    assert.equal(r.status, 'fail');
    assert.equal(r.message, 'bad pod p');
    assert.equal(r.properties?.['cel.validationIndex'], '1');
  });
  test('without message the default names the index', () => {
    const r = single(run(policy({ validations: [{ expression: 'true' }, { expression: 'false' }] }), pod()));
    assert.equal(r.message, 'CEL expression validation failed at index 1');
  });
  test('an evaluation error is an error result', () => {
    const r = single(run(policy({ validations: [{ expression: 'object.spec.missing.field == 1' }] }), pod()));
    assert.equal(r.status, 'error');
    assert.match(r.message, /^error: /);
  });
  test('a non-bool validation is an error', () => {
    const r = single(run(policy({ validations: [{ expression: "'x'" }] }), pod()));
    assert.equal(r.status, 'error');
  });
  test('a failing messageExpression is reported in the message', () => {
    const p = policy({ validations: [{ expression: 'false', messageExpression: 'object.nope.x' }] });
    assert.match(single(run(p, pod())).message, /^failed to evaluate message expression: /);
  });
  test('auditAnnotations become properties', () => {
    const p = policy({
      validations: [{ expression: 'false', message: 'no' }],
      auditAnnotations: [{ key: 'who', valueExpression: "'pod ' + object.metadata.name" }],
    });
    assert.deepEqual(single(run(p, pod())).properties, { who: 'pod p', 'cel.validationIndex': '0' });
  });
});

describe('matching', () => {
  test('a non-matching kind gives an empty response', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
    };
    const out = run(policy({ validations: [{ expression: 'false' }] }), cm);
    assert.ok(out.length >= 1);
    assert.ok(out.every((r) => r.rules.length === 0));
  });
  test('matchConditions false → skip', () => {
    const p = policy({
      matchConditions: [
        { name: 'only-app', expression: "has(object.metadata.labels) && 'app' in object.metadata.labels" },
      ],
      validations: [{ expression: 'false' }],
    });
    const r = single(run(p, pod()));
    assert.equal(r.status, 'skip');
    assert.equal(single(run(p, pod({ app: 'x' }))).status, 'fail');
  });
  test('matchConditions error → error (failurePolicy Fail), skip with Ignore', () => {
    const spec = {
      matchConditions: [{ name: 'bad', expression: 'object.nope.x == 1' }],
      validations: [{ expression: 'false' }],
    };
    const failed = single(run(policy(spec), pod()));
    // Kyverno names the rule of an evaluation error `evaluation` (the validations' own are unnamed).
    assert.deepEqual([failed.status, failed.name], ['error', 'evaluation']);
    assert.match(failed.message, /^failed to load context: /);
    assert.equal(single(run(policy({ ...spec, failurePolicy: 'Ignore' }), pod())).status, 'skip');
  });
  test('NamespacedValidatingPolicy only sees its own namespace', () => {
    const p: ValidatingPolicy = {
      ...policy({ validations: [{ expression: 'false' }] }),
      kind: 'NamespacedValidatingPolicy',
    };
    p.metadata = { name: 'n', namespace: 'team' };
    assert.equal(run(p, pod({}, 'other')).length, 0);
    assert.equal(single(run(p, pod({}, 'team'))).status, 'fail');
  });
});

describe('variables', () => {
  test('variables are lazy: an unused failing variable does not matter', () => {
    const p = policy({
      variables: [
        { name: 'broken', expression: 'object.nope.x' },
        { name: 'name', expression: 'object.metadata.name' },
      ],
      validations: [{ expression: "variables.name == 'p'" }],
    });
    assert.equal(single(run(p, pod())).status, 'pass');
  });
  test('variables may use earlier variables', () => {
    const p = policy({
      variables: [
        { name: 'containers', expression: 'object.spec.containers' },
        { name: 'images', expression: 'variables.containers.map(c, c.image)' },
      ],
      validations: [
        {
          expression: "variables.images.all(i, i != 'nginx')",
          messageExpression: "'bad: ' + variables.images.join(',')",
        },
      ],
    });
    assert.equal(single(run(p, pod())).message, 'bad: nginx');
  });
  test('a used failing variable is an error', () => {
    const p = policy({
      variables: [{ name: 'broken', expression: 'object.nope.x' }],
      validations: [{ expression: 'variables.broken == 1' }],
    });
    assert.equal(single(run(p, pod())).status, 'error');
  });
});

describe('CEL PolicyExceptions', () => {
  const exception = (
    name: string,
    spec: Partial<CelPolicyException['spec']>,
    labels?: Record<string, string>,
  ): CelPolicyException => ({
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'PolicyException',
    metadata: { name, namespace: 'ex', ...(labels !== undefined ? { labels } : {}) },
    spec: { policyRefs: [{ name: 'check-labels', kind: 'ValidatingPolicy' }], ...spec },
  });
  const byName = { matchConditions: [{ name: 'n', expression: "object.metadata.name == 'p'" }] };
  test('a matching exception skips the policy', () => {
    const r = single(run(checkLabels, pod(), [exception('e1', byName)]));
    assert.equal(r.status, 'skip');
    assert.equal(r.message, 'rule is skipped due to policy exception: ex/e1');
    assert.deepEqual(r.exceptions, ['ex/e1']);
    // Kyverno's report names the exempted rule `exception` (vpol/engine/engine.go; checked with its CLI).
    assert.equal(r.name, 'exception');
  });
  test('exceptions are evaluated before matchConditions', () => {
    const p = policy({
      matchConditions: [{ name: 'never', expression: 'false' }],
      validations: [{ expression: 'false' }],
    });
    assert.equal(single(run(p, pod(), [exception('e1', byName)])).status, 'skip');
    assert.equal(
      single(run(p, pod(), [exception('e1', byName)])).message.startsWith('rule is skipped'),
      true,
    );
  });
  test('an exception for another policy or kind is ignored', () => {
    const other = exception('e1', {
      ...byName,
      policyRefs: [{ name: 'check-labels', kind: 'NamespacedValidatingPolicy' }],
    });
    assert.equal(single(run(checkLabels, pod(), [other])).status, 'fail');
  });
  test('a non-matching exception is ignored', () => {
    const e = exception('e1', {
      matchConditions: [{ name: 'n', expression: "object.metadata.name == 'q'" }],
    });
    assert.equal(single(run(checkLabels, pod(), [e])).status, 'fail');
  });
  test('reportResult pass of the highest-priority exception', () => {
    const low = exception('low', byName, { 'polex.kyverno.io/priority': '1' });
    const high = exception('high', { ...byName, reportResult: 'pass' }, { 'polex.kyverno.io/priority': '5' });
    const r = single(run(checkLabels, pod(), [low, high]));
    assert.equal(r.status, 'pass');
    assert.equal(r.message, 'rule is passed due to policy exception: ex/low, ex/high');
  });
  test('allowedValues feed exceptions.allowedValues instead of exempting', () => {
    const p = policy({
      validations: [
        {
          expression: 'object.spec.containers.all(c, c.image in exceptions.allowedValues)',
          message: 'image not allowed',
        },
      ],
    });
    assert.equal(
      single(run(p, pod(), [exception('e', { ...byName, allowedValues: ['nginx'] })])).status,
      'pass',
    );
    assert.equal(
      single(run(p, pod(), [exception('e', { ...byName, allowedValues: ['redis'] })])).status,
      'fail',
    );
  });
  test('exceptionResult picks the first exception when no priority is set', () => {
    const r = exceptionResult([exception('a', { reportResult: 'pass' }), exception('b', {})]);
    assert.equal(r.status, 'pass');
  });
});

describe('autogen', () => {
  const p = policy({
    validations: [
      {
        expression: "has(object.metadata.labels) && 'app' in object.metadata.labels",
        messageExpression: "'missing app label on ' + object.metadata.name",
      },
    ],
  });
  test('a Deployment is checked through its pod template', () => {
    assert.equal(single(run(p, deployment({ app: 'x' }))).status, 'pass');
    const r = single(run(p, deployment({})));
    assert.equal(r.status, 'fail');
    assert.equal(r.message, 'missing app label on d', 'object.metadata.name stays on the controller');
  });
  test('a CronJob is checked through its job template', () => {
    const cj: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cj', namespace: 'default' },
      spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'a' } }, spec: {} } } } },
    };
    assert.equal(single(run(p, cj)).status, 'pass');
  });
  test('variants: defaults then cronjobs, with rewritten expressions', () => {
    const variants = autogenVariants(p.spec);
    assert.deepEqual(
      variants.map((v) => v.family),
      ['defaults', 'cronjobs'],
    );
    assert.deepEqual(variants[0]!.spec.matchConstraints, {
      resourceRules: [
        {
          apiGroups: ['apps'],
          apiVersions: ['v1'],
          resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
          operations: ['CREATE', 'UPDATE'],
        },
        { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs'], operations: ['CREATE', 'UPDATE'] },
      ],
    });
    assert.equal(
      variants[1]!.spec.validations?.[0]?.expression,
      "has(object.spec.jobTemplate.spec.template.metadata.labels) && 'app' in object.spec.jobTemplate.spec.template.metadata.labels",
    );
  });
  test('podControllers narrows the controllers; an empty list disables autogen', () => {
    const only = autogenVariants({
      ...p.spec,
      autogen: { podControllers: { controllers: ['deployments'] } },
    });
    assert.equal(only.length, 1);
    assert.deepEqual(
      only[0]!.targets.map((t) => t.kind),
      ['Deployment'],
    );
    assert.deepEqual(autogenVariants({ ...p.spec, autogen: { podControllers: { controllers: [] } } }), []);
    const off = run(policy({ ...p.spec, autogen: { podControllers: { controllers: [] } } }), deployment({}));
    assert.deepEqual(
      off.map((r) => r.rules.length),
      [0],
      'only the base policy, which does not match Deployments',
    );
  });
  test('no autogen when the policy matches more than pods', () => {
    const multi = {
      resourceRules: [
        ...(podRules?.resourceRules ?? []),
        { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
      ],
    } as ValidatingPolicySpec['matchConstraints'];
    assert.equal(canAutogen(multi), false);
    assert.equal(canAutogen({ ...podRules, objectSelector: { matchLabels: { a: 'b' } } }), false);
  });
  test('rewrite keeps .name/.namespace of the controller metadata', () => {
    assert.equal(
      rewriteForFamily('object.metadata.namespace + object.metadata.labels.x', 'defaults'),
      'object.metadata.namespace + object.spec.template.metadata.labels.x',
    );
    assert.equal(
      rewriteForFamily('oldObject.spec.containers', 'cronjobs'),
      'oldObject.spec.jobTemplate.spec.template.spec.containers',
    );
  });
});

describe('compile', () => {
  test('a compile error is a diagnostic naming the policy, the path and the line', () => {
    const c = compileValidatingPolicy(
      policy({ validations: [{ expression: 'object.metadata.name ==' }] }),
      {},
    );
    assert.equal(c.ok, false);
    if (c.ok) return;
    const d = c.issues[0]!;
    assert.equal(d.code, 'cel/compile-error');
    assert.deepEqual(d.path, ['spec', 'validations', 0, 'expression']);
    assert.match(d.message, /check-labels/);
    assert.match(d.message, /spec\.validations\[0\]\.expression/);
    assert.match(d.message, /line 1/);
  });
  test('every broken expression is reported', () => {
    const c = compileValidatingPolicy(
      policy({
        variables: [{ name: 'v', expression: '(' }],
        validations: [{ expression: 'true', messageExpression: ')' }],
      }),
      {},
    );
    assert.equal(c.ok, false);
    if (!c.ok)
      assert.deepEqual(
        c.issues.map((d) => d.path),
        [
          ['spec', 'variables', 0, 'expression'],
          ['spec', 'validations', 0, 'messageExpression'],
        ],
      );
  });
  test('JSON mode evaluates the payload as object', () => {
    const c = compileValidatingPolicy(
      policy({
        evaluation: { mode: 'JSON' },
        validations: [{ expression: 'object.replicas < 3', message: 'too many' }],
      }),
      {},
    );
    assert.ok(c.ok);
    if (!c.ok) return;
    assert.equal(
      evaluateValidatingPolicyJson(c.value, { replicas: 5 }, { ports: {} })[0]?.rules[0]?.message,
      'too many',
    );
  });
});

// A compiled policy holds no ports: each evaluation reads the cluster of the runtime it is given.
describe('ValidatingPolicy: ports come with each evaluation', () => {
  const owners = policy({
    variables: [
      { name: 'owner', expression: 'resource.Get("v1", "configmaps", "default", "owner").data.team' },
    ],
    validations: [
      {
        // Reads the cluster twice: the second read comes after any nested evaluation has returned.
        expression:
          'variables.owner == resource.Get("v1", "configmaps", "default", "owner").data.team && object.metadata.labels.team == variables.owner',
        messageExpression: '"team must be " + resource.Get("v1", "configmaps", "default", "owner").data.team',
      },
    ],
  });
  const compiled = compileValidatingPolicy(owners, {});
  assert.ok(compiled.ok);
  const teamA = input(pod({ team: 'a' }));
  /** A cluster whose `owner` ConfigMap names `team`; `onGet` runs inside each read. */
  const clusterOf = (team: string, onGet: () => void = () => {}): EvaluationRuntime => ({
    ports: {
      cluster: {
        get: (_apiVersion, kind, _namespace, name) => {
          onGet();
          return kind === 'ConfigMap' && name === 'owner'
            ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { team } }
            : undefined;
        },
        list: () => [],
      },
    },
  });
  const outcome = (r: VariantResponse[]) => [r[0]?.rules[0]?.status, r[0]?.rules[0]?.message];

  test('two runtimes, one compiled policy: each evaluation sees its own cluster', () => {
    assert.deepEqual(outcome(evaluateValidatingPolicy(compiled.value, teamA, clusterOf('a'))), [
      'pass',
      'success',
    ]);
    assert.deepEqual(outcome(evaluateValidatingPolicy(compiled.value, teamA, clusterOf('b'))), [
      'fail',
      'team must be b',
    ]);
  });

  test('an evaluation started inside a port callback of another keeps each its own ports', () => {
    const nested: VariantResponse[][] = [];
    const inner = clusterOf('b');
    const outer = clusterOf('a', () => {
      if (nested.length === 0) nested.push(evaluateValidatingPolicy(compiled.value, teamA, inner));
    });
    assert.deepEqual(outcome(evaluateValidatingPolicy(compiled.value, teamA, outer)), ['pass', 'success']);
    assert.equal(nested.length, 1);
    assert.deepEqual(outcome(nested[0] ?? []), ['fail', 'team must be b']);
  });
});
