// Hostile and broken inputs thrown at `palisade test`, `palisade apply` and `palisade jp`, through the
// real CLI (bundled once, test/support/bounded-cli.ts). Whatever the input, every case ends under a
// 256 MB heap and within 5 s (docs/limits.md), with the documented exit code (docs/ci-cd.md: 0 ok,
// 1 failures, 2 bad usage or input that could not be loaded; 3 is only ever a bug), and a one-line
// message naming the limit, or the file, line:col and field path where they apply: never a stack
// trace, never "internal error".
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  BOUND_MS,
  boundsExceeded,
  HEAP_MB,
  removeBundle,
  runBounded,
  usageLine,
} from '../support/bounded-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
// Resolved here so the CLI can run with its working folder in a temp dir.
const TSX = import.meta.resolve('tsx');
const MIB = 1024 * 1024;

type FileBody = string | Buffer | { symlink: string } | { dir: true } | { fifo: true };

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** Files (relative to the case's temp dir, which is the working folder), added to the base files. */
  readonly files?: Readonly<Record<string, FileBody>>;
  readonly stdin?: string | Buffer;
  readonly code: number;
  /** Each must match stderr. */
  readonly err?: readonly RegExp[];
  /** Each must match stdout. */
  readonly out?: readonly RegExp[];
  /** At most this many stderr lines (hostile input must not flood the terminal). */
  readonly maxErrLines?: number;
}

// ---------- base files every case can use ----------

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-labels
spec:
  validationFailureAction: Enforce
  rules:
    - name: check-for-labels
      match:
        any:
          - resources:
              kinds:
                - Pod
      validate:
        message: "label 'app.kubernetes.io/name' is required"
        pattern:
          metadata:
            labels:
              app.kubernetes.io/name: "?*"
`;
const GOOD_POD = `apiVersion: v1
kind: Pod
metadata:
  name: good
  labels:
    app.kubernetes.io/name: web
spec:
  containers:
    - name: app
      image: nginx:1.25
`;
const BAD_POD = `apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
    - name: app
      image: nginx:1.25
`;
const SUITE = `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: require-labels
policies:
  - ../pol.yaml
resources:
  - ../pods.yaml
results:
  - policy: require-labels
    rule: check-for-labels
    kind: Pod
    resources: [good]
    result: pass
  - policy: require-labels
    rule: check-for-labels
    kind: Pod
    resources: [bad]
    result: fail
`;
const BASE: Record<string, string> = {
  'pol.yaml': POLICY,
  'good.yaml': GOOD_POD,
  'pods.yaml': `${GOOD_POD}---\n${BAD_POD}`,
  'suite/kyverno-test.yaml': SUITE,
};

/** A ClusterPolicy with one rule whose body (indented for a rule's fields) is `rule`. */
function legacy(rule: string, name = 'lp'): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  validationFailureAction: Enforce
  rules:
  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
${rule}`;
}

/** A deny rule whose condition key is `key` (a double-quoted YAML scalar's content). */
function denyKey(key: string, value = 'true'): string {
  return legacy(`    validate:
      deny:
        conditions:
          any:
          - key: "${key}"
            operator: Equals
            value: ${value}
`);
}

/** A ValidatingPolicy whose single validation is `expressionYaml` (written after `expression: `). */
function vpol(expressionYaml: string): string {
  return `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: vp
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["pods"]
  validations:
    - expression: ${expressionYaml}
      message: "m"
`;
}

/** A kyverno-test.yaml body (after the header) for a test in `t/`. */
function testFile(body: string): string {
  return `apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\n${body}`;
}
const ROW = `results:
- policy: require-labels
  rule: check-for-labels
  kind: Pod
  resources: [good]
  result: pass
`;

/** 1-based line:col of the first occurrence of `needle` after `after` in `text`. */
function lineCol(text: string, needle: string, after = ''): string {
  const offset = text.indexOf(needle, after === '' ? 0 : text.indexOf(after));
  assert.ok(offset >= 0, `${needle} is in the fixture`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

// ---------- generated hostile bodies ----------

function laughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let prev = 'a';
  for (const n of 'bcdefghi') {
    lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = n;
  }
  return `${lines.join('\n')}\n`;
}
const DEEP = 10_000;
const deepFlowSeq = (): string => `${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`;
const deepFlowMap = (): string => `${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}\n`;
const deepBlockMap = (): string =>
  `${Array.from({ length: DEEP }, (_, i) => `${' '.repeat(i)}a:`).join('\n')}\n${' '.repeat(DEEP)}b: 1\n`;
const deepBlockSeq = (): string => `${'- '.repeat(DEEP)}x\n`;
/** Just over 60 MiB of otherwise valid YAML. */
function huge(): Buffer {
  const line = Buffer.from(`    k: "${'y'.repeat(1000)}"\n`);
  const head = Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  annotations:\n');
  return Buffer.concat([head, ...Array(Math.ceil((60 * MIB) / line.length) + 1).fill(line)]);
}
/** A deterministic binary blob that starts like an ELF executable. */
function binary(): Buffer {
  const b = Buffer.alloc(4096);
  let x = 12345;
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >> 16;
  }
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(b);
  return b;
}
const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
const bom = (s: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)]);

const celBlock = `|
        object.metadata.name == "a" &&
          object.spec.containers.all(c, c.image +)`;
const celLoop = `"${'[1,2,3,4,5,6,7,8,9,10].all(a, '.repeat(8)}true${')'.repeat(8)}"`;
const CEL_QUOTED = vpol('"object.metadata.name == )"');
const CEL_SINGLE = vpol(`'object.metadata.name.startsWith("a") && object.x +'`);
const CEL_BLOCK = vpol(celBlock);
const CEL_ESCAPED = vpol('"\\"a\\\\tb\\" == object.metadata.name )"');

// ---------- the table ----------

const NO_LOAD = /Error: inputs could not be loaded/;

