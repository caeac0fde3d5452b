import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { compilePolicy } from '../../engine/index.js';
import { loadExceptions, loadPolicies } from '../../io/files/policies.js';
import { getPolicyDecoder } from '../../io/files/policy-decoder.js';
import { loadTestFile } from '../../io/files/test-suite.js';
import { loadValuesFile } from '../../io/files/values.js';
import { createCommand } from './create.js';

const ctx = { stdin: () => '' };
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: good-pod
  labels:
    team: a
spec:
  containers:
    - name: c
      image: nginx:1.27
`;

test('create policy: a policy that compiles, with a comment on its fields', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-create-'));
  const file = join(dir, 'p.yaml');
  const r = await createCommand(['policy', '--name', 'require-team-label', '-o', file], ctx);
  assert.equal(r.exitCode, 0, r.stderr);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /validationFailureAction: Enforce\n/);
  assert.ok(text.split('\n').filter((l) => l.includes('#')).length >= 8, 'explains its fields');
  const loaded = loadPolicies([file], await getPolicyDecoder());
  assert.deepEqual(loaded.issues, []);
  const c = compilePolicy(loaded.policies[0]!.policy);
  assert.ok(c.ok);
  // never overwrites by accident
  const again = await createCommand(['policy', '-o', file], ctx);
  assert.equal(again.exitCode, 1);
  assert.match(again.stderr, /exists; use --force/);
});

test('create test: rows from --pass/--fail, kind read from the resource file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-create-'));
  writeFileSync(join(dir, 'pods.yaml'), POD);
  const file = join(dir, 'kyverno-test.yaml');
  const r = await createCommand(
    [
      'test',
      '--policy',
      'p.yaml',
      '--resource',
      'pods.yaml',
      '--pass',
      'p,r,good-pod',
      '--fail',
      'p,r,bad,team-a,Deployment',
      '-o',
      file,
    ],
    ctx,
  );
  assert.equal(r.exitCode, 0, r.stderr);
  const loaded = loadTestFile(file);
  assert.deepEqual(loaded.issues, []);
  assert.deepEqual(
    loaded.test?.results?.map((x) => [x.policy, x.rule, x.kind, x.resources, x.result]),
    [
      ['p', 'r', 'Pod', ['good-pod'], 'pass'],
      ['p', 'r', 'Deployment', ['team-a/bad'], 'fail'],
    ],
  );
});

test('create test: an unknown kind is a usage error', async () => {
  const r = await createCommand(
    ['test', '--policy', 'p.yaml', '--resource', 'none.yaml', '--pass', 'p,r,x'],
    ctx,
  );
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /kind of resource "x" unknown/);
});

test('create values: a Values file the loader accepts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-create-'));
  const file = join(dir, 'values.yaml');
  const r = await createCommand(
    ['values', '--global', 'request.operation=UPDATE', '--namespace-label', 'prod:env=prod', '-o', file],
    ctx,
  );
  assert.equal(r.exitCode, 0, r.stderr);
  const v = loadValuesFile(file);
  assert.deepEqual(v.issues, []);
  assert.deepEqual(v.spec?.globalValues, { 'request.operation': 'UPDATE' });
  assert.deepEqual(v.spec?.namespaceSelector, [{ name: 'prod', labels: { env: 'prod' } }]);
});

test('create exception: a PolicyException the loader accepts', async () => {
  const r = await createCommand(
    [
      'exception',
      'allow-legacy',
      '--policy-rules',
      'p,r1,r2',
      '--kind',
      'Pod',
      '--kind',
      'Deployment',
      '--name-match',
      'legacy-*',
    ],
    ctx,
  );
  assert.equal(r.exitCode, 0, r.stderr);
  const doc = parse(r.stdout);
  assert.deepEqual(doc.spec, {
    exceptions: [{ policyName: 'p', ruleNames: ['r1', 'r2'] }],
    match: { any: [{ resources: { kinds: ['Pod', 'Deployment'], names: ['legacy-*'] } }] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'palisade-create-'));
  writeFileSync(join(dir, 'e.yaml'), r.stdout);
  const loaded = loadExceptions([join(dir, 'e.yaml')], await getPolicyDecoder());
  assert.deepEqual(loaded.issues, []);
  assert.equal(loaded.exceptions.length, 1);
});

test('unknown file types and missing names are usage errors', async () => {
  assert.equal((await createCommand(['chart'], ctx)).exitCode, 2);
  assert.equal((await createCommand(['exception', '--policy-rules', 'p,r'], ctx)).exitCode, 2);
  assert.equal((await createCommand([], ctx)).exitCode, 2);
  assert.equal((await createCommand(['--help'], ctx)).exitCode, 0);
});
