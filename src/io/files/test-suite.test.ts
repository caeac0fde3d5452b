import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeTest, discoverTests, loadTestFile, loadTests, testPath } from './test-suite.js';

const base = {
  apiVersion: 'cli.kyverno.io/v1alpha1',
  kind: 'Test',
  metadata: { name: 't' },
  policies: ['p.yaml'],
  resources: ['r.yaml'],
};

describe('decodeTest', () => {
  test('decodes results; `resource` and `status` are folded into their current fields', () => {
    const r = decodeTest({
      ...base,
      results: [{ policy: 'p', rule: 'r', resource: 'x', kind: 'Pod', status: 'Pass' }],
    });
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.test?.results?.[0], {
      policy: 'p',
      rule: 'r',
      resources: ['x'],
      kind: 'Pod',
      result: 'pass',
    });
  });

  test('field names match case-insensitively, as Go decoding does', () => {
    const r = decodeTest({
      ...base,
      results: [{ policy: 'p', kind: 'Pod', result: 'pass', isMUtatingPolicy: true }],
    });
    assert.equal(r.test?.results?.[0]?.isMutatingPolicy, true);
  });

  test('unknown fields are errors with their path', () => {
    const r = decodeTest({ ...base, results: [{ policy: 'p', kind: 'Pod', result: 'pass', bogus: 1 }] });
    assert.equal(r.test, undefined);
    assert.deepEqual(
      r.issues.map((d) => [d.code, d.path]),
      [['policy/unknown-field', ['results', 0, 'bogus']]],
    );
  });

  test('a test without apiVersion/kind is the deprecated schema', () => {
    const r = decodeTest({ name: 'old', policies: [], resources: [], results: [] });
    assert.equal(r.issues[0]?.code, 'test/deprecated-schema');
  });

  test('an unknown expected result is refused', () => {
    const r = decodeTest({ ...base, results: [{ policy: 'p', kind: 'Pod', result: 'maybe' }] });
    assert.deepEqual(r.issues[0]?.path, ['results', 0, 'result']);
  });
});

describe('discoverTests and loadTestFile', () => {
  test('finds kyverno-test.yaml in hidden folders and resolves paths against the test folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'palisade-suite-'));
    mkdirSync(join(root, 'pol', '.kyverno-test'), { recursive: true });
    const file = join(root, 'pol', '.kyverno-test', 'kyverno-test.yaml');
    writeFileSync(
      file,
      'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\npolicies: [../p.yaml]\nresources: [r.yaml]\nresults: []\n',
    );
    assert.deepEqual(discoverTests([root]).files, [file]);
    const t = loadTestFile(file);
    assert.deepEqual(t.issues, []);
    assert.equal(testPath(t, '../p.yaml'), join(root, 'pol', 'p.yaml'));
  });

  test('a decoding error is located in the file', () => {
    const root = mkdtempSync(join(tmpdir(), 'palisade-suite-'));
    const file = join(root, 'kyverno-test.yaml');
    writeFileSync(
      file,
      'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\npolicies: []\nresources: []\nresults:\n- policy: p\n  kind: Pod\n  result: pass\n  typo: 1\n',
    );
    const t = loadTestFile(file);
    assert.equal(t.test, undefined);
    assert.equal(t.issues[0]?.source?.line, 9);
  });

  test('every document of a test file is a test of its own, each located in its document', () => {
    const root = mkdtempSync(join(tmpdir(), 'palisade-suite-'));
    const file = join(root, 'kyverno-test.yaml');
    const head = 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\npolicies: [p.yaml]\n';
    writeFileSync(file, `${head}metadata: {name: one}\n---\n---\n${head}metadata: {name: two}\ntypo: 1\n`);
    const tests = loadTests(file);
    assert.equal(tests.length, 2);
    assert.equal(tests[0]?.test?.metadata?.name, 'one');
    assert.equal(tests[1]?.test, undefined);
    assert.equal(tests[1]?.issues[0]?.source?.line, 11);
  });

  test('a missing folder is input/not-found', () => {
    assert.equal(discoverTests(['/nonexistent/palisade']).issues[0]?.code, 'input/not-found');
  });
});

describe('globalContextEntries resourceFiles', () => {
  test('are read, relative to the test folder, into the entry resources (multi-document)', () => {
    const root = mkdtempSync(join(tmpdir(), 'palisade-gce-'));
    writeFileSync(
      join(root, 'gce.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    );
    writeFileSync(
      join(root, 'kyverno-test.yaml'),
      [
        'apiVersion: cli.kyverno.io/v1alpha1',
        'kind: Test',
        'metadata: {name: t}',
        'policies: [p.yaml]',
        'resources: [r.yaml]',
        'globalContextEntries:',
        '- name: g',
        '  resourceFiles: [gce.yaml]',
        '- name: missing',
        '  resourceFiles: [nope.yaml]',
      ].join('\n'),
    );
    const t = loadTestFile(join(root, 'kyverno-test.yaml'));
    const entries = t.test?.globalContextEntries ?? [];
    assert.deepEqual(
      (entries[0]?.resources ?? []).map((r) => (r as { metadata: { name: string } }).metadata.name),
      ['a', 'b'],
    );
    assert.equal(t.issues.length, 1, 'an unreadable file is reported');
  });
});
