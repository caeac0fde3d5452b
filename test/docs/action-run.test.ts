// The GitHub Action's run step as a runner would execute it (#13): action.yml's script under
// `bash -eo pipefail`, its env with the inputs filled in, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as
// files, and the committed bundle as the CLI. Checks one run gives annotations, the job summary and
// SARIF, and that the exit code reaches the step output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: {
    steps: {
      id?: string;
      if?: string;
      run?: string;
      env?: Record<string, string>;
      with?: Record<string, string>;
    }[];
  };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const runStep = action.runs.steps.find((s) => s.id === 'run')!;
const scratch: string[] = [];
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Runs the step in a copy of docs/examples with these inputs (over the action's defaults). */
function runAction(inputs: Record<string, string>) {
  const work = mkdtempSync(join(tmpdir(), 'palisade-action-'));
  scratch.push(work);
  cpSync(join(ROOT, 'docs/examples'), work, { recursive: true });
  const values: Record<string, string> = {
    ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])),
    ...inputs,
  };
  const expand = (v: string): string =>
    v.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (expr === 'github.action_path') return ROOT;
      const m = /^inputs\.([\w-]+)$/.exec(expr);
      if (m === null) throw new Error(`unexpected expression ${expr}`);
      return values[m[1]!] ?? '';
    });
  const env = Object.fromEntries(Object.entries(runStep.env ?? {}).map(([k, v]) => [k, expand(v)]));
  const output = join(work, 'github-output');
  const summary = join(work, 'step-summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', runStep.run!], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1' },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs,
    summary: readFileSync(summary, 'utf8'),
    work,
  };
}

test('apply with findings: annotations, summary and SARIF from one run; exit-code 1 in the outputs', () => {
  const r = runAction({ policies: 'policies/', resources: 'manifests/', sarif: 'true' });
  assert.equal(r.code, 0, r.stderr); // the step itself succeeds; a later step fails the job
  assert.equal(r.outputs['exit-code'], '1');
  assert.match(r.stdout, /^::error file=manifests\/debug-pod\.yaml,line=\d+,col=\d+,title=/m);
  assert.match(r.summary, /^### Palisade apply: ❌ \d+ problem\(s\)/);
  assert.equal(r.outputs['sarif-file'], 'palisade.sarif');
  const sarif = JSON.parse(readFileSync(join(r.work, 'palisade.sarif'), 'utf8'));
  assert.ok(sarif.runs[0].results.length > 0);
  assert.ok(
    sarif.runs[0].results.every(
      (x: { locations: { physicalLocation?: unknown }[] }) => x.locations[0]?.physicalLocation,
    ),
  );
});

test('inputs that do not load: exit-code 2, and the SARIF and summary say what failed', () => {
  const r = runAction({ policies: 'policies/', resources: 'no-such-folder/', sarif: 'true' });
  assert.equal(r.outputs['exit-code'], '2');
  assert.match(r.stdout, /^::error file=no-such-folder\/?,line=1,col=1,title=input\/not-found::/m);
  assert.match(r.summary, /input\(s\) could not be loaded/);
  const sarif = JSON.parse(readFileSync(join(r.work, 'palisade.sarif'), 'utf8'));
  assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.ok(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'input/not-found'));
});

test('test command: exit-code 0 with a summary and no SARIF unless asked', () => {
  const r = runAction({ command: 'test', paths: 'tests/' });
  assert.equal(r.outputs['exit-code'], '0', r.stdout + r.stderr);
  assert.match(r.summary, /^### Palisade test: ✅ no problems/);
  assert.equal(r.outputs['sarif-file'], undefined);
  assert.equal(existsSync(join(r.work, 'palisade.sarif')), false);
});

test('an unknown command is a usage error (exit-code 2)', () => {
  const r = runAction({ command: 'aply' });
  assert.equal(r.code, 2);
  assert.equal(r.outputs['exit-code'], '2');
  assert.match(r.stdout, /command must be apply or test, got 'aply'/);
});

test('the SARIF upload skips pull requests from forks unless asked, and uploads the file written', () => {
  const upload = action.runs.steps.find((s) => s.with?.sarif_file !== undefined)!;
  assert.match(
    upload.if ?? '',
    /github\.event\.pull_request\.head\.repo\.fork != true \|\| inputs\.upload-sarif-from-forks == 'true'/,
  );
  assert.match(upload.if ?? '', /steps\.run\.outputs\.sarif-file != ''/);
  assert.match(upload.with?.sarif_file ?? '', /^\$\{\{ steps\.run\.outputs\.sarif-file \}\}$/);
});