const cases: Case[] = [
  // --- files that are not YAML at all ---
  {
    name: 'empty resource file: an error naming it (a failed `helm template > x.yaml`)',
    files: { 'empty.yaml': '' },
    args: ['apply', 'pol.yaml', '-r', 'empty.yaml'],
    code: 2,
    err: [/empty\.yaml:1:1: input\/empty: no YAML documents in empty\.yaml/, NO_LOAD],
  },
  {
    name: 'empty resource file with --allow-empty: a warning, nothing to check',
    files: { 'empty.yaml': '' },
    args: ['apply', 'pol.yaml', '-r', 'empty.yaml', '--allow-empty'],
    code: 0,
    err: [/empty\.yaml:1:1: warning input\/empty: no YAML documents/],
  },
  {
    name: 'empty policy file',
    files: { 'empty.yaml': '\n# only a comment\n' },
    args: ['apply', 'empty.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/empty\.yaml:1:1: input\/empty/, NO_LOAD],
  },
  {
    name: 'a resource folder holding no YAML at all is an error, not a silent pass',
    files: { 'res/readme.txt': 'not yaml', 'res/sub': { dir: true } },
    args: ['apply', 'pol.yaml', '-r', 'res'],
    code: 2,
    err: [/res:1:1: input\/empty: no YAML documents in folder res/, NO_LOAD],
  },
  {
    name: 'a policy folder holding no YAML at all is an error',
    files: { 'pols/notes.md': '# none' },
    args: ['apply', 'pols', '-r', 'good.yaml'],
    code: 2,
    err: [/pols:1:1: input\/empty: no YAML documents in folder pols/, NO_LOAD],
  },
  {
    name: 'an empty folder with --allow-empty passes with a warning',
    files: { 'res/sub': { dir: true } },
    args: ['apply', 'pol.yaml', '-r', 'res', '--allow-empty'],
    code: 0,
    err: [/warning input\/empty: no YAML documents in folder res/],
    out: [/pass: 0, fail: 0/],
  },
  {
    name: 'test: a folder holding no YAML at all is an error',
    files: { 'none/readme.txt': 'x' },
    args: ['test', 'none'],
    code: 2,
    err: [/no YAML files in none/],
  },
  {
    name: "test: a folder holding YAML but no test file still prints Kyverno's line and passes",
    files: { 'some/pod.yaml': GOOD_POD },
    args: ['test', 'some'],
    code: 0,
    out: [/No test yamls available/],
  },
  {
    name: 'empty test file',
    files: { 't/kyverno-test.yaml': '' },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:1:1: test\/invalid: test file is empty/],
  },
  {
    name: 'binary garbage as a resource',
    files: { 'garbage.yaml': binary() },
    args: ['apply', 'pol.yaml', '-r', 'garbage.yaml'],
    code: 2,
    err: [/garbage\.yaml:1:1: yaml\/syntax-error: control character U\+007F/, NO_LOAD],
  },
  {
    name: 'binary garbage as a policy',
    files: { 'garbage.yaml': binary() },
    args: ['apply', 'garbage.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/garbage\.yaml:1:1: yaml\/syntax-error/],
  },
  {
    name: 'binary garbage as a test file',
    files: { 't/kyverno-test.yaml': binary() },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:1:1: yaml\/syntax-error/],
  },
  {
    name: 'a NUL byte inside a resource names its line and column',
    files: { 'nul.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\u0000b\n' },
    args: ['apply', 'pol.yaml', '-r', 'nul.yaml'],
    code: 2,
    err: [/nul\.yaml:4:10: yaml\/syntax-error: control character U\+0000 .*binary/],
  },
  {
    name: 'invalid UTF-8 is an error at the bad byte, never replaced silently',
    files: {
      'latin1.yaml': Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\xe9\n', 'latin1'),
    },
    args: ['apply', 'pol.yaml', '-r', 'latin1.yaml'],
    code: 2,
    err: [/latin1\.yaml:4:12: yaml\/syntax-error: invalid UTF-8 \(byte 0xe9\)/],
  },
  {
    name: 'invalid UTF-8 in a test file',
    files: {
      't/kyverno-test.yaml': Buffer.concat([Buffer.from(testFile('policies: [')), Buffer.from([0xc3, 0x28])]),
    },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:5:12: yaml\/syntax-error: invalid UTF-8/],
  },
  {
    name: 'a UTF-16 file is recognised as such',
    files: { 'u16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD_POD, 'utf16le')]) },
    args: ['apply', 'pol.yaml', '-r', 'u16.yaml'],
    code: 2,
    err: [/u16\.yaml:1:1: yaml\/syntax-error: invalid UTF-8 .*UTF-16/],
  },
  // --- YAML syntax ---
  {
    name: 'unclosed flow sequence',
    files: { 'syntax.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: [a, b\nspec: {}\n' },
    args: ['apply', 'pol.yaml', '-r', 'syntax.yaml'],
    code: 2,
    err: [/syntax\.yaml:[56]:\d+: yaml\/syntax-error/, NO_LOAD],
    maxErrLines: 12,
  },
  {
    name: 'unterminated quoted string in a policy',
    files: { 'q.yaml': POLICY.replace('"?*"', '"?*') },
    args: ['apply', 'q.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/q\.yaml:\d+:\d+: yaml\/syntax-error/],
  },
  {
    name: 'bad indentation in a test file',
    files: { 't/kyverno-test.yaml': testFile('policies:\n  - a.yaml\n resources: [b.yaml]\n') },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:\d+:\d+: yaml\/syntax-error/],
  },
  {
    name: 'tabs as indentation',
    files: { 'tabs.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n' },
    args: ['apply', 'pol.yaml', '-r', 'tabs.yaml'],
    code: 2,
    err: [/tabs\.yaml:4:1: yaml\/syntax-error: Tabs are not allowed/],
  },
  {
    name: 'syntax error in the second document names the document',
    files: { 'multi.yaml': `${GOOD_POD}---\nkind: Pod\nmetadata: [\n` },
    args: ['apply', 'pol.yaml', '-r', 'multi.yaml'],
    code: 2,
    err: [/multi\.yaml:1[34]:\d+ \(document 2\): yaml\/syntax-error/],
  },
  {
    name: 'duplicate keys in a resource: a warning with line and field path (the last value wins, as in Kubernetes)',
    files: { 'dup.yaml': GOOD_POD.replace('kind: Pod\n', 'kind: Pod\nkind: Pod\n') },
    args: ['apply', 'pol.yaml', '-r', 'dup.yaml'],
    code: 0,
    err: [/dup\.yaml:3:1: warning yaml\/duplicate-key: mapping key "kind" already defined.* \(at kind\)/],
  },
  {
    name: 'duplicate keys deep in a policy',
    files: {
      'dup.yaml': POLICY.replace(
        '    - name: check-for-labels\n',
        '    - name: check-for-labels\n      name: again\n',
      ),
    },
    args: ['apply', 'dup.yaml', '-r', 'good.yaml'],
    code: 0,
    err: [/dup\.yaml:9:7: warning yaml\/duplicate-key: .*\(at spec\.rules\[0\]\.name\)/],
  },
  {
    name: 'duplicate keys in a test file are an error (Kyverno decodes it strictly)',
    files: { 't/kyverno-test.yaml': testFile('policies: [../pol.yaml]\npolicies: [../pol.yaml]\n') },
    args: ['test', 't'],
    code: 2,
    err: [
      /t\/kyverno-test\.yaml:6:1: yaml\/duplicate-key: mapping key "policies" already defined \(at policies\)/,
    ],
  },
  {
    name: 'a resource document that is a scalar',
    files: { 'scalar.yaml': 'just a string\n' },
    args: ['apply', 'pol.yaml', '-r', 'scalar.yaml'],
    code: 2,
    err: [/scalar\.yaml:1:1: resource\/invalid: a resource must be a YAML mapping/],
  },
  {
    name: 'a resource document that is a list',
    files: { 'list.yaml': '- a\n- b\n' },
    args: ['apply', 'pol.yaml', '-r', 'list.yaml'],
    code: 2,
    err: [/list\.yaml:1:1: resource\/invalid/],
  },
  {
    name: 'a policy document that is a list',
    files: { 'list.yaml': '- apiVersion: kyverno.io/v1\n- kind: ClusterPolicy\n' },
    args: ['apply', 'list.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/list\.yaml:1:1: policy\/unsupported-kind: a policy must be a YAML mapping .*got a list/],
  },
  {
    name: 'a test file that is a scalar',
    files: { 't/kyverno-test.yaml': '42\n' },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:1:1: /],
  },
  {
    name: 'a plain "." is a string, as in Go (not NaN)',
    files: {
      'dot.yaml': GOOD_POD.replace('  name: good\n', '  name: good\n  annotations:\n    a: .\n    b: -.\n'),
    },
    args: ['apply', 'pol.yaml', '-r', 'dot.yaml', '-o', 'json'],
    code: 0,
  },
  // --- resource bounds ---
  ...(
    [
      ['resource', (f: string) => ['apply', 'pol.yaml', '-r', f]],
      ['policy', (f: string) => ['apply', f, '-r', 'good.yaml']],
      ['values file', (f: string) => ['apply', 'pol.yaml', '-r', 'good.yaml', '-f', f]],
      ['jp input', (f: string) => ['jp', 'query', 'a', '-i', f]],
    ] as const
  ).flatMap(([what, args]): Case[] => [
    {
      name: `billion laughs (${what})`,
      files: { 'laughs.yaml': laughs() },
      args: args('laughs.yaml'),
      code: 2,
      err: [/laughs\.yaml:\d+:\d+: limits\/exceeded: too many alias references/],
      maxErrLines: 4,
    },
    {
      name: `10,000-deep flow nesting (${what})`,
      files: { 'deep.yaml': deepFlowSeq() },
      args: args('deep.yaml'),
      code: 2,
      err: [/deep\.yaml:1:\d+: limits\/exceeded: document nests too deeply/],
      maxErrLines: 4,
    },
  ]),
  {
    name: '10,000-deep flow mappings',
    files: { 'deep.yaml': deepFlowMap() },
    args: ['apply', 'pol.yaml', '-r', 'deep.yaml'],
    code: 2,
    err: [/deep\.yaml:1:\d+: limits\/exceeded/],
    maxErrLines: 4,
  },
  {
    name: '10,000-deep block mappings',
    files: { 'deep.yaml': deepBlockMap() },
    args: ['apply', 'pol.yaml', '-r', 'deep.yaml'],
    code: 2,
    err: [/deep\.yaml:\d+:\d+: limits\/exceeded/],
    maxErrLines: 4,
  },
  {
    name: '10,000-deep block sequences in a test file',
    files: { 't/kyverno-test.yaml': deepBlockSeq() },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:1:\d+: limits\/exceeded/],
    maxErrLines: 4,
  },
  {
    name: 'a 60 MiB resource file is refused before it is read',
    files: { 'big.yaml': huge() },
    args: ['apply', 'pol.yaml', '-r', 'big.yaml'],
    code: 2,
    err: [/big\.yaml:1:1: limits\/exceeded: file is larger than 52428800 bytes \(50 MiB\)/],
  },
  {
    name: 'a 60 MiB stdin is refused',
    stdin: huge(),
    args: ['apply', 'pol.yaml', '-r', '-'],
    code: 2,
    err: [/<stdin>:1:1: limits\/exceeded: standard input is larger than/],
  },
  {
    name: 'a 5 MB line is fine',
    files: {
      'long.yaml': GOOD_POD.replace(
        '  name: good\n',
        `  name: good\n  annotations:\n    a: "${'x'.repeat(5_000_000)}"\n`,
      ),
    },
    args: ['apply', 'pol.yaml', '-r', 'long.yaml'],
    code: 0,
    out: [/pass: 1, fail: 0/],
  },
  {
    name: 'CRLF line endings work',
    files: { 'p.yaml': crlf(POLICY), 'r.yaml': crlf(`${GOOD_POD}---\n${BAD_POD}`) },
    args: ['apply', 'p.yaml', '-r', 'r.yaml'],
    code: 1,
    out: [/pass: 1, fail: 1, warn: 0, error: 0, skip: 0/],
  },
  {
    name: 'a UTF-8 byte-order mark works',
    files: { 'p.yaml': bom(POLICY), 'r.yaml': bom(`${GOOD_POD}---\n${BAD_POD}`) },
    args: ['apply', 'p.yaml', '-r', 'r.yaml'],
    code: 1,
    out: [/pass: 1, fail: 1, warn: 0, error: 0, skip: 0/],
  },
  {
    name: 'a test suite with a BOM and CRLF line endings passes',
    files: { 'b/kyverno-test.yaml': bom(crlf(SUITE)) },
    args: ['test', 'b'],
    code: 0,
    out: [/Test Summary: 2 tests passed and 0 tests failed/],
  },
  {
    name: 'a BOM on stdin works',
    stdin: bom(GOOD_POD),
    args: ['apply', 'pol.yaml', '-r', '-'],
    code: 0,
    out: [/pass: 1, fail: 0/],
  },
  // --- policy structure ---
  {
    name: 'policy without spec',
    files: { 'p.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\n' },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:1:1: policy\/missing-field: .*`spec` \(at spec\)/, NO_LOAD],
  },
  {
    name: 'policy without rules applies nothing',
    files: { 'p.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\nspec: {}\n' },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 0,
    out: [/Applying 0 policy rule/],
  },
  {
    name: 'policy without kind',
    files: { 'p.yaml': POLICY.replace('kind: ClusterPolicy\n', '') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      /p\.yaml:1:1: policy\/unsupported-kind: policy type not supported: kyverno\.io\/v1, Kind=<no kind> \(at kind\)/,
    ],
  },
  {
    name: 'policy without apiVersion',
    files: { 'p.yaml': POLICY.replace('apiVersion: kyverno.io/v1\n', '') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:1:1: policy\/unsupported-kind: .*<no apiVersion>.* \(at apiVersion\)/],
  },
  {
    name: 'policy without a name',
    files: { 'p.yaml': POLICY.replace('  name: require-labels\n', '  labels: {}\n') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:4:3: policy\/missing-field: .*\(at metadata\.name\)/],
  },
  {
    name: 'unknown kind',
    files: { 'p.yaml': POLICY.replace('kind: ClusterPolicy', 'kind: ClusterPolicyy') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:1:1: policy\/unsupported-kind: .*Kind=ClusterPolicyy/],
  },
  {
    name: 'rules as a map',
    files: {
      'p.yaml':
        'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\nspec:\n  rules:\n    name: r\n',
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:6:3: policy\/wrong-type: expected a list, got an object \(at spec\.rules\)/],
  },
  {
    name: 'spec as a string',
    files: {
      'p.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\nspec: strict\n',
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:5:1: policy\/wrong-type: .*\(at spec\)/],
  },
  {
    name: 'a rule that is a number',
    files: {
      'p.yaml':
        'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\nspec:\n  rules:\n  - 42\n',
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:7:\d+: policy\/wrong-type: .*\(at spec\.rules\[0\]\)/],
  },
  {
    name: 'match as a string',
    files: {
      'p.yaml': legacy('    validate: {pattern: {metadata: {name: "?*"}}}\n').replace(
        / {4}match:\n(.*\n){3}/,
        '    match: Pod\n',
      ),
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:9:5: policy\/wrong-type: expected an object, got a string \(at spec\.rules\[0\]\.match\)/],
  },
  {
    name: 'kinds as a string',
    files: {
      'p.yaml': legacy('    validate: {pattern: {metadata: {name: "?*"}}}\n').replace(
        'kinds: [Pod]',
        'kinds: Pod',
      ),
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:12:\d+: policy\/wrong-type: .*\(at spec\.rules\[0\]\.match\.any\[0\]\.resources\.kinds\)/],
  },
  {
    name: 'validationFailureAction as a number',
    files: { 'p.yaml': POLICY.replace('validationFailureAction: Enforce', 'validationFailureAction: 42') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:6:\d+: policy\/(wrong-type|invalid-value): .*\(at spec\.validationFailureAction\)/],
  },
  {
    name: 'background as a list',
    files: {
      'p.yaml': POLICY.replace(
        '  validationFailureAction: Enforce\n',
        '  validationFailureAction: Enforce\n  background: [yes]\n',
      ),
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:7:\d+: policy\/wrong-type: .*\(at spec\.background\)/],
  },
  {
    name: 'metadata as a list',
    files: { 'p.yaml': POLICY.replace('metadata:\n  name: require-labels\n', 'metadata: [x]\n') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:3:\d+: policy\/wrong-type: .*\(at metadata\)/],
  },
  {
    name: 'pattern as a number is accepted (as in Kyverno) and fails resources',
    files: { 'p.yaml': legacy('    validate:\n      pattern: 42\n') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 1,
    out: [/fail: 1/],
  },
  {
    name: 'foreach as a string',
    files: { 'p.yaml': legacy('    validate:\n      foreach: "request.object.spec.containers"\n') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      /p\.yaml:14:7: policy\/wrong-type: expected a list, got a string \(at spec\.rules\[0\]\.validate\.foreach\)/,
    ],
  },
  {
    name: 'foreach list as a number',
    files: {
      'p.yaml': legacy('    validate:\n      foreach:\n      - list: 42\n        pattern: {name: "?*"}\n'),
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:15:\d+: policy\/wrong-type: .*\(at spec\.rules\[0\]\.validate\.foreach\[0\]\.list\)/],
  },
  {
    name: 'conditions as a string',
    files: { 'p.yaml': legacy('    validate:\n      deny:\n        conditions: "yes please"\n') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:15:\d+: policy\/wrong-type: .*\(at spec\.rules\[0\]\.validate\.deny\.conditions\)/],
  },
  {
    name: 'unknown operator',
    files: { 'p.yaml': denyKey('a').replace('operator: Equals', 'operator: Frobnicates') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      /p\.yaml:18:13: policy\/unknown-operator: .*\(at spec\.rules\[0\]\.validate\.deny\.conditions\.any\[0\]\.operator\)/,
    ],
  },
  {
    name: '5,000 unknown fields: the output is capped',
    files: {
      'p.yaml': POLICY.replace(
        'spec:\n',
        `spec:\n${Array.from({ length: 5000 }, (_, i) => `  junk${i}: 1\n`).join('')}`,
      ),
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      /p\.yaml:6:3: policy\/unknown-field: unknown field `junk0` \(at spec\.junk0\)/,
      /\.\.\. \d+ more diagnostics not shown/,
    ],
    maxErrLines: 205,
  },
  // --- expressions ---
  {
    name: 'invalid JMESPath',
    files: { 'p.yaml': denyKey('{{ request.object.metadata.name[ }}') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      /p\.yaml:17:13: jmespath\/syntax-error: .*\(at spec\.rules\[0\]\.validate\.deny\.conditions\.any\[0\]\.key\)/,
    ],
  },
  {
    name: 'unknown JMESPath function',
    files: { 'p.yaml': denyKey('{{ nosuchfn(request.object.metadata.name) }}') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [/p\.yaml:17:13: jmespath\/unknown-function: .*nosuchfn/],
  },
  {
    name: 'an invalid regex in regex_match is a rule error, not a crash',
    files: { 'p.yaml': denyKey("{{ regex_match('(a+', request.object.metadata.name) }}") },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-t', '--detailed-results'],
    code: 1,
    out: [/missing closing \)/, /error: 1/],
  },
  {
    name: 'a catastrophic regex in regex_match runs in linear time (RE2)',
    files: { 'p.yaml': denyKey(`{{ regex_match('^(a+)+$', '${'a'.repeat(5000)}b') }}`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 0,
    out: [/pass: 1/],
  },
  {
    name: 'a broken wildcard pattern is a literal',
    files: { 'p.yaml': legacy('    validate:\n      pattern:\n        metadata:\n          name: "[*"\n') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 1,
    out: [/fail: 1/],
  },
  {
    name: 'pathological JMESPath: 50,000 nested brackets',
    args: ['jp', 'query', `${'['.repeat(50_000)}a${']'.repeat(50_000)}`, '-i', 'good.yaml'],
    code: 1,
    err: [/Error: .*nests deeper than/],
  },
  {
    name: 'pathological JMESPath: 30,000 nested parentheses',
    args: ['jp', 'query', `${'('.repeat(30_000)}a${')'.repeat(30_000)}`, '-i', 'good.yaml'],
    code: 1,
    err: [/Error: /],
  },
  {
    name: 'pathological JMESPath: a 50,000-step path is refused by the nesting bound',
    args: ['jp', 'parse', `a${'.b'.repeat(50_000)}`],
    code: 1,
    err: [/Error: .*nests deeper than 1000 levels/],
  },
  {
    name: 'huge integers and quantities are compared, not crashed on',
    files: {
      'p.yaml': legacy(
        '    validate:\n      pattern:\n        spec:\n          containers:\n          - resources:\n              limits:\n                memory: "<= 99999999999999999999999999999999999999Ei"\n                cpu: ">1e400"\n',
      ),
      'r.yaml': GOOD_POD.replace(
        '      image: nginx:1.25\n',
        '      image: nginx:1.25\n      resources:\n        limits:\n          memory: 123456789012345678901234567890123456789012345678901234567890Ei\n          cpu: 1e400\n',
      ).replace('spec:\n', 'spec:\n  priority: 123456789012345678901234567890\n'),
    },
    args: ['apply', 'p.yaml', '-r', 'r.yaml'],
    code: 1,
    out: [/fail: 1/],
  },
  // --- CEL: the diagnostic points at the offending character in the file ---
  {
    name: 'CEL compile error in a double-quoted scalar',
    files: { 'p.yaml': CEL_QUOTED },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      new RegExp(
        `p\\.yaml:${lineCol(CEL_QUOTED, ')', 'expression')}: cel/compile-error: .*\\(at spec\\.validations\\[0\\]\\.expression\\)`,
      ),
    ],
  },
  {
    name: 'CEL compile error at the end of a single-quoted scalar',
    files: { 'p.yaml': CEL_SINGLE },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      new RegExp(
        `p\\.yaml:${lineCol(CEL_SINGLE, "'\n", 'expression')}: cel/compile-error: .*Unexpected token: EOF`,
      ),
    ],
  },
  {
    name: 'CEL compile error after escapes in a double-quoted scalar',
    files: { 'p.yaml': CEL_ESCAPED },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      new RegExp(
        `p\\.yaml:${lineCol(CEL_ESCAPED, ' )"', 'expression').replace(/\d+$/, (c) => String(Number(c) + 1))}: cel/compile-error`,
      ),
    ],
  },
  {
    name: 'CEL compile error on the second line of a block scalar; one line per diagnostic',
    files: { 'p.yaml': CEL_BLOCK },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [
      new RegExp(
        `^p\\.yaml:${lineCol(CEL_BLOCK, ')', 'c.image +')}: cel/compile-error: .*\\\\n.*RPAREN.*\\(at spec\\.validations\\[0\\]\\.expression\\)$`,
        'm',
      ),
    ],
    maxErrLines: 2,
  },
  {
    name: 'CEL compile error in CRLF files',
    files: { 'p.yaml': crlf(CEL_QUOTED) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 2,
    err: [new RegExp(`p\\.yaml:${lineCol(CEL_QUOTED, ')', 'expression')}: cel/compile-error`)],
  },
  {
    name: 'CEL runaway comprehension is stopped by the cost budget',
    files: { 'p.yaml': vpol(celLoop) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 1,
    out: [/error: 1/],
  },
  {
    name: 'CEL catastrophic regex runs in linear time',
    files: { 'p.yaml': vpol(`'"${'a'.repeat(5000)}b".matches("^(a+)+$")'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 1,
    out: [/fail: 1/],
  },
  {
    name: 'CEL invalid regex is a rule error',
    files: { 'p.yaml': vpol('\'object.metadata.name.matches("(a+")\'') },
    args: ['apply', 'p.yaml', '-r', 'good.yaml'],
    code: 1,
    out: [/error: 1/],
  },
  // --- resources ---
  {
    name: 'resource without kind',
    files: { 'r.yaml': GOOD_POD.replace('kind: Pod\n', '') },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 2,
    err: [/r\.yaml:1:1: resource\/invalid: Object 'Kind' is missing \(at kind\)/],
  },
  {
    name: 'resource without metadata: file, document and field named',
    files: { 'r.yaml': `${GOOD_POD}---\napiVersion: v1\nkind: Pod\nspec: {}\n` },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 2,
    err: [
      /r\.yaml:12:1 \(document 2\): resource\/invalid: Pod has neither metadata\.name nor metadata\.generateName \(at metadata\.name\)/,
      NO_LOAD,
    ],
  },
  {
    name: 'resource with metadata but neither name nor generateName',
    files: { 'r.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n' },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 2,
    err: [
      /r\.yaml:3:1: resource\/invalid: Pod has neither metadata\.name nor metadata\.generateName \(at metadata\.name\)/,
    ],
  },
  {
    name: 'a resource with only generateName is evaluated',
    files: { 'r.yaml': GOOD_POD.replace('  name: good', '  generateName: good-') },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 0,
    out: [/pass: 1, fail: 0/],
  },
  {
    name: 'resource with metadata as a string',
    files: { 'r.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: oops\n' },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 2,
    err: [/r\.yaml:3:1: resource\/invalid: metadata must be a mapping \(at metadata\)/],
  },
  {
    name: 'resource with a numeric apiVersion and a list as name',
    files: {
      'r.yaml': `${GOOD_POD}---\napiVersion: 42\nkind: Pod\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [a]\n`,
    },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 2,
    err: [
      /r\.yaml:12:1 \(document 2\): resource\/invalid: apiVersion must be a string \(at apiVersion\)/,
      /r\.yaml:20:3 \(document 3\): resource\/invalid: metadata\.name must be a string \(at metadata\.name\)/,
    ],
  },
  {
    name: 'kind: List with items that are not objects: each named by its index',
    files: { 'r.yaml': 'apiVersion: v1\nkind: List\nitems: [1, "a", {kind: Pod, metadata: {name: p}}]\n' },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 2,
    err: [
      /r\.yaml:3:9: resource\/invalid: a resource must be a YAML mapping \(at items\[0\]\)/,
      /r\.yaml:3:12: resource\/invalid: a resource must be a YAML mapping \(at items\[1\]\)/,
    ],
  },
  {
    name: 'kind: List with a bad fourth item: items[3] and the field',
    files: {
      'r.yaml': `apiVersion: v1\nkind: List\nitems:\n${[0, 1, 2].map((i) => `- {apiVersion: v1, kind: Pod, metadata: {name: p${i}}}\n`).join('')}- {apiVersion: v1, metadata: {name: p3}}\n`,
    },
    args: ['apply', 'pol.yaml', '-r', 'r.yaml'],
    code: 2,
    err: [/r\.yaml:7:3: resource\/invalid: Object 'Kind' is missing \(at items\[3\]\.kind\)/],
  },
  // --- test files ---
  {
    name: 'a test without results checks nothing and passes (as Kyverno)',
    files: { 't/kyverno-test.yaml': testFile('policies: [../pol.yaml]\nresources: [../pods.yaml]\n') },
    args: ['test', 't'],
    code: 0,
    out: [/Test Summary: 0 tests passed and 0 tests failed/],
  },
  {
    name: 'a test with empty fields and no policies or resources loads nothing and checks nothing',
    files: {
      't/kyverno-test.yaml': testFile(
        `policies:\nresources: ~\nvariables:\nuserinfo: null\n${ROW}  patchedResources:\n`,
      ),
    },
    args: ['test', 't'],
    code: 0,
    out: [/Applying 0 policies to 0 resources/],
  },
  {
    name: 'null entries in path lists are named',
    files: {
      't/kyverno-test.yaml': testFile(`policies: [null, ../pol.yaml]\nresources: [../pods.yaml]\n${ROW}`),
    },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:5:12: policy\/wrong-type: expected a string, got null \(at policies\[0\]\)/],
  },
  {
    name: 'results as a map',
    files: {
      't/kyverno-test.yaml': testFile(
        'policies: [../pol.yaml]\nresources: [../pods.yaml]\nresults:\n  policy: x\n',
      ),
    },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:7:1: policy\/wrong-type: expected a list, got an object \(at results\)/],
  },
  {
    name: 'policies as a string',
    files: { 't/kyverno-test.yaml': testFile(`policies: ../pol.yaml\nresources: [../pods.yaml]\n${ROW}`) },
    args: ['test', 't'],
    code: 2,
    err: [/t\/kyverno-test\.yaml:5:1: policy\/wrong-type: .*\(at policies\)/],
  },
  {
    name: 'rows with wrong fields name each one',
    files: {
      't/kyverno-test.yaml': testFile(
        'policies: [../pol.yaml]\nresources: [../pods.yaml]\nresults:\n- policy: require-labels\n  kind: Pod\n  result: maybe\n- 42\n- policy: 7\n  kind: [Pod]\n  result: pass\n- kind: Pod\n  result: pass\n  resultt: fail\n',
      ),
    },
    args: ['test', 't'],
    code: 2,
    err: [
      /kyverno-test\.yaml:10:3: policy\/invalid-value: .*"maybe".*\(at results\[0\]\.result\)/,
      /kyverno-test\.yaml:11:3: policy\/wrong-type: .*\(at results\[1\]\)/,
      /kyverno-test\.yaml:12:3: policy\/wrong-type: .*\(at results\[2\]\.policy\)/,
      /kyverno-test\.yaml:13:3: policy\/wrong-type: .*\(at results\[2\]\.kind\)/,
      /\(at results\[3\]\.policy\)/,
      /kyverno-test\.yaml:17:3: policy\/unknown-field: .*\(at results\[3\]\.resultt\)/,
    ],
  },
  {
    name: 'a row naming an unknown policy fails as Not found',
    files: {
      't/kyverno-test.yaml': testFile(
        `policies: [../pol.yaml]\nresources: [../pods.yaml]\n${ROW.replace('policy: require-labels', 'policy: nosuch')}`,
      ),
    },
    args: ['test', 't'],
    code: 1,
    out: [/Not found/, /Test Summary: 0 tests passed and 1 tests failed/],
  },
  {
    name: 'a row naming an unknown resource fails as Not found',
    files: {
      't/kyverno-test.yaml': testFile(
        `policies: [../pol.yaml]\nresources: [../pods.yaml]\n${ROW.replace('[good]', '[nosuch]')}`,
      ),
    },
    args: ['test', 't'],
    // Kyverno checks every resource of the test when the named ones match nothing.
    code: 1,
    out: [/Test Summary: 1 tests passed and 1 tests failed/],
  },
  {
    name: 'a policy file that does not exist',
    files: {
      't/kyverno-test.yaml': testFile(`policies: [../nosuch.yaml]\nresources: [../pods.yaml]\n${ROW}`),
    },
    args: ['test', 't'],
    code: 2,
    err: [/nosuch\.yaml:1:1: input\/not-found: no such file or directory: nosuch\.yaml/],
  },
  {
    name: 'paths escaping the test folder with ../ resolve from the test file',
    files: {
      'a/b/c/kyverno-test.yaml': testFile(
        `policies: [../../../pol.yaml]\nresources: [../../../pods.yaml]\n${ROW}`,
      ),
    },
    args: ['test', 'a'],
    code: 0,
    out: [/Test Summary: 1 tests passed and 0 tests failed/],
  },
  {
    name: 'a patched-resource file that does not exist',
    files: {
      't/kyverno-test.yaml': testFile(
        `policies: [../pol.yaml]\nresources: [../pods.yaml]\n${ROW}  patchedResources: ../nosuch.yaml\n`,
      ),
    },
    args: ['test', 't'],
    code: 1,
  },
  {
    name: 'a folder where a resource file is expected in a test',
    files: {
      't/kyverno-test.yaml': testFile(
        `policies: [../pol.yaml]\nresources: [../pods.yaml]\nvariables: ../suite\n${ROW}`,
      ),
    },
    args: ['test', 't'],
    code: 2,
    err: [/suite:1:1: input\/read-error: is a directory, expected a file/],
  },
  {
    name: 'a test folder that does not exist',
    args: ['test', 'no/such/folder'],
    code: 2,
    err: [/no\/such\/folder:1:1: input\/not-found/],
  },
  {
    name: 'a symlink loop below the test folder ends',
    files: {
      'loop/suite/kyverno-test.yaml': SUITE.replace(/\.\.\//g, '../../'),
      'loop/suite/up': { symlink: '..' },
      'loop/self': { symlink: '.' },
    },
    args: ['test', 'loop'],
    code: 0,
    out: [/Test Summary: 2 tests passed and 0 tests failed/],
  },
  {
    name: 'a symlink loop below a resource folder ends',
    files: { 'res/pod.yaml': GOOD_POD, 'res/again': { symlink: '.' }, 'res/up/up': { symlink: '../..' } },
    args: ['apply', 'pol.yaml', '-r', 'res'],
    code: 1,
  },
  {
    name: 'a broken symlink in a folder is a warning',
    files: { 'res/pod.yaml': GOOD_POD, 'res/gone.yaml': { symlink: 'nowhere.yaml' } },
    args: ['apply', 'pol.yaml', '-r', 'res'],
    code: 0,
    err: [/res\/gone\.yaml:1:1: warning input\/read-error: skipped res\/gone\.yaml: broken symbolic link/],
    out: [/pass: 1, fail: 0/],
  },
  {
    name: 'a resource file passed to test instead of a folder',
    args: ['test', 'good.yaml'],
    code: 2,
    err: [/good\.yaml:\d+:\d+: (warning )?policy\/[a-z-]+: .*(apiVersion|`spec`)/],
  },
  // --- --values-file / --userinfo / --context-file ---
  {
    name: '--values-file that does not exist',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--values-file', 'nosuch.yaml'],
    code: 2,
    err: [/nosuch\.yaml:1:1: input\/not-found/, NO_LOAD],
  },
  {
    name: '--values-file that is a folder',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '-f', 'suite'],
    code: 2,
    err: [/suite:1:1: input\/read-error: is a directory, expected a file: suite/],
  },
  {
    name: '--values-file that is garbage',
    files: { 'v.yaml': binary() },
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '-f', 'v.yaml'],
    code: 2,
    err: [/v\.yaml:1:1: yaml\/syntax-error/],
  },
  {
    name: '--values-file with wrong types',
    files: {
      'v.yaml': 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nglobalValues: [1]\npolicies: {a: 1}\n',
    },
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '-f', 'v.yaml'],
    code: 2,
    err: [
      /v\.yaml:3:\d+: policy\/wrong-type: .*\(at globalValues\)/,
      /v\.yaml:4:\d+: policy\/wrong-type: .*\(at policies\)/,
    ],
  },
  {
    name: '--values-file with a duplicate key',
    files: {
      'v.yaml': 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nglobalValues: {}\nglobalValues: {}\n',
    },
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '-f', 'v.yaml'],
    code: 2,
    err: [/v\.yaml:4:1: yaml\/duplicate-key/],
  },
  {
    name: '--userinfo that does not exist',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--userinfo', 'nosuch.yaml'],
    code: 2,
    err: [/nosuch\.yaml:1:1: input\/not-found/],
  },
  {
    name: '--userinfo that is a scalar',
    files: { 'u.yaml': 'admin\n' },
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '-u', 'u.yaml'],
    code: 2,
    err: [/u\.yaml:1:1: /, NO_LOAD],
  },
  {
    name: '--userinfo with wrong types',
    files: { 'u.yaml': 'apiVersion: cli.kyverno.io/v1alpha1\nkind: UserInfo\nclusterRoles: admin\n' },
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '-u', 'u.yaml'],
    code: 2,
    err: [/u\.yaml:3:\d+: policy\/wrong-type: .*\(at clusterRoles\)/],
  },
  {
    name: '--context-file that does not exist',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--context-file', 'nosuch.yaml'],
    code: 2,
    err: [/nosuch\.yaml:1:1: input\/not-found/],
  },
  {
    name: '--context-file that is garbage',
    files: { 'c.yaml': binary() },
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--context-file', 'c.yaml'],
    code: 2,
    err: [/c\.yaml:1:1: /],
  },
  // --- stdin ---
  {
    name: 'empty stdin: an error (a failed `helm template | palisade apply`)',
    stdin: '',
    args: ['apply', 'pol.yaml', '-r', '-'],
    code: 2,
    err: [/<stdin>:1:1: input\/empty: no YAML documents on standard input/, NO_LOAD],
  },
  {
    name: 'stdin holding only comments and --allow-empty: a warning, nothing to check',
    stdin: '# nothing rendered\n---\n',
    args: ['apply', 'pol.yaml', '-r', '-', '--allow-empty'],
    code: 0,
    err: [/<stdin>:1:1: warning input\/empty/],
  },
  {
    name: 'garbage on stdin',
    stdin: binary(),
    args: ['apply', 'pol.yaml', '-r', '-'],
    code: 2,
    err: [/<stdin>:1:1: yaml\/syntax-error/],
  },
  {
    name: 'invalid UTF-8 on stdin (policies)',
    stdin: Buffer.from(POLICY.replace('require-labels', 'r\xe9quire'), 'latin1'),
    args: ['apply', '-', '-r', 'good.yaml'],
    code: 2,
    err: [/<stdin>:4:10: yaml\/syntax-error: invalid UTF-8/],
  },
  {
    name: 'stdin for both policies and resources',
    args: ['apply', '-', '-r', '-'],
    code: 2,
    err: [/stdin\) can be used for policies or resources, not both/],
  },
  // --- flags ---
  {
    name: 'unknown flag (apply)',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--bogus'],
    code: 2,
    err: [/unknown flag --bogus/, /palisade apply --help/],
  },
  {
    name: 'unknown flag (test)',
    args: ['test', 'suite', '--bogus'],
    code: 2,
    err: [/unknown flag --bogus/],
  },
  {
    name: 'unknown flag (jp)',
    args: ['jp', 'query', 'a', '--bogus'],
    code: 2,
    err: [/unknown flag --bogus/],
  },
  { name: 'unknown command', args: ['frobnicate'], code: 2, err: [/unknown command "frobnicate"/] },
  {
    name: 'a flag without its value',
    args: ['apply', 'pol.yaml', '-r'],
    code: 2,
    err: [/argument missing/],
  },
  {
    name: 'conflicting flags: --values-file with --set',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '-f', 'v.yaml', '--set', 'a=b'],
    code: 2,
    err: [/--values-file and --set cannot be used together/],
  },
  {
    name: 'bad --set pair',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--set', '=b'],
    code: 2,
    err: [/--set expects key=value/],
  },
  {
    name: 'bad --fail-on',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--fail-on', 'maybe'],
    code: 2,
    err: [/--fail-on expects/],
  },
  {
    name: 'bad --warn-exit-code',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--warn-exit-code', 'abc'],
    code: 2,
    err: [/--warn-exit-code expects an integer/],
  },
  { name: 'apply without policies', args: ['apply', '-r', 'good.yaml'], code: 2, err: [/require policy/] },
  { name: 'test without a folder', args: ['test'], code: 2, err: [/a folder or test file is required/] },
  {
    name: 'test with a bad output format',
    args: ['test', 'suite', '-o', 'nope'],
    code: 2,
    err: [/unknown output format "nope"/],
  },
  {
    name: 'test with a bad selector',
    args: ['test', 'suite', '-t', 'bogus'],
    code: 2,
    err: [/invalid test case selector/],
  },
  // --- jp ---
  {
    name: 'jp query with a bad expression',
    args: ['jp', 'query', 'a[', '-i', 'good.yaml'],
    code: 1,
    err: [/Error: .*Expected/],
  },
  {
    name: 'jp query with an unknown function',
    args: ['jp', 'query', 'nosuch(a)', '-i', 'good.yaml'],
    code: 1,
    err: [/Error: .*nosuch/],
  },
  {
    name: 'jp query on a missing input file',
    args: ['jp', 'query', 'a', '-i', 'nosuch.yaml'],
    code: 2,
    err: [/nosuch\.yaml:1:1: input\/not-found/],
  },
  {
    name: 'jp query on a folder',
    args: ['jp', 'query', 'a', '-i', 'suite'],
    code: 2,
    err: [/suite:1:1: input\/read-error/],
  },
  {
    name: 'jp query on garbage stdin',
    stdin: binary(),
    args: ['jp', 'query', 'a'],
    code: 2,
    err: [/<stdin>:1:1: yaml\/syntax-error/],
  },
  {
    name: 'jp query on empty stdin gives null',
    stdin: '',
    args: ['jp', 'query', 'a'],
    code: 0,
    out: [/^null$/m],
  },
  {
    name: 'jp query without a query',
    args: ['jp', 'query'],
    code: 2,
    err: [/at least one query is required/],
  },
  {
    name: 'jp query with a missing query file',
    args: ['jp', 'query', '-q', 'nosuch.txt'],
    code: 2,
    err: [/nosuch\.txt:1:1: input\/not-found/],
  },
  { name: 'jp parse with a bad expression', args: ['jp', 'parse', 'a[?'], code: 1, err: [/Error: /] },
  {
    name: 'jp parse with invalid UTF-8 on stdin',
    stdin: Buffer.from([0x61, 0xff]),
    args: ['jp', 'parse'],
    code: 2,
    err: [/<stdin>:1:2: yaml\/syntax-error: invalid UTF-8/],
  },
  {
    name: 'jp function that does not exist',
    args: ['jp', 'function', 'nosuch'],
    code: 1,
    err: [/unknown function "nosuch"/],
  },
  { name: 'jp with an unknown subcommand', args: ['jp', 'nope'], code: 2, err: [/unknown command "nope"/] },
];

// ---------- the runner ----------

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function materialise(files: Readonly<Record<string, FileBody>>): string {
  const root = mkdtempSync(join(tmpdir(), 'palisade-hostile-'));
  roots.push(root);
  for (const [rel, body] of Object.entries({ ...BASE, ...files })) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof body === 'object' && 'symlink' in body) symlinkSync(body.symlink, full);
    else if (typeof body === 'object' && 'dir' in body) mkdirSync(full, { recursive: true });
    else if (typeof body === 'object' && 'fifo' in body) execFileSync('mkfifo', [full]);
    else writeFileSync(full, body);
  }
  return root;
}

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;

/** Runs one case under the bounds and checks everything every case must hold. */
async function check(c: Case): Promise<void> {
  const cwd = materialise(c.files ?? {});
  const r = await runBounded(c.args, cwd, c.stdin ?? '');
  const show = `\n--- args: ${c.args.join(' ').slice(0, 200)}\n--- ${usageLine(r)}\n--- stderr:\n${r.stderr.slice(0, 3000)}\n--- stdout:\n${r.stdout.slice(0, 1500)}`;
  assert.deepEqual(boundsExceeded(r), [], `within ${BOUND_MS} ms of CPU time and ${HEAP_MB} MB${show}`);
  assert.ok(r.cpuMs !== undefined, `the run reported what it used${show}`);
  for (const text of [r.stderr, r.stdout]) {
    assert.doesNotMatch(text, /internal error|heap out of memory/i, `no crash${show}`);
    assert.doesNotMatch(text, STACK_FRAME, `no stack trace${show}`);
    assert.doesNotMatch(
      text,
      /\b(TypeError|RangeError|ReferenceError|Maximum call stack)\b/,
      `no JS error${show}`,
    );
  }
  assert.equal(r.code, c.code, `exit code${show}`);
  for (const want of c.err ?? []) assert.match(r.stderr, want, `stderr${show}`);
  for (const want of c.out ?? []) assert.match(r.stdout, want, `stdout${show}`);
  const errLines = r.stderr.split('\n').filter((l) => l !== '').length;
  assert.ok(errLines <= (c.maxErrLines ?? 20), `at most ${c.maxErrLines ?? 20} stderr lines${show}`);
}

// One case at a time: the bound is wall time, and the machine may be shared.
describe(`palisade under hostile input: under ${HEAP_MB} MB and ${BOUND_MS / 1000} s`, {
  concurrency: 1,
}, () => {
  for (const c of cases) test(c.name, () => check(c));
});

test('a reader that goes away early (`2>&1 | head -2`) ends the CLI', async () => {
  // A policy that fails to compile: the summary goes to stdout, then the diagnostic to stderr after head has gone.
  const map = `apiVersion: admissionregistration.k8s.io/v1beta1
kind: MutatingAdmissionPolicy
metadata:
  name: m
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  mutations:
  - patchType: JSONPatch
    jsonPatch:
      expression: "[JSONPatch{op: 'add', path: '/metadata/labels/x', value: 1 +}]"
`;
  const cwd = materialise({ 'map.yaml': map });
  const cli = [process.execPath, '--import', TSX, MAIN, 'apply', 'map.yaml', '-r', 'good.yaml']
    .map((a) => `'${a}'`)
    .join(' ');
  const child = spawn('sh', ['-c', `${cli} 2>&1 | head -2 >/dev/null`], { cwd, stdio: 'ignore' });
  const ended = await new Promise<boolean>((done) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(false);
    }, 30_000);
    child.on('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
  assert.ok(ended, 'the CLI exits instead of looping on EPIPE');
});

// The CEL cases rely on this helper pointing at the right character.
test('lineCol gives the 1-based line and column of a character', () => {
  assert.equal(lineCol('a\nbc)\n', ')'), '2:3');
  assert.equal(lineCol('x)\ny)\n', ')', 'y'), '2:2');
});

// ---------- bounded evaluation: no policy or input exhausts memory or time (docs/limits.md) ----------
// These run a bundle of the CLI (built once here, so start-up does not eat the bound) under a 256 MB
// heap and a 5 s deadline: a run that needs more is killed and fails the case.
after(removeBundle);

/** `v0` = 64 characters, each next variable its predecessor twice (through `{{ }}` or `join`). */
function doublingPolicy(levels: number, message: string, via: 'template' | 'join' = 'template'): string {
  const entries = ['      - name: v0\n        variable:\n          value: "' + 'x'.repeat(64) + '"'];
  for (let i = 1; i <= levels; i++) {
    const p = `v${i - 1}`;
    const value = via === 'template' ? `"{{${p}}}{{${p}}}"` : `"{{ join('', [${p}, ${p}]) }}"`;
    entries.push(`      - name: v${i}\n        variable:\n          value: ${value}`);
  }
  return legacy(
    `    context:\n${entries.join('\n')}\n    validate:\n      message: "${message}"\n      pattern:\n        metadata:\n          name: not-this\n`,
  );
}

/** A Pod with annotations and `containers` containers. */
function podWith(annotations: Record<string, string>, containers = 1): string {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
    .join('');
  const list = Array.from({ length: containers }, (_, i) => `    - {name: c${i}, image: nginx}\n`).join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n${ann || '    none: ""\n'}spec:\n  containers:\n${list}`;
}

const SELF = '{{request.object.metadata.annotations.x}}';
const failingRule = (message: string, extra = '') =>
  legacy(
    `${extra}    validate:\n      message: "${message}"\n      pattern:\n        metadata:\n          name: not-this\n`,
  );
const contextRule = (jmesPath: string) =>
  legacy(
    `    context:\n    - name: q\n      variable:\n        jmesPath: "${jmesPath}"\n    validate:\n      pattern:\n        metadata:\n          name: p\n`,
  );
const nestedForeach = legacy(`    validate:
      foreach:
      - list: request.object.spec.containers
        foreach:
        - list: request.object.spec.containers
          pattern:
            name: "c*"
`);
/** `depth` nested cel.bind steps from `seed`, each binding `step(previous)`; the result's size is used. */
function celChain(seed: string, depth: number, step: (prev: string) => string): string {
  let body = `size(s${depth}) > 0`;
  for (let i = depth; i >= 1; i--) body = `cel.bind(s${i}, ${step(`s${i - 1}`)}, ${body})`;
  return `cel.bind(s0, ${seed}, ${body})`;
}
/** A kind of CEL policy whose one expression is `expr` (YAML single-quoted). */
function celPolicy(kind: 'vap' | 'validate.cel' | 'mpol' | 'gpol' | 'dpol' | 'ivpol', expr: string): string {
  const q = `'${expr.replaceAll("'", "''")}'`;
  const pods = `      - apiGroups: [""]\n        apiVersions: [v1]\n        operations: [CREATE, UPDATE]\n        resources: [pods]\n`;
  switch (kind) {
    case 'vap':
      return `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: vap\nspec:\n  matchConstraints:\n    resourceRules:\n${pods}  validations:\n  - expression: ${q}\n    message: m\n`;
    case 'validate.cel':
      return legacy(
        `    validate:\n      cel:\n        expressions:\n        - expression: ${q}\n          message: m\n`,
      );
    case 'mpol':
      return `apiVersion: policies.kyverno.io/v1alpha1\nkind: MutatingPolicy\nmetadata:\n  name: mp\nspec:\n  matchConstraints:\n    resourceRules:\n${pods}  matchConditions:\n  - name: heavy\n    expression: ${q}\n  mutations:\n  - patchType: ApplyConfiguration\n    applyConfiguration:\n      expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}}'\n`;
    case 'gpol':
      return `apiVersion: policies.kyverno.io/v1alpha1\nkind: GeneratingPolicy\nmetadata:\n  name: gp\nspec:\n  matchConstraints:\n    resourceRules:\n${pods}  variables:\n  - name: heavy\n    expression: ${q}\n  generate:\n  - expression: 'variables.heavy && generator.Apply("default", [])'\n`;
    case 'dpol':
      return `apiVersion: policies.kyverno.io/v1beta1\nkind: DeletingPolicy\nmetadata:\n  name: dp\nspec:\n  schedule: "*/5 * * * *"\n  matchConstraints:\n    resourceRules:\n${pods}  conditions:\n  - name: heavy\n    expression: ${q}\n`;
    case 'ivpol':
      return `apiVersion: policies.kyverno.io/v1alpha1\nkind: ImageValidatingPolicy\nmetadata:\n  name: ivp\nspec:\n  attestors: []\n  validationConfigurations:\n    verifyDigest: false\n  validationActions: [Deny]\n  matchConstraints:\n    resourceRules:\n${pods}  matchImageReferences:\n  - glob: "*"\n  validations:\n  - expression: ${q}\n    message: m\n`;
  }
}
const NESTED_MAPS = 'lists.range(1000).map(x, lists.range(1000).map(y, lists.range(1000))).size() > 0';
const STRING_DOUBLING = celChain('"xxxxxxxxxxxxxxxx"', 40, (p) => `${p} + ${p}`);
const LIST_DOUBLING = celChain('[1, 2, 3, 4, 5, 6, 7, 8]', 40, (p) => `${p} + ${p}`);
const JOIN_GROWTH = celChain('["xxxxxxxxxxxxxxxx"]', 30, (p) => `[${p}.join(""), ${p}.join("")]`);
const celLimit = (limit: string) => new RegExp(`"result": "error",\\s*"message": "[^"]*limit ${limit} \\(`);

const limitError = (limit: string) =>
  new RegExp(`"result": "error",\\s*"message": "evaluation stopped: limit ${limit} \\(`);

const boundedCases: Case[] = [
  {
    name: 'a message expanding through doubling variables to hundreds of millions of characters',
    files: { 'p.yaml': doublingPolicy(24, 'bad {{v24}}'), 'pod.yaml': podWith({}) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json'],
    code: 1,
    out: [limitError('maxContextSize')],
  },
  {
    name: 'the same with the context and value limits raised: stopped by the substitution output',
    files: { 'p.yaml': doublingPolicy(24, 'bad {{v24}}'), 'pod.yaml': podWith({}) },
    args: [
      'apply',
      'p.yaml',
      '-r',
      'pod.yaml',
      '-o',
      'json',
      '--max-context-size',
      '1Gi',
      '--max-value-size',
      '1Gi',
    ],
    code: 1,
    out: [limitError('maxSubstitutionOutput')],
  },
  {
    name: 'a doubling chain through JMESPath join (Kyverno CVE-2026-23881)',
    files: { 'p.yaml': doublingPolicy(24, 'bad', 'join'), 'pod.yaml': podWith({}) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-context-size', '1Gi'],
    code: 1,
    out: [limitError('maxValueSize')],
  },
  {
    name: 'a message variable whose value (from the resource) names itself twice',
    files: { 'p.yaml': failingRule(`bad ${SELF}`), 'pod.yaml': podWith({ x: `${SELF}${SELF}` }) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json'],
    code: 1,
    out: [limitError('maxMessageSize')],
  },
  {
    name: 'maxSubstitutionPasses: a value that keeps producing a variable',
    files: { 'p.yaml': failingRule(`bad ${SELF}`), 'pod.yaml': podWith({ x: `a${SELF}` }) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json'],
    code: 1,
    out: [limitError('maxSubstitutionPasses'), /keep expanding/],
  },
  {
    name: 'maxSubstitutionPasses (--max-substitution-passes): a lower bound stops sooner',
    files: { 'p.yaml': failingRule(`bad ${SELF}`), 'pod.yaml': podWith({ x: `a${SELF}` }) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-substitution-passes', '3'],
    code: 1,
    out: [/limit maxSubstitutionPasses \(3 passes\) exceeded/],
  },
  {
    name: 'maxContextSize (--max-context-size): a context variable too large',
    files: {
      'p.yaml': contextRule('request.object.metadata.annotations.big'),
      'pod.yaml': podWith({ big: 'b'.repeat(20_000) }),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-context-size', '10Ki'],
    code: 1,
    out: [limitError('maxContextSize'), /the context with q added/],
  },
  {
    name: 'maxValueSize (--max-value-size): a substituted value too large',
    files: {
      'p.yaml': denyKey('x{{ request.object.metadata.annotations.big }}'),
      'pod.yaml': podWith({ big: 'b'.repeat(2000) }),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-value-size', '1Ki'],
    code: 1,
    out: [limitError('maxValueSize'), /annotations\.big/],
  },
  {
    name: 'maxMessageSize (--max-message-size): a message too long',
    files: {
      'p.yaml': failingRule('bad {{ request.object.metadata.annotations.big }}'),
      'pod.yaml': podWith({ big: 'b'.repeat(2000) }),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-message-size', '1000'],
    code: 1,
    out: [limitError('maxMessageSize')],
  },
  {
    name: 'raising --max-message-size lets a long message through',
    files: {
      'p.yaml': failingRule('bad {{ request.object.metadata.annotations.big }}'),
      'pod.yaml': podWith({ big: 'b'.repeat(100_000) }),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-message-size', '1Mi'],
    code: 1,
    out: [/"result": "fail",\s*"message": "validation error: bad b{100000}\./],
  },
  {
    name: 'maxSubstitutionOutput (--max-substitution-output): too much text built in one rule',
    files: {
      'p.yaml': failingRule('{{ request.object.metadata.annotations.big }}'.repeat(3) + ' end'),
      'pod.yaml': podWith({ big: 'b'.repeat(30_000) }),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-substitution-output', '100Ki'],
    code: 1,
    out: [limitError('maxSubstitutionOutput')],
  },
  {
    name: 'maxJmespathCost (--max-jmespath-cost): an expensive query',
    files: {
      'p.yaml': contextRule('length(request.object.spec.containers[].name)'),
      'pod.yaml': podWith({}, 2000),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-jmespath-cost', '1000'],
    code: 1,
    out: [limitError('maxJmespathCost')],
  },
  {
    name: 'maxForeachElements (--max-foreach-elements): a list too long',
    files: { 'p.yaml': nestedForeach, 'pod.yaml': podWith({}, 10) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-foreach-elements', '5'],
    code: 1,
    out: [limitError('maxForeachElements')],
  },
  {
    name: 'maxRegexInput (--max-regex-input): a regex over a long string',
    files: {
      'p.yaml': contextRule("regex_match('a+', request.object.metadata.annotations.big)"),
      'pod.yaml': podWith({ big: 'a'.repeat(1000) }),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-regex-input', '100'],
    code: 1,
    out: [limitError('maxRegexInput')],
  },
  {
    name: 'ruleTimeoutMs (--rule-timeout): nested foreach over 3000 × 3000 elements',
    files: { 'p.yaml': nestedForeach, 'pod.yaml': podWith({}, 3000) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--rule-timeout', '300ms'],
    code: 1,
    out: [limitError('ruleTimeoutMs')],
  },
  {
    name: 'requestTimeoutMs (--timeout): the same against the request deadline',
    files: { 'p.yaml': nestedForeach, 'pod.yaml': podWith({}, 3000) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--timeout', '500ms'],
    code: 1,
    out: [limitError('requestTimeoutMs')],
  },
  // --- CEL: maxCelCost per expression, maxRequestCelCost per resource, for every CEL kind ---
  {
    name: 'maxCelCost: nested map comprehensions (1000 × 1000 × lists.range(1000)) in a ValidatingPolicy',
    files: { 'p.yaml': vpol(`'${NESTED_MAPS}'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost: a string doubled 40 times by concatenation',
    files: { 'p.yaml': vpol(`'${STRING_DOUBLING}'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost: a list doubled 40 times (2^43 elements asked for)',
    files: { 'p.yaml': vpol(`'${LIST_DOUBLING}'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost: join() doubling a string 30 times',
    files: { 'p.yaml': vpol(`'${JOIN_GROWTH}'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost: a huge format() precision is charged before it is built',
    files: { 'p.yaml': vpol(`'"%.100000000f".format([1.0]) != ""'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost: a runaway absorbed by || still fails',
    files: { 'p.yaml': vpol(`'(${NESTED_MAPS}) || true'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost in a ValidatingAdmissionPolicy',
    files: { 'p.yaml': celPolicy('vap', NESTED_MAPS) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost in a ClusterPolicy validate.cel rule',
    files: { 'p.yaml': celPolicy('validate.cel', STRING_DOUBLING) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [celLimit('maxCelCost')],
  },
  {
    name: 'maxCelCost in a MutatingPolicy match condition',
    files: { 'p.yaml': celPolicy('mpol', LIST_DOUBLING) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [/limit maxCelCost \(1000000 units\) exceeded/],
  },
  {
    name: 'maxCelCost in a GeneratingPolicy variable',
    files: { 'p.yaml': celPolicy('gpol', NESTED_MAPS) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [/limit maxCelCost \(1000000 units\) exceeded/],
  },
  {
    name: 'maxCelCost in a DeletingPolicy condition',
    files: { 'p.yaml': celPolicy('dpol', NESTED_MAPS) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [/limit maxCelCost \(1000000 units\) exceeded/],
  },
  {
    name: 'maxCelCost in an ImageValidatingPolicy validation',
    files: { 'p.yaml': celPolicy('ivpol', JOIN_GROWTH) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json'],
    code: 1,
    out: [/limit maxCelCost \(1000000 units\) exceeded/],
  },
  {
    name: '--max-cel-cost lowers the limit for a moderate expression',
    files: { 'p.yaml': vpol(`'lists.range(1000).all(x, x >= 0)'`) },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json', '--max-cel-cost', '500'],
    code: 1,
    out: [/limit maxCelCost \(500 units\) exceeded: the CEL expression 'lists\.range/],
  },
  {
    name: 'maxRequestCelCost (--max-request-cel-cost): many policies, each within maxCelCost',
    files: {
      'p.yaml': Array.from({ length: 8 }, (_, i) =>
        vpol(`'lists.range(300).all(x, lists.range(300).all(y, x + y >= 0))'`).replace(
          'name: vp',
          `name: vp${i}`,
        ),
      ).join('---\n'),
    },
    args: ['apply', 'p.yaml', '-r', 'good.yaml', '-o', 'json', '--max-request-cel-cost', '2000000'],
    code: 1,
    out: [/"result": "pass"/, celLimit('maxRequestCelCost')],
  },
  {
    name: 'maxRequestJmespathCost (--max-request-jmespath-cost): many policies, each within maxJmespathCost',
    files: {
      'p.yaml': Array.from({ length: 8 }, (_, i) =>
        contextRule('length(request.object.spec.containers[].name)').replace('name: lp', `name: lp${i}`),
      ).join('---\n'),
      'pod.yaml': podWith({}, 300),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-request-jmespath-cost', '1000'],
    code: 1,
    out: [/"result": "pass"/, limitError('maxRequestJmespathCost')],
  },
  {
    name: 'maxRequestSubstitutionOutput (--max-request-substitution-output): many policies, each within maxSubstitutionOutput',
    files: {
      'p.yaml': Array.from({ length: 8 }, (_, i) =>
        failingRule('{{ request.object.metadata.annotations.big }}'.repeat(3)).replace(
          'name: lp',
          `name: lp${i}`,
        ),
      ).join('---\n'),
      'pod.yaml': podWith({ big: 'b'.repeat(10_000) }),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json', '--max-request-substitution-output', '150Ki'],
    code: 1,
    out: [/"result": "fail"/, limitError('maxRequestSubstitutionOutput')],
  },
  {
    name: 'a limit flag with a bad value is a usage error naming it',
    args: ['apply', 'pol.yaml', '-r', 'good.yaml', '--max-context-size', 'lots'],
    code: 2,
    err: [/--max-context-size expects a positive size such as 4Mi or 500000, got "lots"/],
  },
  {
    name: 'a FIFO inside a policy folder is skipped with a notice, never opened',
    files: { 'pols/a.yaml': POLICY, 'pols/b-pipe.yaml': { fifo: true } },
    args: ['apply', 'pols', '-r', 'good.yaml'],
    code: 0,
    err: [/warning input\/read-error: skipped pols\/b-pipe\.yaml: a FIFO \(named pipe\), not a regular file/],
    out: [/pass: 1, fail: 0/],
  },
  {
    name: 'a folder whose only YAML names are a FIFO and a link to /dev/zero: each skipped and named, and the folder is empty input',
    files: { 'res/a.yaml': { fifo: true }, 'res/zero.yaml': { symlink: '/dev/zero' } },
    args: ['apply', 'pol.yaml', '-r', 'res'],
    code: 2,
    err: [
      /res:1:1: input\/empty: no YAML documents in folder res/,
      /skipped res\/a\.yaml: a FIFO \(named pipe\), not a regular file/,
      /skipped res\/zero\.yaml: a symbolic link to a character device, not a regular file/,
    ],
  },
  {
    name: 'a device named on the command line is refused, never read',
    args: ['apply', 'pol.yaml', '-r', '/dev/zero'],
    code: 2,
    err: [/input\/read-error: not a regular file: \/dev\/zero/],
  },
  {
    name: 'a symbolic link to a FIFO inside a resource folder is skipped the same way',
    files: { 'res/good.yaml': GOOD_POD, 'res/pipe': { fifo: true }, 'res/z.yaml': { symlink: 'pipe' } },
    args: ['apply', 'pol.yaml', '-r', 'res'],
    code: 0,
    err: [/skipped res\/z\.yaml: a symbolic link to a FIFO/],
  },
  {
    name: 'an unresolvable variable in a message names the variable',
    files: { 'p.yaml': failingRule('bad {{ nosuch.field }}'), 'pod.yaml': podWith({}) },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json'],
    code: 1,
    out: [/failed to resolve nosuch\.field at path/],
  },
  {
    name: 'an unresolvable variable in a pattern names the variable and the path',
    files: {
      'p.yaml': legacy(
        '    validate:\n      pattern:\n        metadata:\n          name: "{{ nosuch.other }}"\n',
      ),
      'pod.yaml': podWith({}),
    },
    args: ['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json'],
    code: 1,
    out: [
      /"result": "error",\s*"message": "variable substitution failed: failed to resolve nosuch\.other at path \/metadata\/name/,
    ],
  },
];

describe(`bounded evaluation: under ${HEAP_MB} MB and ${BOUND_MS / 1000} s, the limit or culprit named`, {
  concurrency: 1,
}, () => {
  for (const c of boundedCases) test(c.name, () => check(c));
});
