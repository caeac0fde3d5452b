// CLI scenarios: spawn `node --import tsx src/cli/main.ts ...` and check exit code and output excerpts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const FIX = 'test/cli/fixtures';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function palisade(args: string[], stdin = ''): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function noStackTrace(r: Run): void {
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace on stderr');
}

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('help', () => {
  for (const args of [
    ['--help'],
    ['test', '--help'],
    ['apply', '--help'],
    ['jp', '--help'],
    ['version', '--help'],
  ]) {
    test(`palisade ${args.join(' ')} shows usage with an example`, () => {
      const r = palisade(args);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Usage:/);
      assert.match(r.stdout, /Examples?:/);
    });
  }
});

describe('bad input gives a clear message and a non-zero exit, never a stack trace', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const [n, p] of [
    ['b', 'a'],
    ['c', 'b'],
    ['d', 'c'],
    ['e', 'd'],
    ['f', 'e'],
    ['g', 'f'],
  ])
    bomb.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]`);
  const cases: { name: string; args: () => string[]; want: RegExp }[] = [
    { name: 'unknown command', args: () => ['frobnicate'], want: /unknown command "frobnicate"/ },
    {
      name: 'unknown flag',
      args: () => ['apply', `${FIX}/require-labels.yaml`, '--nope'],
      want: /unknown flag --nope/,
    },
    {
      name: 'missing resource file',
      args: () => ['apply', `${FIX}/require-labels.yaml`, '-r', 'nope.yaml'],
      want: /nope\.yaml.*input\/not-found/,
    },
    {
      name: 'missing policy file',
      args: () => ['apply', 'missing-policy.yaml', '-r', `${FIX}/pods.yaml`],
      want: /input\/not-found: no such file or directory: missing-policy\.yaml/,
    },
    {
      name: 'YAML syntax error with its line',
      args: () => [
        'apply',
        `${FIX}/require-labels.yaml`,
        '-r',
        tmpFile(
          'syntax-error.yaml',
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: [a, b\nspec: {}\n',
        ),
      ],
      want: /syntax-error\.yaml:[5-6]:\d+: yaml\/syntax-error/,
    },
    {
      name: 'alias bomb',
      args: () => ['apply', `${FIX}/require-labels.yaml`, '-r', tmpFile('bomb.yaml', bomb.join('\n'))],
      want: /limits\/exceeded/,
    },
    {
      name: '2000-deep nesting',
      args: () => [
        'apply',
        `${FIX}/require-labels.yaml`,
        '-r',
        tmpFile('deep.yaml', `${'['.repeat(2000)}${']'.repeat(2000)}`),
      ],
      want: /limits\/exceeded/,
    },
    {
      name: 'test file with an unknown field',
      args: () => ['test', `${FIX}/bad-suite`],
      want: /kyverno-test\.yaml:13:\d+: policy\/unknown-field: unknown field `resultt`.*did you mean `result`/,
    },
    {
      name: 'test folder that does not exist',
      args: () => ['test', 'no/such/folder'],
      want: /input\/not-found/,
    },
    {
      name: 'apply without resources',
      args: () => ['apply', `${FIX}/require-labels.yaml`],
      want: /resource is required/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = palisade(c.args());
      assert.notEqual(r.code, 0);
      assert.notEqual(r.code, null, 'finished before the timeout');
      assert.match(r.stderr, c.want);
      noStackTrace(r);
    });
  }
});

describe('apply', () => {
  test('multi-document YAML piped on stdin', () => {
    const r = palisade(
      ['apply', `${FIX}/require-labels.yaml`, '--resource', '-'],
      readFileSync(join(ROOT, FIX, 'pods.yaml'), 'utf8'),
    );
    assert.match(r.stdout, /Applying \d+ policy rule\(s\) to 2 resource\(s\)\.\.\./);
    assert.match(r.stdout, /policy require-labels -> resource default\/Pod\/bad failed:/);
    assert.match(r.stdout, /pass: 1, fail: 1, warn: 0, error: 0, skip: 0/);
    assert.equal(r.code, 1);
  });

  test('a passing resource exits 0; json output carries the results', () => {
    const good = readFileSync(join(ROOT, FIX, 'pods.yaml'), 'utf8').split('---')[0]!;
    const r = palisade(['apply', `${FIX}/require-labels.yaml`, '-r', '-', '-o', 'json'], good);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout) as { summary: { pass: number }; results: { result: string }[] };
    assert.equal(doc.summary.pass, 1);
    assert.deepEqual(
      doc.results.map((x) => x.result),
      ['pass'],
    );
  });

  test('--policy-report prints a ClusterPolicyReport', () => {
    const r = palisade(['apply', `${FIX}/require-labels.yaml`, '-r', `${FIX}/pods.yaml`, '-p']);
    assert.match(r.stdout, /kind: ClusterPolicyReport/);
    assert.match(r.stdout, /apiVersion: wgpolicyk8s.io\/v1alpha2/);
  });

  test('two documents with one identity in different files are both evaluated, each at its own file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-cli-'));
    const pod = (labels: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n${labels}spec:\n  containers:\n  - {name: c, image: nginx}\n`;
    mkdirSync(join(dir, 'dev'));
    mkdirSync(join(dir, 'prod'));
    writeFileSync(join(dir, 'dev', 'web.yaml'), pod('  labels: {app.kubernetes.io/name: web}\n'));
    writeFileSync(join(dir, 'prod', 'web.yaml'), pod(''));
    const r = palisade(['apply', `${FIX}/require-labels.yaml`, '-r', dir, '-o', 'json']);
    const doc = JSON.parse(r.stdout) as { summary: { pass: number; fail: number } };
    assert.deepEqual([doc.summary.pass, doc.summary.fail], [1, 1], r.stdout);
    assert.equal(r.code, 1, 'the prod copy fails the run');
    const text = palisade(['apply', `${FIX}/require-labels.yaml`, '-r', dir, '-o', 'github']);
    assert.match(text.stdout, /::error file=[^,]*prod\/web\.yaml,line=\d+/);
  });

  test('--table prints the │ table', () => {
    const r = palisade(['apply', `${FIX}/require-labels.yaml`, '-r', `${FIX}/pods.yaml`, '-t']);
    assert.match(r.stdout, /│ ID │ POLICY\s+│ RULE\s+│ RESOURCE\s+│ RESULT │ REASON │/);
  });
});

