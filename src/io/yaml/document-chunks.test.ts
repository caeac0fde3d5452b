// Pieces of a file (documentChunks + streamChunkDocuments) read as streamDocuments reads the whole
// file: values, document indexes, lines and columns of positions, and diagnostics (apply's workers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  documentChunks,
  type LoadedDocument,
  streamChunkDocuments,
  streamDocuments,
} from './load-documents.js';
import { locate } from './source-map.js';

function pod(i: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: p-${i}
  namespace: ns-${i % 3}
spec:
  containers:
  - name: c
    image: nginx:1.${i}
`;
}

/** Twelve documents: comments before the first, a duplicate key, an anchor, an empty one, CRLF-free. */
function fileText(extra = ''): string {
  const docs: string[] = ['# leading comment\n', pod(0)];
  for (let i = 1; i < 12; i++) {
    if (i === 4) docs.push(`---\n${pod(i)}  name: dup\n`.replace('kind: Pod\n', 'kind: Pod\nkind: Pod\n'));
    else if (i === 6)
      docs.push(`---\n${pod(i).replace('image: nginx:1.6', 'image: &img nginx\n    command: [*img]')}`);
    else if (i === 8) docs.push('---\n# nothing here\n');
    else docs.push(`---\n${pod(i)}`);
  }
  return docs.join('') + extra;
}

interface Seen {
  readonly index: number;
  readonly value: unknown;
  readonly at: string;
}

function seen(d: LoadedDocument): Seen {
  const ref = locate(d, ['spec', 'containers', 0, 'image']);
  return { index: d.index, value: d.value, at: `${ref.document}:${ref.line}:${ref.column}` };
}

function whole(text: string): { docs: Seen[]; issues: unknown } {
  const docs: Seen[] = [];
  const s = streamDocuments(text, 'f.yaml', { expandLists: true });
  for (let step = s.next(); ; step = s.next()) {
    if (step.done === true) return { docs, issues: step.value };
    docs.push(seen(step.value));
  }
}

function pieces(text: string, per: number): { docs: Seen[]; issues: unknown[]; refusedAt?: number } {
  const chunks = documentChunks(text, 'f.yaml', { documents: per, minDocuments: 1 });
  assert.ok(chunks !== undefined && chunks.length > 1, 'the file is cut into pieces');
  const docs: Seen[] = [];
  const issues: unknown[] = [];
  for (const chunk of chunks) {
    const s = streamChunkDocuments(chunk, { expandLists: true });
    for (let step = s.next(); ; step = s.next()) {
      if (step.done === true) {
        issues.push(...step.value.issues);
        if (step.value.refusedAt !== undefined) return { docs, issues, refusedAt: step.value.refusedAt };
        break;
      }
      docs.push(seen(step.value));
    }
  }
  return { docs, issues };
}

for (const per of [1, 3, 5]) {
  test(`pieces of ${per} document(s) read as the whole file: values, indexes, positions, diagnostics`, () => {
    const text = fileText();
    const a = whole(text);
    const b = pieces(text, per);
    assert.equal(b.refusedAt, undefined);
    assert.ok(a.docs.length >= 10);
    assert.deepEqual(b.docs, a.docs);
    assert.deepEqual(b.issues, a.issues);
    // The duplicate key's warning is placed in the file, not in its piece.
    assert.match(JSON.stringify(a.issues), /"line":\d{2}/);
  });
}

test('a piece with a syntax error names the first document the whole file must be read from', () => {
  const text = fileText('---\napiVersion: v1\nkind: [Pod\n');
  const b = pieces(text, 4);
  assert.equal(b.refusedAt, 12);
  assert.deepEqual(b.docs, whole(text).docs.slice(0, b.docs.length));
});

test('files the fast path cannot split, or too small, are not cut', () => {
  assert.equal(documentChunks('%YAML 1.1\n---\na: 1\n', 'f', { documents: 1, minDocuments: 1 }), undefined);
  assert.equal(documentChunks(fileText(), 'f', { documents: 1, minDocuments: 100 }), undefined);
  assert.equal(documentChunks('a: 1\r---\rb: 2\r', 'f', { documents: 1, minDocuments: 1 }), undefined);
  assert.equal(documentChunks('a: \u0001\n---\nb: 2\n', 'f', { documents: 1, minDocuments: 1 }), undefined);
});
