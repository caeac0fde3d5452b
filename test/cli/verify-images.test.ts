// ClusterPolicy verifyImages through the CLI (#13: these rules used to report nothing): signatures
// from a Context file (fixtures signed with throw-away keys), and the registry-less error otherwise.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const FIX = 'test/fixtures/verify-images/signed-images';
const CONTEXT = 'test/fixtures/ivpol/signed-images/context.yaml';

function palisade(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('verifyImages rules offline', () => {
  test('palisade test: the signed image verifies, the unsigned one fails', () => {
    const r = palisade(['test', FIX, '--detailed-results']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Test Summary: 4 tests passed and 0 tests failed/);
    assert.match(r.stdout, /signed\s+│ Pass\s+│ Ok\s+│ verified image signatures for ghcr\.io\/acme\/app:v1/);
    assert.match(r.stdout, /unsigned\s+│ Pass\s+│ Ok\s+│ unverified image ghcr\.io\/acme\/unsigned:v1/);
  });

  test('palisade apply: an image with no signature data is an error, never a pass', () => {
    const args = ['apply', `${FIX}/policies.yaml`, '--resource', `${FIX}/resources.yaml`, '-o', 'json'];
    const r = palisade([...args, '--context-file', CONTEXT]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      results: { resource: { name: string }; result: string; message: string }[];
    };
    assert.deepEqual(report.summary, { pass: 2, fail: 3, warn: 0, error: 1, skip: 0 });
    const unknown = report.results.filter((x) => x.resource.name === 'unknown').map((x) => x.result);
    assert.deepEqual(unknown, ['error', 'fail']);
    // Without a Context file every signature check needs a registry.
    const offline = JSON.parse(palisade(args).stdout) as typeof report;
    assert.equal(offline.summary.pass, 0);
    assert.ok(
      offline.results.some((x) => /^failed to verify image ghcr\.io\/acme\/app:v1: /.test(x.message)),
    );
  });
});
