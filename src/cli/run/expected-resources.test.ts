import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createExpectedResourceLoader } from './expected-resources.js';

describe('createExpectedResourceLoader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-expected-'));
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n');
  writeFileSync(
    join(dir, 'test.yaml'),
    'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\n',
  );
  mkdirSync(join(dir, 'sub'));
  const load = createExpectedResourceLoader((f) => join(dir, f));
  // A folder (even `.`, which holds YAML but no resource) is an error, never an empty expectation.
  for (const [file, want] of [
    ['pod.yaml', { objects: 1 }],
    ['.', { error: /^read \.: is a directory$/ }],
    ['sub', { error: /^read sub: is a directory$/ }],
    ['nope.yaml', { error: /no such file/ }],
  ] as const) {
    test(file, () => {
      const r = load(file);
      if ('objects' in want) assert.equal('objects' in r ? r.objects.length : r.error, want.objects);
      else assert.match('error' in r ? r.error : 'no error', want.error);
    });
  }
});
