import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadDocuments } from './load-documents.js';
import { locate, locateLazily, settledSource } from './source-map.js';

describe('loadDocuments', () => {
  test('splits multi-document YAML and drops empty documents', () => {
    const r = loadDocuments('a: 1\n---\n---\nb: 2\n', 'f.yaml');
    assert.deepEqual(r.issues, []);
    assert.deepEqual(
      r.documents.map((d) => d.value),
      [{ a: 1 }, { b: 2 }],
    );
    assert.deepEqual(
      r.documents.map((d) => d.index),
      [0, 2],
    );
  });

  test('parses JSON', () => {
    const r = loadDocuments('{"kind": "Pod", "spec": {"x": [1, 2]}}', 'p.json');
    assert.deepEqual(r.documents[0]?.value, { kind: 'Pod', spec: { x: [1, 2] } });
  });

  test('decodes like Kubernetes: yes/on are booleans, timestamps and 1:20 stay strings', () => {
    const r = loadDocuments('a: yes\nb: 2001-12-14\nc: 1:20\nd: "yes"\n', 'f.yaml');
    assert.deepEqual(r.documents[0]?.value, { a: true, b: '2001-12-14', c: '1:20', d: 'yes' });
  });

  test('syntax errors carry file, line and column', () => {
    const r = loadDocuments('a: 1\nb: [1, 2\nc: 3\n', 'bad.yaml');
    assert.equal(r.documents.length, 0);
    assert.equal(r.issues[0]?.code, 'yaml/syntax-error');
    assert.equal(r.issues[0]?.source?.file, 'bad.yaml');
    assert.ok((r.issues[0]?.source?.line ?? 0) >= 2);
  });

  test('an alias bomb is refused with limits/exceeded', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [n, p] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ] as const) {
      lines.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]`);
    }
    const r = loadDocuments(lines.join('\n'), 'bomb.yaml');
    assert.equal(r.documents.length, 0);
    assert.equal(r.issues[0]?.code, 'limits/exceeded');
  });

  // Mistakes, not bounds: a syntax error on the alias or merge value, never "too many aliases" at 1:1.
  for (const [name, text, line, column, message] of [
    ['an alias to no anchor', 'a: 1\nb: *nope\n', 2, 4, /^Unresolved alias .*: nope$/],
    ['a merge of a list of scalars', 'a: 1\nb:\n  <<: [1, 2]\n', 3, 7, /^Merge sources must be maps/],
    ['a merge of an alias to a list', 'a: &a [1]\nb:\n  <<: *a\n', 3, 7, /^Merge sources must be maps/],
    ['a merge list with a scalar', 'a: &a {x: 1}\nb:\n  <<: [*a, 5]\n', 3, 7, /^Merge sources must be maps/],
  ] as const) {
    test(`${name} is a syntax error at its place`, () => {
      const r = loadDocuments(text, 'm.yaml');
      assert.equal(r.documents.length, 0);
      assert.deepEqual(
        r.issues.map((d) => [d.code, d.source?.line, d.source?.column]),
        [['yaml/syntax-error', line, column]],
      );
      assert.match(r.issues[0]?.message ?? '', message);
    });
  }

  test('merges of maps and lists of maps load', () => {
    const r = loadDocuments(
      'a: &a {x: 1}\nb: &b {k: 2}\nc:\n  <<: [*a, *b]\n  z: 3\nd:\n  <<: *a\n',
      'm.yaml',
    );
    assert.deepEqual(r.issues, []);
    assert.deepEqual((r.documents[0]?.value as { c: unknown } | undefined)?.c, { x: 1, k: 2, z: 3 });
  });

  test('nesting deeper than the limit is refused (flow and block style)', () => {
    const flow = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    const block = Array.from({ length: 1100 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    for (const text of [flow, block]) {
      const r = loadDocuments(text, 'deep.yaml');
      assert.equal(r.documents.length, 0);
      assert.equal(r.issues[0]?.code, 'limits/exceeded');
    }
  });

  test('a file over the size bound is refused', () => {
    const r = loadDocuments('a: 1234567890\n', 'big.yaml', {
      limits: { maxFileBytes: 5, maxAliasCount: 100, maxDepth: 1000 },
    });
    assert.equal(r.issues[0]?.code, 'limits/exceeded');
  });

  test('kind: List is expanded and items keep their positions', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata:\n    name: b\n';
    const r = loadDocuments(text, 'list.yaml', { expandLists: true });
    assert.deepEqual(
      r.documents.map((d) => (d.value as { metadata: { name: string } }).metadata.name),
      ['a', 'b'],
    );
    const second = r.documents[1]!;
    assert.deepEqual(locate(second, ['metadata', 'name']), {
      file: 'list.yaml',
      document: 0,
      line: 9,
      column: 5,
    });
  });
});

describe('locate', () => {
  test('maps a field path to line and column, falling back to the deepest existing node', () => {
    const r = loadDocuments('kind: Pod\nspec:\n  containers:\n  - name: app\n    image: nginx\n', 'pod.yaml');
    const doc = r.documents[0]!;
    assert.deepEqual(locate(doc, ['spec', 'containers', 0, 'image']), {
      file: 'pod.yaml',
      document: 0,
      line: 5,
      column: 5,
    });
    assert.equal(locate(doc, ['spec', 'containers', 0, 'missing']).line, 4);
  });
});

describe('locateLazily', () => {
  test('the same position as locate: read, settled and as JSON, with the same fields in the same order', () => {
    const doc = loadDocuments('kind: Pod\nspec:\n  containers:\n  - name: app\n', 'pod.yaml').documents[0]!;
    const path = ['spec', 'containers', 0, 'name'];
    const lazy = locateLazily(doc, path);
    const exact = locate(doc, path);
    assert.deepEqual([lazy.file, lazy.document, lazy.line, lazy.column], ['pod.yaml', 0, 4, 5]);
    assert.deepEqual(settledSource(lazy), exact);
    assert.equal(JSON.stringify(lazy), JSON.stringify(exact));
    assert.deepEqual({ ...settledSource(lazy) }, { file: 'pod.yaml', document: 0, line: 4, column: 5 });
  });
  test('as JSON before any read: the settled record', () => {
    const doc = loadDocuments('a: 1\nb:\n  c: 2\n', 'f.yaml').documents[0]!;
    const lazy = locateLazily(doc, ['b', 'c']);
    assert.equal(JSON.stringify(lazy), '{"file":"f.yaml","document":0,"line":3,"column":3}');
    assert.equal(lazy.column, 3);
  });
});

describe('hostile text', () => {
  test('a control character is a syntax error at its line and column', () => {
    const r = loadDocuments('a: 1\nb: x\u0000y\n', 'bin.yaml');
    assert.equal(r.documents.length, 0);
    assert.deepEqual(
      r.issues.map((d) => [d.code, d.source?.line, d.source?.column]),
      [['yaml/syntax-error', 2, 5]],
    );
  });

  test('every UTF-16 code unit go-yaml refuses, and only those, is reported as a control character', () => {
    // The former loop's predicate: C0 but tab, LF, CR; DEL and C1 but NEL; U+FFFE, U+FFFF.
    const refused = (c: number) =>
      c < 0x20
        ? c !== 0x09 && c !== 0x0a && c !== 0x0d
        : c >= 0x7f && c <= 0x9f
          ? c !== 0x85
          : c === 0xfffe || c === 0xffff;
    for (let c = 0; c <= 0xffff; c++) {
      // Lone surrogates and line breaks are other diagnostics (or none): only the control check is asked.
      const r = loadDocuments(`a: 1\nb: x${String.fromCharCode(c)}y\n`, 'c.yaml');
      const control = r.issues.some((d) => d.message.startsWith('control character'));
      assert.equal(control, refused(c), `U+${c.toString(16)}`);
      if (control) assert.deepEqual([r.issues[0]?.source?.line, r.issues[0]?.source?.column], [2, 5]);
    }
  });

  test('duplicate keys: a warning with the key path by default, an error when strict', () => {
    const text = 'a: 1\nm:\n  x: 1\n  x: 2\n';
    const lax = loadDocuments(text, 'd.yaml');
    assert.deepEqual(lax.documents[0]?.value, { a: 1, m: { x: 2 } });
    assert.deepEqual(
      lax.issues.map((d) => [d.code, d.severity, d.path, d.source?.line, d.source?.column]),
      [['yaml/duplicate-key', 'warning', ['m', 'x'], 4, 3]],
    );
    const strict = loadDocuments(text, 'd.yaml', { duplicateKeys: 'error' });
    assert.equal(strict.documents.length, 0);
    assert.equal(strict.issues[0]?.severity, 'error');
  });

  test('plain scalars Go cannot parse as numbers stay strings', () => {
    const r = loadDocuments('a: .\nb: -.\nc: 0x_\nd: .5\ne: 0x1F\nf: 1_000\n', 'n.yaml');
    assert.deepEqual(r.documents[0]?.value, { a: '.', b: '-.', c: '0x_', d: 0.5, e: 31, f: 1000 });
  });

  test('deep nesting is reported once, not once per level', () => {
    const r = loadDocuments(`${'['.repeat(10_000)}${']'.repeat(10_000)}`, 'deep.yaml');
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]?.code, 'limits/exceeded');
  });
});

describe('locate inside a string value', () => {
  const cases: {
    name: string;
    yaml: string;
    at: { line: number; column: number };
    want: [number, number];
  }[] = [
    { name: 'plain', yaml: 'e: a == )\n', at: { line: 1, column: 6 }, want: [1, 9] },
    { name: 'double-quoted', yaml: 'e: "a == )"\n', at: { line: 1, column: 6 }, want: [1, 10] },
    {
      name: 'double-quoted with escapes',
      yaml: 'e: "\\"\\t\\u00e9 )"\n',
      at: { line: 1, column: 5 },
      want: [1, 16],
    },
    { name: "single-quoted with ''", yaml: "e: 'it''s )'\n", at: { line: 1, column: 6 }, want: [1, 11] },
    {
      name: 'literal block, second line',
      yaml: 'e: |\n  a &&\n    b )\n',
      at: { line: 2, column: 5 },
      want: [3, 7],
    },
    { name: 'folded block', yaml: 'e: >-\n  a &&\n  b )\n', at: { line: 1, column: 8 }, want: [3, 5] },
    { name: 'multi-line plain', yaml: 'e: a &&\n  b )\n', at: { line: 1, column: 8 }, want: [2, 5] },
    {
      name: 'past the end points after the last character',
      yaml: "e: 'a +'\n",
      at: { line: 1, column: 4 },
      want: [1, 8],
    },
    {
      name: 'multi-line quoted falls back to the scalar start',
      yaml: 'e: "a\n  b )"\n',
      at: { line: 1, column: 5 },
      want: [1, 4],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const doc = loadDocuments(c.yaml, 'f.yaml').documents[0]!;
      const got = locate(doc, ['e'], c.at);
      assert.deepEqual([got.line, got.column], c.want);
    });
  }
});
