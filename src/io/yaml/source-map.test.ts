import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FieldPath } from '../../engine/diagnostics/diagnostic.js';
import { type LoadedDocument, loadDocuments } from './load-documents.js';
import { locate, locateInDocument } from './source-map.js';

/** Every path into `value`, plus a missing child and a missing index below each collection. */
function allPaths(value: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      allPaths(v, [...prefix, i], out);
    });
    out.push([...prefix, value.length], [...prefix, 'x']);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
    out.push([...prefix, 'missing', 'deeper'], [...prefix, 0]);
  }
  return out;
}

/** The position index must give exactly what walking the yaml node tree gives. */
function assertSameAsDocument(doc: LoadedDocument): number {
  const paths = allPaths(doc.value);
  for (const path of paths) {
    assert.deepEqual(
      locate(doc, path),
      locateInDocument(doc, path),
      `${doc.file}#${doc.index} ${path.join('.')}`,
    );
  }
  return paths.length;
}

describe('locate (position index) agrees with the yaml node tree', () => {
  const edgeCases: { name: string; yaml: string }[] = [
    { name: 'duplicate keys: the first one is found', yaml: 'a: 1\nm:\n  x: 1\n  x:\n    y: 2\n' },
    { name: 'null and empty values', yaml: 'a:\nb: ~\nc: null\nd: []\ne: {}\n' },
    { name: 'flow collections', yaml: 'a: {b: [1, {c: d}], e: f}\ng: [ [1, 2], [] ]\n' },
    { name: 'anchors, aliases and merge keys', yaml: 'base: &b\n  x: 1\nuse:\n  <<: *b\n  y: *b\n' },
    { name: 'non-string keys', yaml: '1: one\ntrue: yes\nnull: n\n? x\n' },
    { name: 'numeric-looking keys on a map', yaml: 'm:\n  "0": zero\n  "1":\n    a: b\n' },
    { name: 'tags and block scalars', yaml: 'a: !!str 1\nb: |\n  text\nc: >-\n  folded\n' },
    { name: 'a scalar document', yaml: 'just text\n' },
    { name: 'a sequence document', yaml: '- a\n- b: c\n-\n- [x]\n' },
    { name: 'CRLF line ends', yaml: 'a: 1\r\nb:\r\n  c: 2\r\n' },
    {
      name: 'multi-document with a List',
      yaml: 'a: 1\n---\napiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: p}\n---\nb: [1]\n',
    },
  ];
  for (const c of edgeCases) {
    test(c.name, () => {
      for (const expandLists of [false, true]) {
        const loaded = loadDocuments(c.yaml, 'f.yaml', { expandLists });
        assert.ok(loaded.documents.length > 0);
        for (const doc of loaded.documents) assertSameAsDocument(doc);
      }
    });
  }

  const corpus = join(import.meta.dirname, '../../../../shared/conformance/kyverno-policies/pod-security');
  test('every path of the pod-security corpus files', {
    skip: existsDir(corpus) ? false : `corpus not found at ${corpus}`,
  }, () => {
    let checked = 0;
    for (const file of yamlFiles(corpus)) {
      const loaded = loadDocuments(readFileSync(file, 'utf8'), file, { expandLists: true });
      for (const doc of loaded.documents) checked += assertSameAsDocument(doc);
    }
    assert.ok(checked > 1000, `only ${checked} paths checked`);
  });
});

describe('positions of a big file', () => {
  test('later documents map to their own lines', () => {
    const text = Array.from({ length: 200 }, (_, i) => `kind: Pod\nmetadata:\n  name: p${i}\n`).join('---\n');
    const loaded = loadDocuments(text, 'many.yaml');
    assert.equal(loaded.documents.length, 200);
    const last = loaded.documents[199]!;
    assert.deepEqual(locate(last, ['metadata', 'name']), {
      file: 'many.yaml',
      document: 199,
      line: 199 * 4 + 3,
      column: 3,
    });
    assert.deepEqual(locate(last, ['spec', 'containers']), {
      file: 'many.yaml',
      document: 199,
      line: 199 * 4 + 1,
      column: 1,
    });
  });
});

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}
