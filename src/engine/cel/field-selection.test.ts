// cel-spec langdef "Field selection" / "Macros": `e.f` and `has(e.f)` are defined for maps and
// messages only; on a list cel-go raises an evaluation error (cel-js answered `false` for has()).
// Legacy `validate.cel` (Kubernetes' VAP validator) reports an evaluation error as `fail`; a
// ValidatingPolicy reports it as `error` (kyverno.io/docs/policy-types/validating-policy).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ValidatingPolicy } from '../kinds/cel-shared/types.js';
import { compilePolicy, evaluatePolicy } from '../kinds/cluster-policy/evaluate-policy.js';
import {
  compileValidatingPolicy,
  evaluateValidatingPolicy,
} from '../kinds/validating-policy/validating-policy.js';
import type { KubeObject } from '../model/kube-object.js';
import { CelEvalError, compileCel } from './compile.js';

const object = {
  metadata: { name: 'p', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }], empty: [], nothing: null },
};
const run = (expr: string) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

const cases: { expr: string; want: unknown }[] = [
  { expr: 'has(object.spec.containers.name)', want: 'error' },
  { expr: 'has(object.spec.empty.name)', want: 'error' },
  { expr: 'has([1, 2].x)', want: 'error' },
  { expr: 'object.spec.containers.name', want: 'error' },
  { expr: 'object.spec.containers.name == "c"', want: 'error' },
  { expr: 'has(object.spec.containers[0].name)', want: true },
  { expr: 'has(object.spec.containers)', want: true },
  { expr: 'has(object.spec.missing)', want: false },
  { expr: 'has(object.metadata.labels.app)', want: true },
  { expr: 'has(object.metadata.labels.tier)', want: false },
  { expr: 'object.spec.containers.all(c, has(c.image))', want: true },
  // optional selection of a list is the same error (cel-go refQualify: a string index of a list)
  { expr: 'object.spec.containers.?name.orValue("x") == "x"', want: 'error' },
  { expr: 'object.spec.?containers.?name.hasValue()', want: 'error' },
  { expr: 'object.spec.containers[?"name"].hasValue()', want: 'error' },
  { expr: 'object.spec.containers[?0].hasValue()', want: true },
  { expr: 'object.spec.?nothing.?name.hasValue()', want: false },
  { expr: 'object.metadata.name.?x.orValue(1) == 1', want: true },
];

describe('field selection and has() on a list', () => {
  for (const c of cases) {
    test(`${c.expr} → ${String(c.want)}`, () => {
      if (c.want === 'error') assert.throws(() => run(c.expr), CelEvalError);
      else assert.equal(run(c.expr), c.want);
    });
  }
});

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
};
const onList = 'has(object.spec.containers.image)';

test('legacy validate.cel reports the evaluation error as fail', () => {
  const compiled = compilePolicy({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: {
      rules: [
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { cel: { expressions: [{ expression: onList }] } },
        },
      ],
    },
  });
  assert.ok(compiled.ok);
  const r = evaluatePolicy(compiled.value, { resource: pod, operation: 'CREATE', ports: {} }).rules;
  assert.equal(r[0]?.status, 'fail');
  assert.match(r[0]?.message ?? '', /resulted in error/);
});

test('a ValidatingPolicy reports the evaluation error as error', () => {
  const policy: ValidatingPolicy = {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: 'v' },
    spec: {
      validationActions: ['Deny'],
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        ],
      },
      validations: [{ expression: onList }],
    },
  } as ValidatingPolicy;
  const compiled = compileValidatingPolicy(policy, { exceptions: [] });
  assert.ok(compiled.ok);
  const responses = evaluateValidatingPolicy(
    compiled.value,
    {
      attributes: {
        group: '',
        version: 'v1',
        kind: 'Pod',
        resource: 'pods',
        subresource: '',
        namespace: 'default',
        name: 'p',
        operation: 'CREATE',
        object: pod,
        oldObject: null,
      },
      namespaceObject: null,
    },
    { ports: {} },
  );
  const rules = responses.flatMap((x) => x.rules);
  assert.equal(rules.length, 1);
  assert.equal(rules[0]?.status, 'error');
});
