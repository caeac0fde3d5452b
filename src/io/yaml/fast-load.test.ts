import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LineCounter } from 'yaml';
import type { FieldPath } from '../../engine/index.js';
import { documentRanges, fastLoad, sparseLines } from './fast-load.js';
import { DEFAULT_LIMITS } from './limits.js';
import {
  type LoadedFile,
  type LoadOptions,
  loadDocuments,
  loadFully,
  streamDocuments,
} from './load-documents.js';
import { plainScalar } from './plain-scalar.js';
import { deepestStart } from './positions.js';
import { locate } from './source-map.js';

/** Every path into `value`, plus a missing child below each collection. */
function allPaths(value: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      allPaths(v, [...prefix, i], out);
    });
    out.push([...prefix, value.length]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
    out.push([...prefix, 'missing', 'deeper']);
  }
  return out;
}

const shape = (r: LoadedFile) => ({
  issues: r.issues,
  documents: r.documents.map((d) => [d.index, d.value, d.basePath]),
});

/** The fast path must give what the full loader gives: values, indexes, diagnostics and positions. */
function assertSameAsFull(text: string, options: LoadOptions = { expandLists: true }, paths = true): void {
  const full = loadFully(text, 'f.yaml', options);
  const mine = loadDocuments(text, 'f.yaml', options);
  assert.deepEqual(shape(mine), shape(full), JSON.stringify(text));
  if (!paths) return;
  full.documents.forEach((d, i) => {
    for (const p of allPaths(d.value))
      assert.deepEqual(locate(mine.documents[i]!, p), locate(d, p), `${JSON.stringify(text)} ${p.join('.')}`);
  });
  assertStreamedSameAsFull(text, options, full);
}

/**
 * Positions asked while each document is the stream's current one (as `apply` places its findings):
 * the walk over the document's events against the event index built after (`quickRoot`), and
 * `locate` against the full loader's.
 */
function assertStreamedSameAsFull(text: string, options: LoadOptions, full: LoadedFile): void {
  let i = 0;
  for (const d of streamDocuments(text, 'f.yaml', options)) {
    const fullDoc = full.documents[i++]!;
    const paths = allPaths(d.value).map((p) => [...d.basePath, ...p]);
    const { quickStart, quickRoot } = d.positions;
    const walked = quickStart === undefined ? [] : paths.map((p) => quickStart(p));
    for (const p of allPaths(d.value))
      assert.deepEqual(locate(d, p), locate(fullDoc, p), `streamed ${JSON.stringify(text)} ${p.join('.')}`);
    if (quickStart === undefined || quickRoot === undefined) continue;
    const indexed = paths.map((p) => deepestStart(quickRoot(), p));
    assert.deepEqual(walked, indexed, `walk against index ${JSON.stringify(text)}`);
  }
  assert.equal(i, full.documents.length);
}

