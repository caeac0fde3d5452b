// The GitHub Action, the pre-commit hooks and the example workflow are data other tools read:
// check they parse and hold what those tools require.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (p: string): unknown => parse(readFileSync(resolve(ROOT, p), 'utf8'));

interface Step {
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
}

test('action.yml is a composite action whose run steps declare a shell and take inputs via env', () => {
  const action = read('action.yml') as {
    name: string;
    description: string;
    inputs: Record<string, { description: string }>;
    runs: { using: string; steps: Step[] };
  };
  assert.equal(action.runs.using, 'composite');
  for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description, name);
  for (const step of action.runs.steps) {
    if (step.run === undefined) continue;
    assert.ok(step.shell, 'composite run steps need a shell');
    // Script injection: inputs must not be spliced into scripts.
    assert.doesNotMatch(step.run, /\$\{\{\s*inputs\./);
  }
  const uses = action.runs.steps.flatMap((s) => (s.uses !== undefined ? [s.uses] : []));
  assert.ok(uses.includes('github/codeql-action/upload-sarif@v3'));
  const run = action.runs.steps.find((s) => s.env?.PALISADE !== undefined);
  // Palisade runs once; the summary and SARIF come from that run (--report), no build step.
  assert.equal(run?.run?.match(/node "\$PALISADE"/g)?.length, 1);
  assert.match(run?.run ?? '', /-o github "\$\{reports\[@\]\}"/);
  assert.match(run?.run ?? '', /--report "sarif=\$IN_SARIF_FILE"/);
  assert.match(run?.run ?? '', /--report "markdown=\$summary"/);
  assert.match(run?.env?.PALISADE ?? '', /^\$\{\{ github\.action_path \}\}\/bin\/palisade\.mjs$/);
  for (const s of action.runs.steps) assert.doesNotMatch(s.run ?? '', /npm (ci|install)|npm run build/);
});

test('.pre-commit-hooks.yaml declares the hooks with the fields pre-commit requires', () => {
  const hooks = read('.pre-commit-hooks.yaml') as Record<string, unknown>[];
  assert.deepEqual(
    hooks.map((h) => h.id),
    ['palisade-test', 'palisade-apply'],
  );
  for (const h of hooks)
    for (const k of ['id', 'name', 'entry', 'language']) assert.ok(h[k], `${h.id}: ${k}`);
});

test('the example workflow uses the action with inputs it declares', () => {
  const action = read('action.yml') as { inputs: Record<string, unknown> };
  const wf = read('docs/examples/github-workflow.yml') as {
    jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
  };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.includes('palisade')));
  assert.ok(steps.length > 0);
  for (const s of steps) for (const k of Object.keys(s.with ?? {})) assert.ok(k in action.inputs, k);
});
