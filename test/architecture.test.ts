// The layering rules of docs/design (B3): engine ← io ← faces (cli, webhook, and later controllers,
// playground: every folder under src/ but engine and io) ← the composition root (files directly in
// src/, e.g. src/main.ts, which may load any face). The engine stays pure; io and the faces
// reach the engine only through its public surface, src/engine/index.ts; faces never import each
// other; no two files import each other, directly or round a loop. Test files are left out: they
// sit beside the code they test and may reach into it. Known violations live in ratchet lists
// (architecture-allowlist.txt, architecture-cycles.txt): a new one fails, and so does a listed one
// that has gone, so the lists only shrink.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const ENGINE_INDEX = 'src/engine/index.ts';

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTs(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

interface ImportRef {
  readonly spec: string;
  /** `import type` / `export type`: erased from the emitted JavaScript (verbatimModuleSyntax). */
  readonly typeOnly: boolean;
}

const STATIC_IMPORT = /(?:^|\n)[ \t]*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of source.matchAll(STATIC_IMPORT))
    refs.push({ spec: m[2] ?? '', typeOnly: m[1] !== undefined });
  for (const m of source.matchAll(DYNAMIC_IMPORT)) refs.push({ spec: m[1] ?? '', typeOnly: false });
  return refs;
}

/** Repository-relative path of a relative import's target, with the `.js` specifier mapped to `.ts`. */
function targetOf(file: string, spec: string): string {
  return relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).replace(/\.js$/, '.ts');
}

const SOURCES = listTs(join(ROOT, 'src')).map((f) => relative(ROOT, f));
/** `engine`, `io`, a face's folder, or `root` for a file directly in src/. */
const layerOf = (file: string): string => {
  const parts = file.split('/');
  return parts.length === 2 ? 'root' : (parts[1] ?? '');
};
const isFace = (layer: string): boolean => layer !== 'engine' && layer !== 'io' && layer !== 'root';

/** Every relative import of every source file, resolved. */
const EDGES = SOURCES.flatMap((file) =>
  importsOf(readFileSync(join(ROOT, file), 'utf8'))
    .filter((ref) => ref.spec.startsWith('.'))
    .map((ref) => ({ file, target: targetOf(file, ref.spec), typeOnly: ref.typeOnly })),
);