describe('test', () => {
  test('a passing suite prints the table and the summary, exit 0', () => {
    const r = palisade(['test', `${FIX}/suite`]);
    assert.match(r.stdout, /Loading test {2}\( .*kyverno-test\.yaml \) \.\.\./);
    assert.match(r.stdout, /Test Summary: 2 tests passed and 0 tests failed/);
    assert.equal(r.code, 0);
  });

  test('a suite whose expectations are wrong exits 1 and lists the failures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-suite-'));
    const text = readFileSync(join(ROOT, FIX, 'suite/kyverno-test.yaml'), 'utf8')
      .replace(/\.\.\//g, `${join(ROOT, FIX)}/`)
      .replace('result: pass', 'result: fail');
    writeFileSync(join(dir, 'kyverno-test.yaml'), text);
    const r = palisade(['test', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Want fail, got pass/);
    assert.match(r.stdout, /Test Summary: 1 tests passed and 1 tests failed/);
    assert.match(r.stdout, /Aggregated Failed Test Cases/);
  });

  test('-o json gives each row with expected and actual', () => {
    const r = palisade(['test', `${FIX}/suite`, '-o', 'json']);
    const rows = JSON.parse(r.stdout) as { EXPECTED: string; ACTUAL: string; RESULT: string }[];
    assert.deepEqual(
      rows.map((x) => [x.EXPECTED, x.ACTUAL, x.RESULT]),
      [
        ['pass', 'pass', 'Pass'],
        ['fail', 'fail', 'Pass'],
      ],
    );
  });
});

