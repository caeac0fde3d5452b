// readFileChunks (a file cut in two passes over its bytes) against documentChunks of its whole text:
// the same pieces (text, first index, line ends before), or both refuse to cut, over generated
// workloads, the conformance corpora's YAML and a table of edge cases, with blocks small enough that
// lines and UTF-8 sequences meet block ends.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { generateWorkloads } from '../../../bench/generate-workloads.js';
import { documentChunks } from '../yaml/load-documents.js';
import { readFileChunks, scanning } from './file-chunks.js';
import { readText } from './read-text.js';

const DIR = mkdtempSync(join(tmpdir(), 'palisade-file-chunks-'));
let files = 0;

function write(content: string | Buffer): string {
  const path = join(DIR, `f${files++}.yaml`);
  writeFileSync(path, content);
  return path;
}

/** Both readers' pieces of `path` (undefined: read whole), as plain values. */
function both(path: string, split: { documents: number; minDocuments: number }) {
  const read = readText(path);
  const whole = read.ok ? documentChunks(read.text, 'f.yaml', split) : undefined;
  const pieces = readFileChunks(path, 'f.yaml', split);
  return { whole, bounded: pieces === undefined ? undefined : [...pieces] };
}

function check(
  path: string,
  what: string,
  split = { documents: 3, minDocuments: 2 },
  blocks = [7, 64, 1 << 20],
) {
  const before = scanning.blockBytes;
  try {
    for (const blockBytes of blocks) {
      scanning.blockBytes = blockBytes;
      const { whole, bounded } = both(path, split);
      assert.deepEqual(bounded, whole, `${what} (blocks of ${blockBytes} bytes)`);
    }
  } finally {
    scanning.blockBytes = before;
  }
}

const pod = (i: number, extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-${i}\nspec:\n  containers:\n  - name: c\n    image: nginx${extra}\n`;
const docs = (n: number, sep = '---\n', extra = ''): string =>
  Array.from({ length: n }, (_, i) => pod(i, extra)).join(sep);

const CASES: readonly (readonly [string, string | Buffer])[] = [
  ['plain documents', docs(10)],
  ['leading marker', `---\n${docs(10)}`],
  ['comments before the first marker', `# a comment\n\n  # another\n---\n${docs(10)}`],
  ['content before the first marker', `a: 1\n---\n${docs(10)}`],
  ['blank lines with tabs before the first marker', ` \t\n\t\n---\n${docs(10)}`],
  ['CRLF line ends', docs(10).replace(/\n/g, '\r\n')],
  ['bare CR line ends', docs(10).replace(/\n/g, '\r')],
  ['marker with a comment', docs(10, '--- # next\n')],
  ['marker with a tab', docs(10, '---\t\n')],
  ['marker followed by content', docs(10, '--- a: 1\n')],
  ['not a marker', `${docs(4)}----\n${docs(6)}`],
  ['no trailing newline, marker at the end', `${docs(10)}---`],
  ['no trailing newline', docs(10).slice(0, -1)],
  ['a directive', `%YAML 1.2\n---\n${docs(10)}`],
  ['a directive in the middle', `${docs(5)}---\n%TAG ! x\n${docs(5)}`],
  ['a document end marker', `${docs(5)}...\n---\n${docs(5)}`],
  ['two dots', `${docs(5)}..\n---\n${docs(5)}`],
  ['a byte-order mark', `\uFEFF${docs(10)}`],
  ['a second byte-order mark', `\uFEFF\uFEFF${docs(10)}`],
  ['a BOM in the middle', docs(10, '---\n', ' # \uFEFF')],
  ['a NUL', `${docs(5)}---\na: "\u0000"\n${docs(5)}`],
  ['a DEL', `${docs(5)}---\na: "\u007f"\n${docs(5)}`],
  ['a C1 control', `${docs(5)}---\na: "\u0085\u0090"\n${docs(5)}`],
  ['NEL only', `${docs(5)}---\na: "\u0085"\n${docs(5)}`],
  ['U+FFFE', `${docs(5)}---\na: "\uFFFE"\n${docs(5)}`],
  ['U+FFFF', `${docs(5)}---\na: "\uFFFF"\n${docs(5)}`],
  ['a line separator', `${docs(5)}---\na: "\u2028"\n${docs(5)}`],
  ['a paragraph separator', `${docs(5)}---\na: "\u2029"\n${docs(5)}`],
  ['multi-byte text', docs(12, '---\n', ' # é ü — “q” 日本 😀 \u00a0\u0100\u07ff\u0800\uffee')],
  ['a tab and vertical tab', `${docs(5)}---\na: "\t\u000b"\n${docs(5)}`],
  ['invalid UTF-8', Buffer.concat([Buffer.from(docs(5)), Buffer.from([0xff, 0x0a]), Buffer.from(docs(5))])],
  [
    'an overlong form',
    Buffer.concat([Buffer.from(docs(5)), Buffer.from([0xc0, 0xaf, 0x0a]), Buffer.from(docs(5))]),
  ],
  [
    'a surrogate',
    Buffer.concat([Buffer.from(docs(5)), Buffer.from([0xed, 0xa0, 0x80, 0x0a]), Buffer.from(docs(5))]),
  ],
  ['a truncated sequence at the end', Buffer.concat([Buffer.from(docs(5)), Buffer.from([0xe2, 0x80])])],
  ['a long line', `${docs(4)}---\na: ${'x'.repeat(5000)}\n${docs(4)}`],
  ['one document', pod(1)],
  ['an empty file', ''],
  ['only comments', '# a\n# b\n'],
  ['empty documents', '---\n---\n---\n---\n---\n---\n'],
];

test('readFileChunks gives documentChunks pieces, or refuses where it does', () => {
  for (const [what, content] of CASES) {
    const path = write(content);
    check(path, what);
    check(path, `${what}, 1 per piece`, { documents: 1, minDocuments: 1 });
    check(path, `${what}, too few documents`, { documents: 3, minDocuments: 1000 });
  }
});

test('the table covers both answers', () => {
  const answers = CASES.map(([, content]) => both(write(content), { documents: 3, minDocuments: 2 }).bounded);
  assert.ok(answers.filter((a) => a === undefined).length >= 10, 'cases read whole');
  assert.ok(answers.filter((a) => a !== undefined).length >= 10, 'cases cut');
});

test('readFileChunks of generated workloads, and of paths that are not regular files', () => {
  const path = write(generateWorkloads(600));
  check(path, 'workloads', { documents: 250, minDocuments: 500 }, [4096, 1 << 20]);
  assert.ok(both(path, { documents: 250, minDocuments: 500 }).bounded?.length === 3, 'three pieces');
  assert.equal(readFileChunks(DIR, 'd', { documents: 1, minDocuments: 1 }), undefined, 'a folder');
  assert.equal(readFileChunks(join(DIR, 'none.yaml'), 'n', { documents: 1, minDocuments: 1 }), undefined);
  assert.equal(
    readFileChunks(path, 'f.yaml', { documents: 250, minDocuments: 500 }, 1000),
    undefined,
    'too large',
  );
});

/** Every YAML file below `dir`. */
function yamlFiles(dir: string, into: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, into);
    else if (/\.ya?ml$/.test(name)) into.push(p);
  }
  return into;
}

test('readFileChunks over the conformance corpora', () => {
  const root = resolve(import.meta.dirname, '../../../../shared/conformance');
  const all = yamlFiles(root);
  assert.ok(all.length > 1000, 'the corpora are there');
  for (const path of all) check(path, path, { documents: 1, minDocuments: 1 }, [64, 1 << 20]);
});
