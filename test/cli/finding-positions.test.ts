// Issue #13: every finding in SARIF, GitHub and JUnit output carries a file and a line: resources
// from files, JSON payloads (`apply --json`, a test's jsonPayloads) and documents from standard input.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { testCommand } from '../../src/cli/commands/test.js';
import { descendants, parseXml } from '../support/mini-xml.js';

const FIX = resolve(import.meta.dirname, 'fixtures/cel-kinds/json-payloads');
const CTX = { stdin: () => '' };

interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      locations?: {
        physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } };
      }[];
    }[];
  }[];
}

function regions(stdout: string): { uri: string; line: number | undefined }[] {
  const log = JSON.parse(stdout) as SarifLog;
  return log.runs[0]!.results.map((r) => ({
    uri: r.locations?.[0]?.physicalLocation?.artifactLocation.uri ?? '',
    line: r.locations?.[0]?.physicalLocation?.region?.startLine,
  }));
}

test('apply --json: findings on a payload point into the payload file', async () => {
  const args = [`${FIX}/policies.yaml`, '--json', `${FIX}/plan-bad.yaml`, '--json', `${FIX}/plan-good.json`];
  const sarif = await applyCommand([...args, '-o', 'sarif'], CTX);
  const found = regions(sarif.stdout);
  assert.equal(found.length, 2);
  for (const f of found) {
    assert.match(f.uri, /plan-(bad\.yaml|good\.json)$/);
    assert.ok((f.line ?? 0) >= 1, JSON.stringify(f));
  }
  const github = await applyCommand([...args, '-o', 'github'], CTX);
  const annotations = github.stdout.split('\n').filter((l) => l.startsWith('::error'));
  assert.equal(annotations.length, 2);
  for (const a of annotations)
    assert.match(a, /^::error file=[^,]*plan-(bad\.yaml|good\.json),line=\d+,col=\d+,/);
});

test('test: a failed row on a JSON payload points into the payload file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-positions-'));
  cpSync(FIX, dir, { recursive: true });
  // Expect the opposite of what happens to plan-bad.yaml, so the row fails.
  const file = join(dir, 'kyverno-test.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      'resources: [plan-bad.yaml]\n    result: fail',
      'resources: [plan-bad.yaml]\n    result: pass',
    ),
  );
  const r = await testCommand([dir, '-o', 'sarif'], CTX);
  assert.equal(r.exitCode, 1, r.stderr);
  const found = regions(r.stdout);
  assert.equal(found.length, 1);
  assert.match(found[0]!.uri, /plan-bad\.yaml$/);
  assert.ok((found[0]!.line ?? 0) >= 1);
  const junit = parseXml((await testCommand([dir, '-o', 'junit'], CTX)).stdout);
  const failed = descendants(junit, 'testcase').filter((c) => c.children.some((x) => x.name === 'failure'));
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.attributes.file ?? '', /plan-bad\.yaml$/);
});

test('apply from stdin: SARIF, GitHub and JUnit keep the line in the stream', async () => {
  const policy = join(FIX, '../../ci/policies');
  const pods =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n';
  const ctx = { stdin: () => pods };
  const sarif = regions((await applyCommand([policy, '--resource', '-', '-o', 'sarif'], ctx)).stdout);
  assert.ok(sarif.length > 0);
  for (const f of sarif) {
    assert.equal(f.uri, 'stdin');
    assert.ok((f.line ?? 0) >= 1);
  }
  // Line 13 is the `image:` of the second document.
  assert.ok(
    sarif.some((f) => f.line === 13),
    JSON.stringify(sarif),
  );
  const github = (await applyCommand([policy, '--resource', '-', '-o', 'github'], ctx)).stdout;
  assert.match(github, /^::error title=[^:]+::<stdin>:13:\d+: default\/Pod\/b: /m);
  const junit = parseXml((await applyCommand([policy, '--resource', '-', '-o', 'junit'], ctx)).stdout);
  for (const c of descendants(junit, 'testcase').filter((x) => x.children.some((y) => y.name === 'failure')))
    assert.equal(c.attributes.file, '<stdin>');
});
