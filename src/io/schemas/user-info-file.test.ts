import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { validateUserInfoFile } from './user-info-file.js';

// kyverno.io/docs/kyverno-cli/usage/apply (user info file example)
const sample = `
apiVersion: cli.kyverno.io/v1alpha1
kind: UserInfo
metadata:
  name: user-info
clusterRoles:
- admin
roles:
- ns:dev-role
userInfo:
  username: molybdenum@somecorp.com
  groups: [system:authenticated]
  extra:
    scopes: [a, b]
`;

test('a user info file validates', () => {
  const r = validateUserInfoFile(parse(sample));
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  assert.equal(r.value.userInfo?.username, 'molybdenum@somecorp.com');
  assert.deepEqual(r.value.clusterRoles, ['admin']);
});

test('unknown fields are errors', () => {
  const doc = parse(sample);
  doc.userInfo.name = 'x';
  const r = validateUserInfoFile(doc);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.issues.map((d) => [d.code, d.path]),
    [['policy/unknown-field', ['userInfo', 'name']]],
  );
});

test('extra values must be string lists', () => {
  const doc = parse(sample);
  doc.userInfo.extra.scopes = 'a';
  const r = validateUserInfoFile(doc);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.issues.map((d) => d.path),
    [['userInfo', 'extra', 'scopes']],
  );
});
