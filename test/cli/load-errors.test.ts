// Issue #13: inputs that cannot be loaded show up in every output format (never an empty report that
// reads as a clean run), and each exit code means one thing: 0 clean, 1 findings, 2 usage or input.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { testCommand } from '../../src/cli/commands/test.js';
import { EXIT_FAILURE, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { descendants, parseXml } from '../support/mini-xml.js';

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
const GOOD_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\n  labels:\n    team: a\n';
const BAD_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n';
// Line 3 is the broken one: a nested mapping in a compact one.
const BROKEN = 'apiVersion: v1\nkind: Pod\nmetadata: a: b\nspec: {}\n';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-load-errors-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const ctx = { stdin: () => '' };

describe('exit codes are distinct', () => {
  test('the constants', () => {
    assert.deepEqual([EXIT_OK, EXIT_FAILURE, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL], [0, 1, 2, 2, 3]);
  });

  const dir = folder({ 'p.yaml': POLICY, 'good.yaml': GOOD_POD, 'bad.yaml': BAD_POD, 'broken.yaml': BROKEN });
  const cases: readonly { name: string; args: string[]; code: number }[] = [
    { name: 'clean run', args: ['p.yaml', '-r', 'good.yaml'], code: 0 },
    { name: 'a violation', args: ['p.yaml', '-r', 'bad.yaml'], code: 1 },
    { name: 'a violation below --fail-on', args: ['p.yaml', '-r', 'bad.yaml', '--fail-on', 'none'], code: 0 },
    { name: 'an unreadable resource file', args: ['p.yaml', '-r', 'broken.yaml'], code: 2 },
    { name: 'a missing resource file', args: ['p.yaml', '-r', 'nope.yaml'], code: 2 },
    { name: 'a missing policy file', args: ['nope.yaml', '-r', 'good.yaml'], code: 2 },
    // Broken input wins over a clean verdict on the rest: part of the input was not checked.
    {
      name: 'a good and a broken resource',
      args: ['p.yaml', '-r', 'good.yaml', '-r', 'broken.yaml'],
      code: 2,
    },
    { name: 'an unknown flag', args: ['p.yaml', '-r', 'good.yaml', '--nope'], code: 2 },
    { name: 'an unknown --fail-on', args: ['p.yaml', '-r', 'good.yaml', '--fail-on', 'often'], code: 2 },
  ];
  for (const c of cases)
    test(`apply: ${c.name} → ${c.code}`, async () => {
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const r = await applyCommand(c.args, ctx);
        assert.equal(r.exitCode, c.code, r.stdout + r.stderr);
      } finally {
        process.chdir(cwd);
      }
    });
});

