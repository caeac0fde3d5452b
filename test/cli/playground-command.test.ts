// `palisade playground` through the binary's entry (src/main.ts): help, usage errors and a missing
// build are one line each with their exit code; serving is checked end to end in test/e2e/playground.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from '../support/run-cli.js';

const run = (args: readonly string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'playground', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });

test('palisade playground --help', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Serve the playground on this machine/);
  assert.match(r.stdout, /--port int/);
});

test('a usage error and a missing build exit 2 with one line', () => {
  const usage = run(['--port', 'x']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^Error: --port must be a number/);
  const missing = run(['--dir', '/nonexistent/site']);
  assert.equal(missing.status, 2);
  assert.equal(
    missing.stderr,
    "Error: no built playground in /nonexistent/site; run 'npm run playground:build' or pass --dir\n",
  );
});
