// CI scenarios (issue #5): helm-template-like multi-document stdin piped into `apply` with the
// pipeline formats, file:line positions, --fail-on and colour rules, through the real CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { descendants, parseXml } from '../support/mini-xml.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIX = 'test/cli/fixtures/ci';
const HELM = readFileSync(resolve(ROOT, FIX, 'helm-template.yaml'), 'utf8');

function palisade(args: string[], stdin = '', env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const apply = (format: string, extra: string[] = []) =>
  palisade(['apply', `${FIX}/policies`, '--resource', '-', '--audit-warn', '-o', format, ...extra], HELM);

describe('helm template | palisade apply policies/ --resource -', () => {
  test('-o github: one workflow command per problem, in the runner syntax', () => {
    const r = apply('github');
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const annotations = lines.filter((l) => l.startsWith('::'));
    // The Deployment (autogen rule) runs nginx:latest; the Job has no securityContext (an Audit
    // policy, so a warning with --audit-warn).
    assert.deepEqual(
      annotations.map((l) => l.slice(2, l.indexOf('::', 2))),
      [
        'error title=Disallow Latest Tag (autogen-validate-image-tag)',
        'warning title=Require runAsNonRoot (autogen-run-as-non-root)',
      ],
    );
    for (const l of annotations) assert.match(l, /^::(error|warning) title=[^,:\n]+::[^\n]+$/);
    // No file to attach to: the position in the piped stream leads the message (line 30 is the image).
    assert.match(annotations[0] ?? '', /::<stdin>:30:11: default\/Deployment\/web: validation error/);
    assert.match(lines.at(-1) ?? '', /^palisade apply: pass: \d+, fail: 1, warn: 1, error: 0, skip: \d+$/);
  });

  test('stdin results still name the resource; file positions only for files', () => {
    const r = palisade([
      'apply',
      `${FIX}/policies`,
      '--resource',
      `${FIX}/helm-template.yaml`,
      '-o',
      'github',
    ]);
    const latest = r.stdout.split('\n').find((l) => l.includes('validate-image-tag'));
    // line 30 is `image: "nginx:latest"` in the rendered Deployment
    assert.match(latest ?? '', /^::error file=test\/cli\/fixtures\/ci\/helm-template\.yaml,line=30,col=11,/);
    assert.equal(HELM.split('\n')[29]?.trim(), 'image: "nginx:latest"');
    assert.match(latest ?? '', /default\/Deployment\/web: validation error: Using a mutable image tag/);
  });

  test('-o sarif: rules from annotations, results point into the file', () => {
    const r = palisade([
      'apply',
      `${FIX}/policies`,
      '--resource',
      `${FIX}/helm-template.yaml`,
      '-o',
      'sarif',
    ]);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('disallow-latest-tag/autogen-validate-image-tag'));
    const rule = run.tool.driver.rules.find(
      (x: { id: string }) => x.id === 'disallow-latest-tag/autogen-validate-image-tag',
    );
    assert.match(rule.help.text, /The ':latest' tag is mutable/);
    assert.equal(rule.properties['security-severity'], '5.5');
    const res = run.results.find(
      (x: { ruleId: string }) => x.ruleId === 'disallow-latest-tag/autogen-validate-image-tag',
    );
    assert.deepEqual(res.locations[0].physicalLocation, {
      artifactLocation: { uri: 'test/cli/fixtures/ci/helm-template.yaml' },
      region: { startLine: 30, startColumn: 11 },
    });
    assert.equal(res.properties.fieldPath, 'spec.template.spec.containers[0].image');
  });

  test('-o sarif from stdin: results point at the line in the stream (artifact `stdin`)', () => {
    const log = JSON.parse(apply('sarif').stdout);
    assert.equal(log.runs[0].results.length, 2);
    for (const res of log.runs[0].results) {
      assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'stdin');
      assert.ok(res.locations[0].physicalLocation.region.startLine > 1);
      assert.match(res.locations[0].logicalLocations[0].name, /^default\/(Deployment|Job)\//);
    }
    const latest = log.runs[0].results.find((x: { ruleId: string }) =>
      x.ruleId.endsWith('validate-image-tag'),
    );
    assert.deepEqual(latest.locations[0].physicalLocation.region, { startLine: 30, startColumn: 11 });
  });

  test('--stdin-name: every format reports stdin findings on the named file, with stdin line numbers', () => {
    const named = (format: string) => apply(format, ['--stdin-name', 'charts/web/rendered.yaml']);
    const log = JSON.parse(named('sarif').stdout);
    const latest = log.runs[0].results.find((x: { ruleId: string }) =>
      x.ruleId.endsWith('validate-image-tag'),
    );
    assert.equal(latest.locations[0].physicalLocation.artifactLocation.uri, 'charts/web/rendered.yaml');
    assert.deepEqual(latest.locations[0].physicalLocation.region, { startLine: 30, startColumn: 11 });
    assert.match(named('github').stdout, /^::error file=charts\/web\/rendered\.yaml,line=30,col=11,/m);
    const json = JSON.parse(named('json').stdout);
    const failed = json.results.find((x: { result: string }) => x.result === 'fail');
    assert.deepEqual([failed.file, failed.line, failed.column], ['charts/web/rendered.yaml', 30, 11]);
    assert.equal(failed.fieldPath, 'spec.template.spec.containers[0].image');
    assert.match(named('table').stdout, /│ fail\s+│ fail\s+│ charts\/web\/rendered\.yaml:30:11 │/);
    // A syntax error on stdin is reported on the named file too.
    const broken = palisade(
      ['apply', `${FIX}/policies`, '-r', '-', '--stdin-name', 'x.yaml', '-o', 'github'],
      'a: [\n',
    );
    assert.equal(broken.code, 2);
    assert.match(broken.stdout, /^::error file=x\.yaml,line=2,col=1,title=yaml\/syntax-error::/m);
  });

  test('--stdin-name without stdin input is a usage error', () => {
    const r = palisade(['apply', `${FIX}/policies`, '-r', `${FIX}/helm-template.yaml`, '--stdin-name', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--stdin-name names standard input/);
  });

  test('-o junit: parses as XML, one testcase per rule result', () => {
    const r = apply('junit');
    const json = JSON.parse(apply('json').stdout);
    const root = parseXml(r.stdout);
    assert.equal(root.name, 'testsuites');
    const cases = descendants(root, 'testcase');
    assert.equal(cases.length, json.results.length);
    assert.equal(root.attributes.tests, String(json.results.length));
    assert.equal(descendants(root, 'failure').length, 1);
    const failed = cases.find((c) => c.children.some((x) => x.name === 'failure'));
    assert.equal(failed?.attributes.classname, 'disallow-latest-tag');
    assert.match(failed?.children[0]?.text ?? '', /Location: <stdin>:30:11/);
  });

  test('-o markdown: a summary table', () => {
    const r = apply('markdown');
    assert.match(r.stdout, /^### Palisade apply: ❌ 2 problem\(s\)/);
    assert.match(
      r.stdout,
      /\| ❌ fail \| disallow-latest-tag \| autogen-validate-image-tag \| default\/Deployment\/web \| `<stdin>:30:11` \|/,
    );
  });
});

describe('--fail-on and exit codes', () => {
  const cases = [
    { failOn: 'fail', code: 1 },
    { failOn: 'warn', code: 1 },
    { failOn: 'error', code: 0 },
    { failOn: 'none', code: 0 },
  ];
  for (const c of cases)
    test(`--fail-on ${c.failOn} → exit ${c.code}`, () =>
      assert.equal(apply('github', ['--fail-on', c.failOn]).code, c.code));

  test('--fail-on warn fails on a warning alone', () => {
    const r = palisade(
      [
        'apply',
        `${FIX}/policies/require-run-as-non-root.yaml`,
        '-r',
        '-',
        '--fail-on',
        'warn',
        '--audit-warn',
      ],
      HELM,
    );
    assert.equal(r.code, 1);
    const ok = palisade(
      ['apply', `${FIX}/policies/require-run-as-non-root.yaml`, '-r', '-', '--audit-warn'],
      HELM,
    );
    assert.equal(ok.code, 0);
  });

  test('an unknown --fail-on value is a usage error', () => {
    const r = apply('github', ['--fail-on', 'sometimes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--fail-on expects one of fail, warn, error, none/);
  });
});

describe('table colour', () => {
  test('never when stdout is not a TTY (as here)', () => {
    const r = apply('table', ['--fail-on', 'none']);
    assert.ok(!r.stdout.includes('\u001b['));
    assert.match(r.stdout, /│ ID │ POLICY/);
  });
});

describe('palisade test -o', () => {
  test('github and sarif for a suite run', () => {
    const gh = palisade(['test', 'test/cli/fixtures/suite', '-o', 'github']);
    assert.equal(gh.code, 0);
    assert.match(gh.stdout, /^palisade test: pass: \d+, fail: 0/m);
    const sarif = JSON.parse(palisade(['test', 'test/cli/fixtures/suite', '--output', 'sarif']).stdout);
    assert.deepEqual(sarif.runs[0].results, []);
  });
});
