/**
 * `streamDocuments` gives what `loadDocuments` gives, one document at a time: the same values,
 * indexes, positions and diagnostics, also when the file must be read by the full loader after some
 * of its documents were given (a syntax error further down).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type LoadedDocument, loadDocuments, loadFully, streamDocuments } from './load-documents.js';
import { locate } from './source-map.js';

function streamed(text: string) {
  const documents: LoadedDocument[] = [];
  const located: string[] = [];
  const stream = streamDocuments(text, 'f.yaml', { expandLists: true });
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return { documents, issues: step.value, located };
    // Placed while current (from the events of the load) …
    const at = locate(step.value, ['spec', 'image']);
    located.push(`${at.line}:${at.column}`);
    documents.push(step.value);
  }
}

const pod = (name: string, image: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  image: ${image}\n`;

describe('streamDocuments', () => {
  const cases: { name: string; text: string }[] = [
    { name: 'plain documents', text: `${pod('a', 'x')}---\n${pod('b', '"y"')}---\n# only a comment\n` },
    {
      name: 'a duplicate key read by the full loader alone',
      text: `${pod('a', 'x')}---\n${pod('b', 'y')}  image: z\n`,
    },
    {
      name: 'a List expanded',
      text: `apiVersion: v1\nkind: List\nitems:\n- ${pod('a', 'x').replaceAll('\n', '\n  ')}`,
    },
    {
      name: 'a syntax error after two documents (the file read fully from there)',
      text: `${pod('a', 'x')}---\n${pod('b', 'y')}---\nspec: [unclosed\n---\n${pod('c', 'z')}`,
    },
    {
      name: 'a document too deep after a good one',
      text: `${pod('a', 'x')}---\n${'['.repeat(1100)}${']'.repeat(1100)}\n`,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: the documents, positions and diagnostics of loadDocuments`, () => {
      const all = loadDocuments(c.text, 'f.yaml', { expandLists: true });
      const s = streamed(c.text);
      assert.deepEqual(
        s.documents.map((d) => [d.index, d.basePath, d.value]),
        all.documents.map((d) => [d.index, d.basePath, d.value]),
      );
      assert.deepEqual(s.issues, all.issues);
      // … and the same as placed afterwards, and as the full loader places them.
      const full = loadFully(c.text, 'f.yaml', { expandLists: true });
      const after = s.documents.map((d) => locate(d, ['spec', 'image'])).map((p) => `${p.line}:${p.column}`);
      assert.deepEqual(s.located, after);
      if (full.issues.every((d) => d.severity !== 'error'))
        assert.deepEqual(
          after,
          full.documents.map((d) => locate(d, ['spec', 'image'])).map((p) => `${p.line}:${p.column}`),
        );
    });
  }
});
