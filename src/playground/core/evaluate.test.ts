import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { evaluatePlayground, type PlaygroundResult } from './evaluate.js';
import { EMPTY_STATE, type PlaygroundState } from './state.js';

const run = (state: Partial<PlaygroundState>): Promise<PlaygroundResult> =>
  evaluatePlayground({ ...EMPTY_STATE, ...state }, (v) => stringify(v));

const REQUIRE_TEAM = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Enforce
  rules:
  - name: check-team
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "label team is required"
      pattern:
        metadata:
          labels:
            team: "?*"
`;

const POD = (name: string, labels = 'app: web'): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  containers:
  - name: c
    image: nginx:1.27
`;

const rowsOf = (r: PlaygroundResult) => r.rows.map((x) => `${x.policy}/${x.rule} ${x.resource} ${x.status}`);

describe('evaluatePlayground', () => {
  test('ClusterPolicy verdicts per resource, with the offending field located in the resources text', async () => {
    const r = await run({ policies: REQUIRE_TEAM, resources: `${POD('a')}---\n${POD('b', 'team: x')}` });
    assert.deepEqual(rowsOf(r), [
      'require-team/check-team Pod/default/a fail',
      'require-team/check-team Pod/default/b pass',
    ]);
    assert.deepEqual(
      { line: r.rows[0]?.line, path: r.rows[0]?.path },
      { line: 5, path: 'metadata.labels.team' },
    );
    assert.deepEqual(r.counts, { pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    assert.deepEqual(
      r.admission.map((a) => a.allowed),
      [false, true],
    );
    assert.deepEqual(r.diagnostics, []);
  });

  test('problems are placed in their editor at line and column', async () => {
    const bad = REQUIRE_TEAM.replace(
      'validationFailureAction: Enforce',
      'validationFailureAction: Sometimes',
    );
    const r = await run({
      policies: bad,
      resources: 'kind: [\n',
      values: 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nnope: 1\n',
    });
    const at = r.diagnostics.map((d) => `${d.editor} ${d.line} ${d.severity}`);
    assert.ok(at.includes('policies 6 error'), at.join(', '));
    assert.ok(r.diagnostics.some((d) => d.editor === 'resources' && d.code === 'yaml/syntax-error'));
    assert.ok(
      r.diagnostics.some((d) => d.editor === 'values' && d.line === 3),
      at.join(', '),
    );
  });

  test('a mutation gives the resource before and after; a generate rule the generated object', async () => {
    const policies = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-env
spec:
  rules:
  - name: add
    match:
      any:
      - resources:
          kinds: [Pod]
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(env): dev
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-quota
spec:
  rules:
  - name: quota
    match:
      any:
      - resources:
          kinds: [Namespace]
    generate:
      apiVersion: v1
      kind: ResourceQuota
      name: default-quota
      namespace: "{{request.object.metadata.name}}"
      synchronize: false
      data:
        spec:
          hard:
            pods: "10"
`;
    const r = await run({
      policies,
      resources: `${POD('a')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n`,
    });
    assert.equal(r.mutated.length, 1);
    assert.doesNotMatch(r.mutated[0]?.before ?? '', /env: dev/);
    assert.match(r.mutated[0]?.after ?? '', /env: dev/);
    assert.equal(r.generated.length, 1);
    assert.equal(r.generated[0]?.trigger, 'Namespace/team-a');
    assert.match(r.generated[0]?.text ?? '', /kind: ResourceQuota[\s\S]*namespace: team-a/);
  });

  test('a generate rule that cannot build its resource passes, with a warning at the trigger', async () => {
    const policies = readFileSync(
      resolve(import.meta.dirname, '../../../test/cli/fixtures/generate-failure/policy.yaml'),
      'utf8',
    );
    const r = await run({
      policies,
      resources: `${POD('a')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels:\n    team: x\n`,
    });
    assert.deepEqual(
      r.rows.map((row) => [row.rule, row.status]),
      [
        ['clone-secret', 'pass'],
        ['from-label', 'pass'],
      ],
    );
    const warnings = r.diagnostics.filter((d) => d.code === 'generate/not-built');
    assert.deepEqual(
      warnings.map((d) => [d.editor, d.line, d.severity]),
      [['resources', POD('a').split('\n').length + 1, 'warning']],
    );
    assert.match(
      warnings[0]?.message ?? '',
      /rule clone-secret: .*Namespace\/team-a.*source resource v1\/Secret\/default\/regcred not found/,
    );
  });

  test("the request's operation, user info and old object are the editors'", async () => {
    const policies = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: guard
spec:
  validationFailureAction: Enforce
  rules:
  - name: only-alice-deletes
    match:
      any:
      - resources:
          kinds: [ConfigMap]
          operations: [DELETE]
    validate:
      message: only alice may delete
      deny:
        conditions:
          any:
          - key: "{{request.userInfo.username}}"
            operator: NotEquals
            value: alice
  - name: locked
    match:
      any:
      - resources:
          kinds: [ConfigMap]
          operations: [UPDATE]
    validate:
      message: the old object is locked
      deny:
        conditions:
          any:
          - key: "{{request.oldObject.metadata.labels.locked || ''}}"
            operator: Equals
            value: "yes"
`;
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n';
    const user = (name: string) =>
      `apiVersion: cli.kyverno.io/v1alpha1\nkind: UserInfo\nmetadata:\n  name: u\nuserInfo:\n  username: ${name}\n`;
    const del = await run({ policies, resources: cm, operation: 'DELETE', userInfo: user('bob') });
    assert.deepEqual(rowsOf(del), ['guard/only-alice-deletes ConfigMap/default/cm fail']);
    const alice = await run({ policies, resources: cm, operation: 'DELETE', userInfo: user('alice') });
    assert.deepEqual(rowsOf(alice), ['guard/only-alice-deletes ConfigMap/default/cm pass']);
    // Values decide the operation when the page does not.
    const values =
      'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nglobalValues:\n  request.operation: DELETE\n';
    assert.deepEqual(rowsOf(await run({ policies, resources: cm, values, userInfo: user('bob') })), [
      'guard/only-alice-deletes ConfigMap/default/cm fail',
    ]);
    const old = `${cm}  labels:\n    locked: "yes"\n`;
    const update = { policies, resources: cm, operation: 'UPDATE' as const, oldObject: old };
    assert.deepEqual(rowsOf(await run({ ...update, mode: 'admission' })), [
      'guard/locked ConfigMap/default/cm fail',
    ]);
    // As Kyverno's CLI judges it, the old object is the resource itself: a warning says so.
    const asCli = await run(update);
    assert.deepEqual(rowsOf(asCli), ['guard/locked ConfigMap/default/cm pass']);
    assert.deepEqual(
      asCli.diagnostics.map((d) => `${d.editor} ${d.severity} ${d.code}`),
      ['oldObject warning playground/old-object-unused'],
    );
    assert.deepEqual(rowsOf(await run({ policies, resources: cm, operation: 'UPDATE' })), [
      'guard/locked ConfigMap/default/cm pass',
    ]);
  });

  test('exceptions among the policies are bound; the CEL and admission kinds run too', async () => {
    const exception = `apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: allow-legacy
  namespace: default
spec:
  exceptions:
  - policyName: require-team
    ruleNames: [check-team]
  match:
    any:
    - resources:
        kinds: [Pod]
        names: [legacy]
`;
    const r = await run({ policies: `${REQUIRE_TEAM}---\n${exception}`, resources: POD('legacy') });
    assert.deepEqual(rowsOf(r), ['require-team/check-team Pod/default/legacy skip']);
    const cel = `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: require-owner
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [configmaps]
  validations:
  - expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels"
    message: an owner label is required
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: small-configmaps
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [configmaps]
  validations:
  - expression: "!has(object.data) || size(object.data) <= 1"
    message: at most one key
`;
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n  b: "2"\n';
    const statuses = (await run({ policies: cel, resources: cm })).rows.map((x) => `${x.policy} ${x.status}`);
    assert.deepEqual(statuses.sort(), ['require-owner fail', 'small-configmaps fail']);
  });
});
