import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { testCommand } from '../../cli/commands/test.js';
import { DEFAULT_EXAMPLE } from '../ui/default-example.js';
import { evaluatePlayground } from './evaluate.js';
import { exportSuite } from './export-suite.js';
import type { PlaygroundState } from './state.js';

async function passesPalisadeTest(state: PlaygroundState): Promise<string> {
  const files = exportSuite(state, await evaluatePlayground(state, (v) => stringify(v)));
  const dir = mkdtempSync(join(tmpdir(), 'palisade-export-'));
  try {
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
    const run = await testCommand([dir], { stdin: () => '' });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /0 tests passed/);
    return files[0]?.text ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the exported suite names its files and passes `palisade test`', async () => {
  const suite = await passesPalisadeTest(DEFAULT_EXAMPLE);
  assert.match(suite, /^apiVersion: cli\.kyverno\.io\/v1alpha1\nkind: Test\n/);
  assert.match(suite, /policies:\n- policies\.yaml\nresources:\n- resources\.yaml\n/);
  assert.match(
    suite,
    /- policy: require-team-label\n {2}rule: check-team\n {2}kind: Pod\n {2}resources:\n {2}- default\/web\n {2}result: fail/,
  );
});

test('values and the operation go into the suite', async () => {
  const values =
    'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nglobalValues:\n  request.operation: UPDATE\n';
  const suite = await passesPalisadeTest({ ...DEFAULT_EXAMPLE, values, operation: 'UPDATE' });
  assert.match(suite, /variables: values\.yaml/);
  assert.match(suite, /operation: UPDATE/);
});
