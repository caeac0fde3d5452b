// Issue #13: a `palisade test` result row whose policy, rule or resource names nothing the test
// loads is never a silent pass: a warning at the row's file and line, and a failure with --strict.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testCommand } from '../../src/cli/commands/test.js';
import { EXIT_FAILURE, EXIT_OK } from '../../src/cli/exit-codes.js';

const CTX = { stdin: () => '' };

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Enforce
  rules:
    - name: team-label
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: a team label is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;
const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: good
  labels: {team: a}
---
apiVersion: v1
kind: Pod
metadata:
  name: bad
`;

function suite(results: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-unmatched-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'pods.yaml'), PODS);
  writeFileSync(
    join(dir, 'kyverno-test.yaml'),
    `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: t
policies: [policy.yaml]
resources: [pods.yaml]
results:
${results}`,
  );
  return dir;
}

const GOOD_ROW = `  - policy: require-team
    rule: team-label
    resources: [good]
    kind: Pod
    result: pass
`;

test('a misspelt rule passes as excluded, as in Kyverno, with a warning at its line; --strict fails', async () => {
  // Line 14 of the test file holds the second row's `rule:`.
  const dir = suite(`${GOOD_ROW}  - policy: require-team
    rule: team-lable
    resources: [bad]
    kind: Pod
    result: fail
`);
  const file = join(dir, 'kyverno-test.yaml');
  const r = await testCommand([dir], CTX);
  assert.equal(r.exitCode, EXIT_OK, r.stderr);
  assert.match(r.stdout, /Excluded/);
  assert.ok(
    r.stderr.includes(
      `${file}:14:5: warning test/unmatched-row: result row names rule "team-lable", which policy require-team does not have (rules: team-label)`,
    ),
    r.stderr,
  );
  assert.match(r.stderr, /Did you mean "team-label"\?/);
  const strict = await testCommand([dir, '--strict'], CTX);
  assert.equal(strict.exitCode, EXIT_FAILURE);
  assert.match(strict.stderr, /14:5: test\/unmatched-row/);
  assert.match(
    strict.stderr,
    /Error: 1 result row\(s\) name a policy, rule or resource the test does not load \(--strict\)/,
  );
});

test('a resource name that matches nothing is reported (Kyverno checks every resource instead)', async () => {
  const dir = suite(`${GOOD_ROW}  - policy: require-team
    rule: team-label
    resources: [good, bda]
    kind: Pod
    result: pass
`);
  const r = await testCommand([dir, '-o', 'github'], CTX);
  // `good` passes; the misspelt `bda` is ignored by the check but named in a warning annotation.
  assert.equal(r.exitCode, EXIT_OK, r.stderr);
  assert.match(
    r.stdout,
    /^::warning file=.*kyverno-test\.yaml,line=15,col=23,title=test\/unmatched-row::result row names resource "bda"/m,
  );
  const strict = await testCommand([dir, '--strict', '-o', 'sarif'], CTX);
  assert.equal(strict.exitCode, EXIT_FAILURE);
  const sarif = JSON.parse(strict.stdout) as {
    runs: {
      results: {
        level: string;
        message: { text: string };
        locations: { physicalLocation: { region: { startLine: number } } }[];
      }[];
    }[];
  };
  const hit = sarif.runs[0]!.results.find((x) => x.message.text.includes('"bda"'));
  assert.equal(hit?.level, 'error');
  assert.equal(hit?.locations[0]?.physicalLocation.region.startLine, 15);
});

test('a policy the test does not load fails as Not found, and says why', async () => {
  const dir = suite(`  - policy: require-teams
    rule: team-label
    resources: [bad]
    kind: Pod
    result: fail
`);
  const r = await testCommand([dir], CTX);
  assert.equal(r.exitCode, EXIT_FAILURE);
  assert.match(r.stdout, /Not found/);
  assert.match(
    r.stderr,
    /:8:5: warning test\/unmatched-row: result row names policy "require-teams", which the test does not load \(policies: require-team\)\. Did you mean "require-team"\?/,
  );
});

test('rows naming autogen rules, and rows of a suite that names everything, raise nothing', async () => {
  const dir = suite(`${GOOD_ROW}  - policy: require-team
    rule: autogen-team-label
    resources: [bad]
    kind: Pod
    result: fail
`);
  const r = await testCommand([dir, '--strict'], CTX);
  assert.doesNotMatch(r.stderr, /unmatched-row/);
  assert.equal(r.exitCode, EXIT_OK, r.stderr);
});
