import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPolicies } from './policies.js';
import { getPolicyDecoder } from './policy-decoder.js';
import { loadResources } from './resources.js';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'palisade-foreign-'));
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), body);
  }
  return root;
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n';
const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
spec:
  rules:
    - name: r
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: m
        pattern:
          metadata:
            name: "?*"
`;

describe('a repository folder holds YAML that is not Kubernetes objects', () => {
  const root = repo({
    'manifests/web.yaml': POD,
    'manifests/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml]\n',
    'package.json': '{"name": "x"}\n',
    'values.yaml': 'replicas: 2\n',
    'list.yaml': '- a\n- b\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
  });

  test('walked: each skipped with a notice naming why, the Pod loaded, no errors', () => {
    const r = loadResources([root]);
    assert.deepEqual(
      r.resources.map((x) => x.object.metadata?.name),
      ['web'],
    );
    assert.ok(
      r.issues.every((d) => d.severity === 'warning' && d.code === 'input/skipped'),
      JSON.stringify(r.issues),
    );
    const messages = r.issues.map((d) => `${d.source?.file.slice(root.length + 1)}: ${d.message}`).sort();
    assert.deepEqual(messages, [
      'chart/Chart.yaml: skipped Helm chart ' +
        `${join(root, 'chart')}: its templates are not manifests until rendered; run \`helm template\` and pass the output (\`--resource -\`)`,
      'list.yaml: not a Kubernetes object (not a mapping); skipped',
      'manifests/kustomization.yaml: a kustomize Kustomization, not a Kubernetes object (render it with `kustomize build` and pass the output); skipped',
      'package.json: not a Kubernetes object (it has no kind); skipped',
      'values.yaml: not a Kubernetes object (it has no kind); skipped',
    ]);
  });

  test('named on the command line, a file without a kind is still an error', () => {
    const r = loadResources([join(root, 'values.yaml')]);
    assert.equal(r.resources.length, 0);
    assert.equal(r.issues[0]?.code, 'resource/invalid');
    assert.equal(r.issues[0]?.severity, 'error');
  });

  test('a folder whose documents are all skipped is empty input', () => {
    const only = repo({ 'values.yaml': 'replicas: 2\n' });
    const r = loadResources([only]);
    assert.ok(r.issues.some((d) => d.code === 'input/empty'));
  });

  test('--exclude and globs', () => {
    const r = loadResources([join(root, '**/*.yaml')], undefined, {
      exclude: ['kustomization.yaml', 'chart'],
    });
    assert.deepEqual(
      r.resources.map((x) => x.object.metadata?.name),
      ['web'],
    );
    assert.deepEqual(
      r.issues.map((d) => d.message),
      [
        'not a Kubernetes object (not a mapping); skipped',
        'not a Kubernetes object (it has no kind); skipped',
      ],
    );
  });

  test('a glob that matches nothing names itself', () => {
    const r = loadResources([join(root, 'nothing/**/*.yaml')]);
    assert.equal(r.issues[0]?.code, 'input/not-found');
    assert.match(r.issues[0]?.message ?? '', /no files match .*nothing\/\*\*\/\*\.yaml/);
  });
});

test('a policy folder with artifacthub-pkg.yml (every Kyverno library folder has one)', async () => {
  const root = repo({ 'p.yaml': POLICY, 'artifacthub-pkg.yml': 'name: p\nversion: 1.0.0\ndisplayName: P\n' });
  const r = loadPolicies([root], await getPolicyDecoder());
  assert.equal(r.policies.length, 1);
  assert.deepEqual(
    r.issues.map((d) => [d.code, d.severity, d.message]),
    [['input/skipped', 'warning', 'not a policy (it has no kind); skipped']],
  );
});