describe('jp and version', () => {
  test('jp query reads JSON from stdin', () => {
    const r = palisade(['jp', 'query', 'length(items)'], '{"items": [1, 2, 3]}');
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), '3');
  });
  test('jp query with a syntax error exits 1 without a stack trace', () => {
    const r = palisade(['jp', 'query', 'a.['], '{}');
    assert.equal(r.code, 1);
    noStackTrace(r);
  });
  test('jp parse prints the tree', () => {
    const r = palisade(['jp', 'parse', 'a.b']);
    assert.match(r.stdout, /Field "a"/);
  });
  test('jp: expressions from files, parse from stdin, help and argument errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-jp-'));
    writeFileSync(join(dir, 'q.jmespath'), '  items[0]\n');
    writeFileSync(join(dir, 'e.jmespath'), 'a.b\n');
    const cases: { args: string[]; stdin?: string; code: number; out?: RegExp; err?: RegExp }[] = [
      // a query file's text is trimmed and runs after the positional query
      {
        args: ['jp', 'query', 'length(items)', '-q', join(dir, 'q.jmespath')],
        stdin: '{"items": [7, 8]}',
        code: 0,
        out: /^2\n7\n$/,
      },
      { args: ['jp', 'parse', '-f', join(dir, 'e.jmespath')], code: 0, out: /^# a\.b\n[\s\S]*Field "b"/ },
      // no expression: parse reads one from stdin
      { args: ['jp', 'parse'], stdin: 'x.y', code: 0, out: /^# x\.y\n/ },
      { args: ['jp', 'parse', '--help'], code: 0, out: /palisade jp parse/ },
      { args: ['jp', 'query', '--bogus', 'a'], stdin: '{}', code: 2, err: /^Error: .*bogus/m },
      {
        args: ['jp', 'query', '-q', join(dir, 'missing.jmespath')],
        stdin: '{}',
        code: 2,
        err: /missing\.jmespath/,
      },
      { args: ['jp', 'query'], stdin: '{}', code: 2, err: /at least one query is required/ },
    ];
    for (const c of cases) {
      const r = palisade(c.args, c.stdin);
      assert.equal(r.code, c.code, `${c.args.join(' ')}: ${r.stderr}`);
      if (c.out) assert.match(r.stdout, c.out, c.args.join(' '));
      if (c.err) assert.match(r.stderr, c.err, c.args.join(' '));
      noStackTrace(r);
    }
  });
  test('version prints name and version from package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    assert.equal(palisade(['version']).stdout.trim(), `${pkg.name} version ${pkg.version}`);
  });
  test('the binary answers a bare version itself, with the line of the command', () => {
    for (const arg of ['version', '--version']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', arg], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0);
      assert.equal(r.stdout, palisade(['version']).stdout);
    }
  });
});

test('apply prints the objects a generate rule would create', () => {
  const r = palisade([
    'apply',
    `${FIX}/generate/policy.yaml`,
    '--resource',
    `${FIX}/generate/namespace.yaml`,
  ]);
  noStackTrace(r);
  assert.equal(r.code, 0);
  assert.match(
    r.stdout,
    /policy default-deny generated team-a\/NetworkPolicy\/default-deny for .*Namespace\/team-a:/,
  );
  assert.match(r.stdout, /kind: NetworkPolicy\n/);
  assert.match(r.stdout, /generate\.kyverno\.io\/rule-name: deny-all-traffic/);
});

describe('a generate rule that cannot build its resource passes with a warning', () => {
  const dir = `${FIX}/generate-failure`;
  const notBuilt = (r: Run) => r.stderr.split('\n').filter((l) => l.includes('generate/not-built'));
  for (const workers of ['1', '2']) {
    test(`apply --workers ${workers}`, () => {
      const r = palisade([
        'apply',
        `${dir}/policy.yaml`,
        '-r',
        `${dir}/namespaces.yaml`,
        '--workers',
        workers,
      ]);
      noStackTrace(r);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /pass: 4, fail: 0/);
      assert.deepEqual(notBuilt(r), [
        `${dir}/namespaces.yaml:1:1: warning generate/not-built: policy gen-clone, rule clone-secret: the resource to generate for Namespace/ns1 could not be built: failed to generate resource: source resource v1/Secret/default/regcred not found (the rule is reported as pass, as Kyverno does)`,
        `${dir}/namespaces.yaml:1:1: warning generate/not-built: policy gen-clone, rule from-label: the resource to generate for Namespace/ns1 could not be built: failed to generate resource: failed to resolve request.object.metadata.labels.team at path /generate/name: JMESPath query failed: Unknown key "labels" in path (the rule is reported as pass, as Kyverno does)`,
        `${dir}/namespaces.yaml:6:1 (document 2): warning generate/not-built: policy gen-clone, rule clone-secret: the resource to generate for Namespace/ns2 could not be built: failed to generate resource: source resource v1/Secret/default/regcred not found (the rule is reported as pass, as Kyverno does)`,
      ]);
    });
  }
  test('apply -o sarif lists them as notifications', () => {
    const r = palisade(['apply', `${dir}/policy.yaml`, '-r', `${dir}/namespaces.yaml`, '-o', 'sarif']);
    assert.equal(r.code, 0);
    const notes = JSON.parse(r.stdout).runs[0].invocations[0].toolExecutionNotifications;
    assert.equal(notes.length, 3);
    assert.match(notes[0].message.text, /rule clone-secret: the resource to generate for Namespace\/ns1/);
  });
  test('test', () => {
    const r = palisade(['test', dir]);
    noStackTrace(r);
    assert.equal(r.code, 0);
    assert.equal(notBuilt(r).length, 3);
  });
});
