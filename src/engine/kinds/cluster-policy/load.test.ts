import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import { loadKyvernoPolicy, loadPolicyException } from './load.js';

// kyverno.io/docs/policy-types/cluster-policy/validate (require-labels sample)
const requireLabels = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-labels
spec:
  validationFailureActionOverrides:
  - action: enforce
    namespaces: [prod]
  rules:
  - name: check-for-labels
    match:
      any:
      - resources:
          kinds: [Pod]
    exclude:
    validate:
      failureAction: Enforce
      message: "label 'app.kubernetes.io/name' is required"
      pattern:
        metadata:
          labels:
            app.kubernetes.io/name: "?*"
`;

describe('loadKyvernoPolicy', () => {
  test('valid policy loads with defaults applied to the value only', () => {
    const doc = parse(requireLabels);
    const before = structuredClone(doc);
    const r = loadKyvernoPolicy(doc);
    assert.ok(r.ok);
    assert.equal(r.value.spec.background, true);
    assert.equal(r.value.spec.validationFailureAction, 'Audit');
    assert.equal(r.value.spec.validationFailureActionOverrides?.[0]?.action, 'Enforce');
    assert.equal(r.value.spec.rules?.[0]?.name, 'check-for-labels');
    assert.equal('exclude' in (r.value.spec.rules?.[0] ?? {}), false, 'null blocks are dropped');
    assert.deepEqual(doc, before, 'input is not modified');
    // legacy lowercase action is a warning, not an error
    assert.deepEqual(
      r.warnings.map((w) => [w.severity, w.code, w.path]),
      [['warning', 'policy/invalid-value', ['spec', 'validationFailureActionOverrides', 0, 'action']]],
    );
  });

  test('explicit values are kept', () => {
    const doc = parse(requireLabels);
    doc.spec.background = false;
    doc.spec.validationFailureAction = 'enforce';
    const r = loadKyvernoPolicy(doc);
    assert.ok(r.ok);
    assert.equal(r.value.spec.background, false);
    assert.equal(r.value.spec.validationFailureAction, 'Enforce');
  });

  test('a namespaced Policy loads', () => {
    const doc = parse(requireLabels.replace('kind: ClusterPolicy', 'kind: Policy'));
    delete doc.spec.validationFailureActionOverrides;
    doc.metadata.namespace = 'team-a';
    const r = loadKyvernoPolicy(doc);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    assert.equal(r.value.kind, 'Policy');
  });

  test('namespaced Policy may not use validationFailureActionOverrides', () => {
    const r = loadKyvernoPolicy(parse(requireLabels.replace('kind: ClusterPolicy', 'kind: Policy')));
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.filter((d) => d.severity === 'error').map((d) => d.path),
      [['spec', 'validationFailureActionOverrides']],
    );
  });

  for (const [name, doc, path] of [
    ['not an object', 'just text', []],
    ['a list', [1, 2], []],
    ['wrong kind', { apiVersion: 'kyverno.io/v1', kind: 'Pod' }, ['kind']],
    ['wrong version', { apiVersion: 'kyverno.io/v2', kind: 'ClusterPolicy' }, ['apiVersion']],
  ] as const) {
    test(`rejects ${name}`, () => {
      const r = loadKyvernoPolicy(doc);
      assert.ok(!r.ok);
      assert.deepEqual(
        r.issues.map((d) => d.path),
        [path],
      );
    });
  }

  // validate.cel is read as a ValidatingAdmissionPolicy's fields are: wrong types stop at load.
  for (const [name, cel, path] of [
    [
      'a list message',
      { expressions: [{ expression: 'true', message: ['a'] }] },
      ['expressions', 0, 'message'],
    ],
    ['a number expression', { expressions: [{ expression: 5 }] }, ['expressions', 0, 'expression']],
    ['a string variable', { expressions: [{ expression: 'true' }], variables: ['x'] }, ['variables', 0]],
    ['a list paramKind', { expressions: [{ expression: 'true' }], paramKind: [] }, ['paramKind']],
    [
      'a map audit annotation value',
      { auditAnnotations: [{ key: 'k', valueExpression: {} }] },
      ['auditAnnotations', 0, 'valueExpression'],
    ],
  ] as const) {
    test(`validate.cel with ${name} is rejected at its path`, () => {
      const doc = parse(requireLabels);
      doc.spec.rules[0].validate = { cel };
      const r = loadKyvernoPolicy(doc);
      assert.ok(!r.ok);
      assert.deepEqual(
        r.issues.filter((d) => d.severity === 'error').map((d) => [d.code, d.path]),
        [['policy/wrong-type', ['spec', 'rules', 0, 'validate', 'cel', ...path]]],
      );
    });
  }

  test('admission and background both disabled is rejected', () => {
    const doc = parse(requireLabels);
    Object.assign(doc.spec, { admission: false, background: false });
    const r = loadKyvernoPolicy(doc);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.filter((d) => d.severity === 'error').map((d) => [d.code, d.path]),
      [['policy/invalid-value', ['spec', 'admission']]],
    );
  });

  test('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = loadKyvernoPolicy(v);
        assert.equal(typeof r.ok, 'boolean');
      }),
    );
  });

  test('never throws when parts of a valid policy are replaced by arbitrary values', () => {
    const base = parse(requireLabels);
    const paths = [
      ['spec'],
      ['spec', 'rules'],
      ['spec', 'rules', 0],
      ['spec', 'rules', 0, 'match'],
      ['spec', 'rules', 0, 'validate'],
      ['metadata'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, v) => {
        const doc = structuredClone(base);
        let cur = doc;
        for (const k of path.slice(0, -1)) cur = cur[k];
        cur[path[path.length - 1] as string | number] = v;
        const r = loadKyvernoPolicy(doc);
        assert.equal(typeof r.ok, 'boolean');
      }),
    );
  });
});

// kyverno.io/docs/exceptions (delta exception sample)
const exception = `
apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: delta-exception
  namespace: delta
spec:
  exceptions:
  - policyName: disallow-host-namespaces
    ruleNames:
    - host-namespaces
    - autogen-host-namespaces
  match:
    any:
    - resources:
        kinds: [Pod, Deployment]
        namespaces: [delta]
        names: [important-tool*]
  conditions:
    any:
    - key: "{{ request.object.metadata.labels.app || '' }}"
      operator: Equals
      value: busybox
`;

describe('loadPolicyException', () => {
  test('valid exception loads with background defaulted', () => {
    const r = loadPolicyException(parse(exception));
    assert.ok(r.ok);
    assert.equal(r.value.spec.background, true);
    assert.equal(r.value.spec.exceptions[0]?.ruleNames.length, 2);
  });

  test('v2beta1 is accepted with a deprecation warning', () => {
    const r = loadPolicyException(parse(exception.replace('kyverno.io/v2', 'kyverno.io/v2beta1')));
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.severity, w.path]),
      [['warning', ['apiVersion']]],
    );
  });

  test('missing match and legacy list conditions are errors', () => {
    const doc = parse(exception);
    delete doc.spec.match;
    doc.spec.conditions = [{ key: 'a', operator: 'Equals', value: 'b' }];
    const r = loadPolicyException(doc);
    assert.ok(!r.ok);
    assert.deepEqual(r.issues.map((d) => [d.code, d.path]).sort(), [
      ['policy/missing-field', ['spec', 'match']],
      ['policy/wrong-type', ['spec', 'conditions']],
    ]);
  });

  test('a ClusterPolicy is not an exception', () => {
    const r = loadPolicyException(parse(requireLabels));
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.code, 'policy/unsupported-kind');
  });
});
