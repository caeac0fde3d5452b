// A watched policy folder: all-or-nothing loads, diagnostics placed in their files, reloads after
// a burst of changes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadPolicyFolder, type PolicyFolderLoad, watchPolicyFolder } from './policy-folder.js';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Enforce
  rules:
    - name: team
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: label team is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;
const BROKEN = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: broken
spec:
  rules:
    - name: r
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        deny:
          conditions:
            any:
              - key: "{{ no_such_function(request.object) }}"
                operator: Equals
                value: x
`;

const roots: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-folder-'));
  roots.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('loadPolicyFolder', () => {
  test('compiles every policy of the folder', async () => {
    const load = await loadPolicyFolder(folder({ 'team.yaml': POLICY }));
    assert.ok(load.ok);
    assert.equal(load.policyCount, 1);
    assert.deepEqual(
      load.set.policies.map((p) => p.ref.name),
      ['require-team'],
    );
  });
  test('one broken document fails the whole folder, naming its file', async () => {
    const load = await loadPolicyFolder(folder({ 'team.yaml': POLICY, 'broken.yaml': BROKEN }));
    assert.equal(load.ok, false);
    if (load.ok) return;
    assert.ok(load.issues.length > 0);
    assert.ok(load.issues.every((d) => d.source?.file.endsWith('broken.yaml')));
  });
  test('an empty folder is an error unless allowed', async () => {
    const dir = folder({});
    const strict = await loadPolicyFolder(dir);
    assert.equal(strict.ok, false);
    if (!strict.ok)
      assert.deepEqual(
        strict.issues.map((d) => d.code),
        ['input/empty'],
      );
    const lenient = await loadPolicyFolder(dir, { allowEmpty: true });
    assert.ok(lenient.ok);
    assert.equal(lenient.policyCount, 0);
  });
  test('a folder that does not exist is an error', async () => {
    const load = await loadPolicyFolder(join(tmpdir(), 'palisade-no-such-folder-x'));
    assert.equal(load.ok, false);
  });
});

describe('watchPolicyFolder', () => {
  test('reloads once after a burst of changes, in a subfolder too', async () => {
    const dir = folder({ 'team.yaml': POLICY });
    mkdirSync(join(dir, 'sub'));
    const loads: PolicyFolderLoad[] = [];
    const watch = watchPolicyFolder(dir, (l) => loads.push(l), { debounceMs: 100 });
    try {
      await new Promise((r) => setTimeout(r, 50));
      writeFileSync(join(dir, 'sub', 'copy.yaml'), POLICY.replace('require-team', 'require-team-2'));
      writeFileSync(join(dir, 'team.yaml'), POLICY);
      for (let i = 0; i < 50 && loads.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(loads.length, 1);
      const load = loads[0];
      assert.ok(load?.ok);
      assert.deepEqual(load.set.policies.map((p) => p.ref.name).sort(), ['require-team', 'require-team-2']);
    } finally {
      watch.close();
    }
  });
});