describe('a load error in every output format', () => {
  const dir = folder({ 'p.yaml': POLICY, 'broken.yaml': BROKEN });
  const run = async (format: string) => {
    const r = await applyCommand([join(dir, 'p.yaml'), '-r', join(dir, 'broken.yaml'), '-o', format], ctx);
    assert.equal(r.exitCode, EXIT_INPUT, r.stderr);
    assert.match(r.stderr, /broken\.yaml:3:\d+: yaml\/syntax-error/);
    return r.stdout;
  };
  const file = join(dir, 'broken.yaml');

  test('json: an errors array with file, line and code', async () => {
    const doc = JSON.parse(await run('json'));
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0].code, 'yaml/syntax-error');
    assert.equal(doc.errors[0].file, file);
    assert.equal(doc.errors[0].line, 3);
    assert.deepEqual(doc.results, []);
  });

  test('sarif: a failed invocation with a notification, and a result on the file and line', async () => {
    const log = JSON.parse(await run('sarif'));
    const runLog = log.runs[0];
    assert.equal(runLog.invocations[0].executionSuccessful, false);
    const note = runLog.invocations[0].toolExecutionNotifications[0];
    assert.equal(note.level, 'error');
    assert.equal(note.descriptor.id, 'yaml/syntax-error');
    assert.equal(runLog.results.length, 1);
    assert.equal(runLog.results[0].ruleId, 'yaml/syntax-error');
    assert.equal(runLog.results[0].locations[0].physicalLocation.region.startLine, 3);
    assert.equal(runLog.tool.driver.rules[runLog.results[0].ruleIndex].id, 'yaml/syntax-error');
  });

  test('junit: an <error> test case naming the file', async () => {
    const root = parseXml(await run('junit'));
    const errors = descendants(root, 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.attributes.type, 'yaml/syntax-error');
    assert.equal(root.attributes.errors, '1');
    const cases = descendants(root, 'testcase');
    assert.equal(cases[0]?.attributes.file, file);
  });

  test('github: an ::error annotation on the file and line', async () => {
    const lines = (await run('github')).trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^::error file=[^,]*broken\.yaml,line=3,col=\d+,title=yaml\/syntax-error::/);
    assert.match(lines.at(-1) ?? '', /inputs not loaded: 1$/);
  });

  test('markdown: the verdict says inputs could not be loaded, and lists them', async () => {
    const md = await run('markdown');
    assert.match(md, /^### Palisade apply: ❌ 1 input\(s\) could not be loaded/);
    assert.match(md, /\| error \| `yaml\/syntax-error` \| `[^`]*broken\.yaml:3:\d+` \|/);
  });

  // As the reference, a resource that cannot be loaded stops the run before anything is evaluated.
  test('a good and a broken resource: nothing evaluated, the broken one reported', async () => {
    const d = folder({ 'p.yaml': POLICY, 'bad.yaml': BAD_POD, 'broken.yaml': BROKEN });
    const r = await applyCommand(
      [join(d, 'p.yaml'), '-r', join(d, 'bad.yaml'), '-r', join(d, 'broken.yaml'), '-o', 'json'],
      ctx,
    );
    assert.equal(r.exitCode, EXIT_INPUT);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.results, []);
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0].code, 'yaml/syntax-error');
  });
});

describe('test: a suite that cannot be loaded', () => {
  const dir = folder({
    'broken.yaml': BROKEN,
    'kyverno-test.yaml': [
      'apiVersion: cli.kyverno.io/v1alpha1',
      'kind: Test',
      'metadata: {name: t}',
      'policies: [broken.yaml]',
      'resources: [broken.yaml]',
      'results:',
      '- {policy: require-team, rule: team-label, resources: [bad], kind: Pod, result: fail}',
    ].join('\n'),
  });

  test('-o json: an Error record naming the code, exit 2', async () => {
    const r = await testCommand([dir, '-o', 'json'], ctx);
    assert.equal(r.exitCode, EXIT_INPUT, r.stderr);
    const records = JSON.parse(r.stdout) as { RESULT: string; REASON: string; MESSAGE: string }[];
    assert.ok(records.length > 0);
    assert.ok(records.every((x) => x.RESULT === 'Error' && x.REASON === 'yaml/syntax-error'));
    assert.match(records[0]?.MESSAGE ?? '', /broken\.yaml:3:\d+: /);
  });

  test('-o sarif: the invocation failed', async () => {
    const r = await testCommand([dir, '-o', 'sarif'], ctx);
    assert.equal(r.exitCode, EXIT_INPUT);
    assert.equal(JSON.parse(r.stdout).runs[0].invocations[0].executionSuccessful, false);
  });
});

describe('test: resources defined twice (Kyverno tests only the first)', () => {
  // The second Pod `bad` (line 6) is dropped as Kyverno's CLI drops it; every format says so.
  const dir = folder({
    'policy.yaml': POLICY,
    'pods.yaml': `${GOOD_POD.replace('good', 'bad')}---\n${BAD_POD}`,
    'kyverno-test.yaml': [
      'apiVersion: cli.kyverno.io/v1alpha1',
      'kind: Test',
      'metadata: {name: t}',
      'policies: [policy.yaml]',
      'resources: [pods.yaml]',
      'results:',
      '- {policy: require-team, rule: team-label, resources: [bad], kind: Pod, result: pass}',
    ].join('\n'),
  });
  const message = /Pod default\/bad is defined more than once; only its first definition is tested/;

  test("text: the reference's warning line, and a located warning on stderr; exit 0", async () => {
    const r = await testCommand([dir], ctx);
    assert.equal(r.exitCode, EXIT_OK, r.stderr);
    assert.match(r.stdout, /warning: found duplicated resource Pod bad default/);
    assert.match(r.stderr, /pods\.yaml:8:1 \(document 2\): warning resource\/duplicate: /);
  });

  test("github, sarif and junit carry the warning at the duplicate's file and line", async () => {
    const gh = await testCommand([dir, '-o', 'github'], ctx);
    assert.match(gh.stdout, /^::warning file=[^,]*pods\.yaml,line=8,col=1,title=resource\/duplicate::/m);
    const sarif = JSON.parse((await testCommand([dir, '-o', 'sarif'], ctx)).stdout);
    assert.match(JSON.stringify(sarif.runs[0]), message);
    const junit = parseXml((await testCommand([dir, '-o', 'junit'], ctx)).stdout);
    const out = descendants(junit, 'system-out').map((x) => x.text);
    assert.ok(
      out.some((t) => message.test(t) && /pods\.yaml:8:1/.test(t)),
      out.join('\n'),
    );
  });
});

describe('inputs as a repository holds them', () => {
  test('apply --resource <repo>: other YAML skipped with notices, --exclude honoured, exit 0', async () => {
    const dir = folder({
      'p.yaml': POLICY,
      'good.yaml': GOOD_POD,
      'bad.yaml': BAD_POD,
      'package.json': '{"a": 1}',
    });
    const r = await applyCommand(
      [join(dir, 'p.yaml'), '-r', dir, '--exclude', 'bad.yaml', '-o', 'github'],
      ctx,
    );
    assert.equal(r.exitCode, EXIT_OK, r.stderr);
    assert.match(
      r.stdout,
      /::warning file=[^,]*package\.json,line=1,col=1,title=input\/skipped::not a Kubernetes object/,
    );
    assert.match(r.stdout, /pass: 1, fail: 0/);
  });
});
