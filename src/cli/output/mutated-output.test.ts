import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../engine/index.js';
import { mutatedFiles, renderMutatedDocuments, renderMutatedText } from './mutated-output.js';

const pod = (name: string, namespace = 'default', kind = 'Pod'): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace, labels: { team: 'x' } },
});

describe('mutated output', () => {
  test('text: header, YAML, separator per resource', () => {
    const lines = renderMutatedText([{ policy: 'add-label', resource: pod('a') }]);
    assert.equal(lines[0], 'policy add-label applied to default/Pod/a:');
    assert.match(lines[1] ?? '', /^apiVersion: v1\nkind: Pod\nmetadata:\n {2}name: a/);
    assert.equal(lines[2], '---');
  });
  test('documents: every resource round-trips as YAML', () => {
    const text = renderMutatedDocuments([
      { policy: 'p', resource: pod('a') },
      { policy: 'p', resource: pod('b') },
    ]);
    const docs = parseAllDocuments(text)
      .map((d) => d.toJS())
      .filter((d) => d !== null);
    assert.deepEqual(docs, [pod('a'), pod('b')]);
  });
  test('files: <name>-mutated.yaml, disambiguated on clashes, later output wins', () => {
    const a1 = pod('a');
    const a2 = { ...pod('a'), metadata: { name: 'a', namespace: 'default', labels: { team: 'y' } } };
    const files = mutatedFiles([
      { policy: 'p1', resource: a1 },
      { policy: 'p2', resource: pod('a', 'other') },
      { policy: 'p3', resource: a2 },
    ]);
    assert.deepEqual(
      files.map((f) => f.name),
      ['a-mutated.yaml', 'other-Pod-a-mutated.yaml'],
    );
    assert.match(files[0]?.content ?? '', /team: y/);
  });
});
