// The bundle's js-yaml builds `parseEvents`' state from a literal (scripts/js-yaml-parser-state.mjs):
// the patched parser must give the same events, and the same errors, as the installed one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as installed from 'js-yaml';
import { generateWorkloads } from '../../../bench/generate-workloads.js';
import { stableParserState } from '../../../scripts/js-yaml-parser-state.mjs';

const source = readFileSync(fileURLToPath(import.meta.resolve('js-yaml')), 'utf8');
// Without its source map comment: a data: URL has no folder to find the map in.
const module = stableParserState(source).replace(/^\/\/# sourceMappingURL=.*$/m, '');
const patched = (await import(
  `data:text/javascript;base64,${Buffer.from(module).toString('base64')}`
)) as typeof installed;

type Options = Parameters<typeof installed.parseEvents>[1];

/** The events, or the error's name, message and place. */
function outcome(parse: typeof installed.parseEvents, text: string, options: Options | undefined): unknown {
  try {
    // Called without options too, as js-yaml's own loader may call it.
    return { events: parse(text, options as Options) };
  } catch (e) {
    const err = e as Error & { mark?: unknown; reason?: unknown };
    return { error: [err.name, err.message, err.reason, err.mark] };
  }
}

function assertSame(text: string, options?: Options | undefined): void {
  assert.deepEqual(
    outcome(patched.parseEvents, text, options),
    outcome(installed.parseEvents, text, options),
    `${JSON.stringify(text.slice(0, 200))} ${JSON.stringify(options)}`,
  );
}

const OPTIONS: (Options | undefined)[] = [
  undefined,
  {},
  { maxDepth: 3 },
  { filename: 'f.yaml' },
  { filename: 'f.yaml', maxDepth: 1 },
  // An option the parser does not read, and one set to undefined, as a caller may pass them.
  { maxDepth: 2, filename: undefined } as unknown as Options,
  { position: 5, input: 'x' } as unknown as Options,
];

const TRICKY = [
  '',
  '# only a comment\n',
  'a: 1\n---\nb: [1, {c: d}]\n---\n---\n# x\n---\ne: |\n  text\n',
  'a: 1\n---\nb: [unclosed\n---\nc: 3\n',
  'a: &x {b: 1}\nc: *x\n<<: *x\n',
  '%YAML 1.2\n---\na: !!str 1\n...\n%TAG ! tag:x,2000:\n--- !foo\nb: 2\n',
  'a: 1\na: 2\n',
  'x: [[[[[[deep]]]]]]\n',
  'a:\n  b:\n    c:\n      d: e\n',
  '\uFEFFa: 1\r\nb: "two\\u00e9"\r\n',
  'a: "\0"\n',
  "? complex\n: value\n'q': 'it''s'\n",
  '- a\n- b:\n  - c\n-\n',
  'a:\tb\n\tc: d\n',
  '--- >\n folded\n text\n\n--- |-\n kept\n',
  'a: b: c\n',
  '*unknown\n',
];

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

describe('js-yaml parser with a literal state', () => {
  test('the patch refuses a source it does not know', () => {
    assert.throws(
      () => stableParserState(source.replace('...options,\n\t\tinput:', '...opts,\n\t\tinput:')),
      /not the one/,
    );
    assert.throws(() => stableParserState(source.replace('maxDepth: 100', 'maxDepth: 64')), /not the one/);
    assert.notEqual(stableParserState(source), source);
  });

  for (const options of OPTIONS) {
    test(`tricky inputs, options ${JSON.stringify(options)}`, () => {
      for (const text of TRICKY) assertSame(text, options);
    });
  }

  test('generated workloads, whole and one document per call', () => {
    const text = generateWorkloads(40, 0);
    assertSame(text);
    for (const doc of text.split(/^(?=---$)/m)) assertSame(doc, { maxDepth: 101 });
  });

  test('every YAML file of the conformance corpora', () => {
    const root = resolve(import.meta.dirname, '../../../../shared/conformance');
    const files = yamlFiles(root);
    assert.ok(files.length > 1000, `${files.length} files under ${root}`);
    for (const f of files) assertSame(readFileSync(f, 'utf8'), { maxDepth: 101 });
  });
});
