// Structural checks of policies.kyverno.io documents (kyverno.io/docs/policy-types/validating-policy,
// kyverno.io/docs/exceptions for CEL PolicyExceptions).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCelPolicyException, loadValidatingPolicy } from './load.js';

const checkLabels = {
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ValidatingPolicy',
  metadata: { name: 'check-labels' },
  spec: {
    validationActions: ['Deny'],
    matchConstraints: {
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
      ],
    },
    validations: [
      {
        message: "label 'environment' is required",
        expression: "'environment' in object.metadata.?labels.orValue([])",
      },
    ],
  },
};

function codesAndPaths(r: ReturnType<typeof loadValidatingPolicy>) {
  return r.ok ? [] : r.issues.filter((d) => d.severity === 'error').map((d) => [d.code, d.path.join('.')]);
}

describe('loadValidatingPolicy', () => {
  test('the docs example loads', () => {
    const r = loadValidatingPolicy(checkLabels);
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.value.spec.validations?.[0]?.message, "label 'environment' is required");
  });
  for (const apiVersion of ['policies.kyverno.io/v1alpha1', 'policies.kyverno.io/v1beta1']) {
    test(`${apiVersion} is served`, () => assert.ok(loadValidatingPolicy({ ...checkLabels, apiVersion }).ok));
  }
  const cases: { name: string; spec: Record<string, unknown>; want: [string, string][] }[] = [
    {
      name: 'unknown spec field',
      spec: { ...checkLabels.spec, validation: [] },
      want: [['policy/unknown-field', 'spec.validation']],
    },
    {
      name: 'bad validation action',
      spec: { ...checkLabels.spec, validationActions: ['Enforce'] },
      want: [['policy/invalid-value', 'spec.validationActions.0']],
    },
    {
      name: 'Deny with Warn',
      spec: { ...checkLabels.spec, validationActions: ['Deny', 'Warn'] },
      want: [['policy/invalid-value', 'spec.validationActions']],
    },
    {
      name: 'validation without expression',
      spec: { ...checkLabels.spec, validations: [{ message: 'x' }] },
      want: [['policy/missing-field', 'spec.validations.0.expression']],
    },
    {
      name: 'bad operation',
      spec: {
        ...checkLabels.spec,
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['PATCH'], resources: ['pods'] },
          ],
        },
      },
      want: [['policy/invalid-value', 'spec.matchConstraints.resourceRules.0.operations.0']],
    },
    {
      name: 'duplicate variable names',
      spec: {
        ...checkLabels.spec,
        variables: [
          { name: 'a', expression: '1' },
          { name: 'a', expression: '2' },
        ],
      },
      want: [['policy/invalid-value', 'spec.variables.1.name']],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(codesAndPaths(loadValidatingPolicy({ ...checkLabels, spec: c.spec })), c.want);
    });
  }
  test('a ValidatingPolicy must not set a namespace', () => {
    const r = loadValidatingPolicy({ ...checkLabels, metadata: { name: 'x', namespace: 'ns' } });
    assert.deepEqual(codesAndPaths(r), [['policy/invalid-value', 'metadata.namespace']]);
  });
  test('a NamespacedValidatingPolicy may', () => {
    const r = loadValidatingPolicy({
      ...checkLabels,
      kind: 'NamespacedValidatingPolicy',
      metadata: { name: 'x', namespace: 'ns' },
    });
    assert.ok(r.ok);
  });
  test('an unknown apiVersion is rejected', () => {
    const r = loadValidatingPolicy({ ...checkLabels, apiVersion: 'policies.kyverno.io/v2' });
    assert.deepEqual(codesAndPaths(r), [['policy/unsupported-kind', 'apiVersion']]);
  });
  test('missing matchConstraints is only a warning', () => {
    const { matchConstraints: _, ...spec } = checkLabels.spec;
    const r = loadValidatingPolicy({ ...checkLabels, spec });
    assert.ok(r.ok);
    if (r.ok)
      assert.deepEqual(
        r.warnings.map((d) => d.path.join('.')),
        ['spec.matchConstraints'],
      );
  });
  test('null fields are dropped from the value', () => {
    const r = loadValidatingPolicy({ ...checkLabels, spec: { ...checkLabels.spec, auditAnnotations: null } });
    assert.ok(r.ok);
    if (r.ok) assert.equal('auditAnnotations' in r.value.spec, false);
  });
});

describe('loadCelPolicyException', () => {
  const exception = {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'PolicyException',
    metadata: { name: 'allow-skip', namespace: 'default' },
    spec: {
      policyRefs: [{ name: 'check-labels', kind: 'ValidatingPolicy' }],
      matchConditions: [{ name: 'skip', expression: "object.metadata.name == 'skipped'" }],
    },
  };
  test('the docs shape loads', () => assert.ok(loadCelPolicyException(exception).ok));
  test('policyRefs are required and not empty', () => {
    const none = loadCelPolicyException({ ...exception, spec: { matchConditions: [] } });
    assert.equal(none.ok, false);
    const empty = loadCelPolicyException({ ...exception, spec: { policyRefs: [] } });
    assert.equal(empty.ok, false);
    if (!empty.ok)
      assert.deepEqual(
        empty.issues.map((d) => d.path.join('.')),
        ['spec.policyRefs'],
      );
  });
  test('reportResult is skip or pass', () => {
    const r = loadCelPolicyException({ ...exception, spec: { ...exception.spec, reportResult: 'fail' } });
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.deepEqual(
        r.issues.map((d) => d.path.join('.')),
        ['spec.reportResult'],
      );
  });
});