describe('fast loading', () => {
  const fast: { name: string; yaml: string }[] = [
    {
      name: 'multi-document with comments and empty documents',
      yaml: '# c\n---\na: 1\n---\n---\n# x\n---\nb: [1]\n',
    },
    { name: 'content before the first marker', yaml: 'a: 1\n---\nb: 2\n--- # trailing\n' },
    { name: 'a marker with content on its line', yaml: '--- {a: 1}\n--- [x]\n--- text\n' },
    {
      name: 'plain scalars as Kubernetes decodes them',
      yaml: 'a: [yes, No, on, OFF, y, n, ~, null, 0x1F, 017, 08, 1_000, .5, 1., ., -., 0x_, 1e3, .inf, -.Inf, .nan, 0b101, +12, -0, 2001-12-14, 1:20]\n',
    },
    { name: 'keys that decode to numbers and booleans', yaml: '1: one\ntrue: t\n0x10: h\n"q": s\n' },
    {
      name: 'quoted and block scalars',
      yaml: "a: \"x\\ty\\u00e9\"\nb: 'it''s'\nc: |\n  l\n   m\nd: >-\n  f\n  g\ne: a\n  b\n",
    },
    {
      name: 'a kind: List',
      yaml: 'apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: p}\n',
    },
    { name: 'CRLF line ends', yaml: 'a: 1\r\n---\r\nb:\r\n  c: 2\r\n' },
    { name: 'a `---` that is not a marker', yaml: 'a: |\n  ---x\n---x: 1\n' },
    { name: 'JSON', yaml: '{"kind": "Pod", "spec": {"x": [1, 2.5, true, null]}}' },
  ];
  for (const c of fast) {
    test(`${c.name}: read fast, same as the full loader`, () => {
      assert.ok(fastLoad(c.yaml, DEFAULT_LIMITS)?.documents.every((d) => d.fullLoad === undefined));
      assertSameAsFull(c.yaml);
    });
  }

  const oneByOne: { name: string; yaml: string }[] = [
    { name: 'anchors and aliases', yaml: 'a: &x 1\nb: *x\n' },
    { name: 'merge keys', yaml: 'a: &x {k: 1}\nb:\n  <<: *x\n' },
    { name: 'tags', yaml: 'a: !!str 1\n' },
    { name: 'duplicate keys', yaml: 'a: 1\na: 2\n' },
    { name: 'a null key', yaml: '~: 1\n' },
    { name: 'a __proto__ key', yaml: '__proto__: {a: 1}\n' },
    { name: 'a syntax error', yaml: 'a: 1\nb: [1, 2\n' },
    { name: 'a collection as a key', yaml: '? [a]\n: 1\n' },
    { name: 'an implicit key longer than YAML allows', yaml: `${'k'.repeat(1100)}: v\n` },
    { name: 'a multi-line key', yaml: '? "a\n  b"\n: 1\n' },
    {
      name: 'a duplicate key and an alias among fast documents',
      yaml: 'a: 1\n---\nb: 1\nm:\n  x: 1\n  x: 2\n---\nc: &x [1]\nd: *x\n---\ne: 1\n',
    },
    { name: 'a syntax error among fast documents', yaml: 'a: 1\n---\nb: [1\n---\nc: {\n---\nd: 1\n' },
  ];
  for (const c of oneByOne) {
    test(`${c.name}: that document is left to the full loader`, () => {
      assert.ok(fastLoad(c.yaml, DEFAULT_LIMITS)?.documents.some((d) => d.fullLoad !== undefined));
      assertSameAsFull(c.yaml);
      assertSameAsFull(c.yaml, { duplicateKeys: 'error' });
    });
  }

  const whole: { name: string; yaml: string }[] = [
    { name: 'directives', yaml: '%YAML 1.1\n---\na: 1\n' },
    { name: 'document end markers', yaml: 'a: 1\n...\n---\nb: 2\n' },
    { name: 'a byte-order mark', yaml: '\uFEFFa: 1\n' },
  ];
  for (const c of whole) {
    test(`${c.name}: the file is left to the full loader`, () => {
      assert.equal(fastLoad(c.yaml, DEFAULT_LIMITS), undefined);
      assertSameAsFull(c.yaml);
    });
  }

  test('nesting past the limit is left to the full loader, which refuses it', () => {
    const limits = { ...DEFAULT_LIMITS, maxDepth: 5 };
    const text = 'a: {b: {c: {d: {e: {f: 1}}}}}\n';
    assert.ok(fastLoad(text, limits)?.documents[0]?.fullLoad);
    assert.equal(loadDocuments(text, 'd.yaml', { limits }).issues[0]?.code, 'limits/exceeded');
    assert.equal(fastLoad('a: {b: {c: {d: 1}}}\n', limits)?.documents[0]?.fullLoad, undefined);
  });

  test('document ranges count documents as the full parser does', () => {
    assert.deepEqual(documentRanges('# c\n---\na: 1\n'), [{ start: 4, end: 13 }]);
    assert.deepEqual(documentRanges('a: 1\n---\n'), [
      { start: 0, end: 5 },
      { start: 5, end: 9 },
    ]);
    assert.deepEqual(documentRanges(''), [{ start: 0, end: 0 }]);
  });

  test('plain scalars: the `yaml` 1.1 tags without timestamps, Go-parsable numbers only', () => {
    assert.equal(plainScalar('0o7'), '0o7');
    assert.equal(plainScalar('0b_'), '0b_');
    assert.equal(plainScalar('-0b11'), -3);
    assert.equal(plainScalar('1_0.5'), 10.5);
    assert.ok(Number.isNaN(plainScalar('.NaN')));
    assert.equal(plainScalar('.nAn'), '.nAn');
  });

  test('plain words: every casing of the typed words, and longer words, as the full loader reads them', () => {
    const casings = (w: string): string[] =>
      w === ''
        ? ['']
        : casings(w.slice(1)).flatMap((rest) => [w[0]!.toLowerCase() + rest, w[0]!.toUpperCase() + rest]);
    const typed = ['null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'nan', 'inf'];
    const words = [
      ...typed.flatMap(casings),
      ...typed.flatMap((w) => [`${w}s`, `${w}x1`, `x${w}`, `.${w}`, `-.${w}`, `~${w}`]),
      ...[
        '~',
        '~~',
        '~abcdef',
        'Nullable',
        'Falsey',
        'Onion',
        'Offset',
        'Yellow',
        'true_',
        'n0',
        'o1234',
        'T',
      ],
    ];
    // Each word also as a key, a document each (`yes` and `true` are the same key); null keys are
    // left to the full loader, so not asked here.
    const keys = words.filter((w) => w !== '' && !/^(?:~|[Nn]ull|NULL)$/.test(w));
    const yaml = [`values: [${words.join(', ')}]`, ...keys.map((w, i) => `${w}: ${i}`)].join('\n---\n');
    assert.ok(fastLoad(yaml, DEFAULT_LIMITS)?.documents.every((d) => d.fullLoad === undefined));
    assertSameAsFull(yaml, { expandLists: true }, false);
  });

  test('random documents: the fast path gives what the full loader gives', () => {
    const keys = ['a', 'b', '1', 'true', '"q"', "'s'", 'null', '<<', 'on', '0x10', '? c', '"k y"'];
    const scalars = [
      '1',
      '0x1F',
      '017',
      '08',
      '1_000',
      '.5',
      '.',
      '0x_',
      '1e3',
      '.inf',
      '.nan',
      '~',
      '',
      'yes',
      'n',
      '2001-12-14',
      '1:20',
      '<<',
      '"x\\ty"',
      "'it''s'",
      'a b',
      'a # c',
      '"a\n  b"',
      'plain\n  folded',
      '|\n  lit\n  eral\n',
      '>-\n  fold\n  ed\n',
      '[1, 2]',
      '{a: 1}',
      '[]',
      '{}',
      '&a 1',
      '*a',
      '!!str 1',
      '0b101',
      '-0',
      'x: y',
      '"\\x41"',
      '|+\n  k\n\n',
      '>\n  a\n\n  b\n',
    ];
    const line = fc.tuple(
      fc.integer({ min: 0, max: 4 }),
      fc.constantFrom(...keys),
      fc.constantFrom(...scalars),
      fc.constantFrom('map', 'seq', 'seqmap', 'comment', 'marker', 'blank'),
    );
    const text = fc.array(line, { maxLength: 12 }).map((ls) =>
      ls
        .map(([indent, k, v, kind]) => {
          const sp = ' '.repeat(indent * 2);
          if (kind === 'map') return `${sp}${k}: ${v}`;
          if (kind === 'seq') return `${sp}- ${v}`;
          if (kind === 'seqmap') return `${sp}- ${k}: ${v}`;
          if (kind === 'comment') return `${sp}# c`;
          if (kind === 'marker') return indent % 2 === 0 ? '---' : '--- # d';
          return '';
        })
        .join('\n'),
    );
    fc.assert(
      fc.property(text, fc.boolean(), (t, crlf) => {
        assertSameAsFull(crlf ? t.replace(/\n/g, '\r\n') : t);
      }),
      { numRuns: 300 },
    );
  });

  const corpus = join(import.meta.dirname, '../../../../shared/conformance/kyverno-policies');
  test('the policy corpus: same values and diagnostics, all read fast', {
    skip: isDir(corpus) ? false : `corpus not found at ${corpus}`,
  }, () => {
    let files = 0;
    for (const file of yamlFiles(corpus)) {
      const text = readFileSync(file, 'utf8');
      const fast = fastLoad(text, DEFAULT_LIMITS);
      assert.ok(
        fast?.documents.every((d) => d.fullLoad === undefined),
        file,
      );
      // Positions of every path are compared on the pod-security part (the rest takes minutes).
      assertSameAsFull(text, { expandLists: true }, file.includes('/pod-security/'));
      files++;
    }
    assert.ok(files > 1000, `only ${files} files`);
  });
});

function isDir(p: string): boolean {
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
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('sparseLines', () => {
  test("gives yaml's LineCounter positions for every offset of random texts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('\n', '\r', 'a', ' '), fc.string({ maxLength: 3000 })), {
          maxLength: 40,
        }),
        (parts) => {
          const text = parts.join('');
          const full = new LineCounter();
          full.addNewLine(0);
          for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) full.addNewLine(nl + 1);
          const sparse = sparseLines(text);
          for (let o = 0; o <= text.length + 2; o += 1 + Math.floor(text.length / 500))
            assert.deepEqual(sparse.linePos(o), full.linePos(o), `offset ${o}`);
          assert.deepEqual(sparse.linePos(text.length), full.linePos(text.length));
        },
      ),
      { numRuns: 200 },
    );
  });
});