/** Non-comment, non-blank lines of a ratchet list. */
function readList(name: string): string[] {
  return readFileSync(join(ROOT, 'test', name), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Fails on anything found but not listed, and on anything listed but no longer found. */
function assertRatchet(found: readonly string[], listName: string, rule: string): void {
  const listed = new Set(readList(listName));
  const current = new Set(found);
  const added = [...current].filter((v) => !listed.has(v)).sort();
  const gone = [...listed].filter((v) => !current.has(v)).sort();
  assert.deepEqual(added, [], `new ${rule}; fix it rather than listing it:\n${added.join('\n')}`);
  assert.deepEqual(gone, [], `fixed, so remove it from test/${listName}:\n${gone.join('\n')}`);
}

describe('import parsing', () => {
  test('tells type-only imports from value imports, and finds side-effect and dynamic ones', () => {
    const refs = importsOf(
      "import type { A } from './a.js';\nimport { type B, c } from './b.js';\nimport './c.js';\n" +
        "export { d } from './d.js';\nexport type { E } from './e.js';\nconst f = await import('./f.js');",
    );
    assert.deepEqual(
      refs.map((r) => `${r.spec}${r.typeOnly ? ' (type)' : ''}`),
      ['./a.js (type)', './b.js', './c.js', './d.js', './e.js (type)', './f.js'],
    );
  });
});

const ENGINE_LIBRARIES = new Set([
  'yaml',
  're2js',
  '@marcbachmann/cel-js',
  '@marcbachmann/cel-js/evaluator',
  'fast-json-patch',
  'node:crypto',
  'node:buffer',
  // Synchronous, in-memory decompression only (signed manifests in validate.manifests).
  'node:zlib',
]);
const PROCESS_USE = /(^|[^.\w])process\.(env|argv|exit|stdout|stderr|stdin|cwd|exitCode)/;

describe('engine is pure', () => {
  for (const file of SOURCES.filter((f) => layerOf(f) === 'engine')) {
    test(`${file} imports only the engine and pure libraries`, () => {
      const source = readFileSync(join(ROOT, file), 'utf8');
      for (const { spec } of importsOf(source)) {
        if (spec.startsWith('.')) {
          assert.ok(
            targetOf(file, spec).startsWith('src/engine/'),
            `${spec} leaves the engine; add a port in engine/ports.ts`,
          );
        } else {
          assert.ok(ENGINE_LIBRARIES.has(spec), `${spec} is not allowed in the engine`);
        }
      }
      assert.doesNotMatch(source, PROCESS_USE, 'the engine must not touch process');
    });
  }
});

// Type imports count here: the engine's types are part of the surface index.ts publishes.
test('io and the faces reach the engine only through src/engine/index.ts', () => {
  const found = EDGES.filter(
    (e) => layerOf(e.file) !== 'engine' && e.target.startsWith('src/engine/') && e.target !== ENGINE_INDEX,
  ).map((e) => `${e.file} -> ${e.target}`);
  assertRatchet(
    found,
    'architecture-allowlist.txt',
    'import of an engine internal (export it from src/engine/index.ts)',
  );
});

test('io imports no face', () => {
  const found = EDGES.filter((e) => layerOf(e.file) === 'io' && isFace(layerOf(e.target)));
  assert.deepEqual(
    found.map((e) => `${e.file} -> ${e.target}`),
    [],
    'io sits below the faces; move shared code down into io or the engine',
  );
});

test('nothing imports the composition root', () => {
  const found = EDGES.filter((e) => layerOf(e.target) === 'root' && e.file !== e.target);
  assert.deepEqual(
    found.map((e) => `${e.file} -> ${e.target}`),
    [],
    'src/main.ts wires the faces together; faces and layers below never depend on it',
  );
});

test('the composition root loads faces only on demand', () => {
  for (const file of SOURCES.filter((f) => layerOf(f) === 'root')) {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const staticFaces = [...source.matchAll(STATIC_IMPORT)]
      .map((m) => m[2] ?? '')
      .filter((spec) => spec.startsWith('.') && isFace(layerOf(targetOf(file, spec))));
    assert.deepEqual(staticFaces, [], `${file}: import faces dynamically so each command loads only its own`);
  }
});

test('faces never import each other', () => {
  const found = EDGES.filter((e) => {
    const from = layerOf(e.file);
    const to = layerOf(e.target);
    return isFace(from) && isFace(to) && from !== to;
  });
  assert.deepEqual(
    found.map((e) => `${e.file} -> ${e.target}`),
    [],
    'code two faces need moves down into io or the engine',
  );
});

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || edges.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

// Type-only imports are left out: they are erased from the emitted JavaScript, so they cannot
// cause the load-order problems a runtime cycle does (a binding read before its module has run),
// and a model and the code that builds it naturally name each other's types.
test('no import cycles between source files', () => {
  const graph = new Map<string, string[]>(SOURCES.map((f) => [f, []]));
  for (const e of EDGES) if (!e.typeOnly && graph.has(e.target)) graph.get(e.file)?.push(e.target);
  const found = cycles(graph).map((c) => c.join(' <-> '));
  assertRatchet(found, 'architecture-cycles.txt', 'import cycle');
});

// The playground runs in a browser: what it loads, however indirectly, may use only the Node
// built-ins its bundle replaces (src/playground/shims, mapped by scripts/playground-build.mjs).
// Type-only imports are erased, so they do not count. io's file and network modules stay out.
const BROWSER_SHIMMED = new Set(['node:buffer', 'node:crypto', 'node:zlib']);
const NODE_BUILTIN =
  /^(node:|(fs|path|os|http|https|net|tls|child_process|stream|url|util|worker_threads)(\/|$))/;

test('the playground loads only browser-safe modules', () => {
  const valueEdges = new Map<string, string[]>();
  for (const e of EDGES)
    if (!e.typeOnly) valueEdges.set(e.file, [...(valueEdges.get(e.file) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = SOURCES.filter((f) => layerOf(f) === 'playground');
  assert.ok(stack.length > 0, 'src/playground has sources');
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(valueEdges.get(file) ?? []));
  }
  const found: string[] = [];
  for (const file of seen) {
    if (!SOURCES.includes(file)) continue;
    for (const ref of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
      if (ref.typeOnly || !NODE_BUILTIN.test(ref.spec) || BROWSER_SHIMMED.has(ref.spec)) continue;
      found.push(`${file} imports ${ref.spec}`);
    }
  }
  assert.deepEqual(found.sort(), [], 'split the pure part out (as io/files/*-decode.ts do) or add a shim');
});
