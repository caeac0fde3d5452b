// The layering rule of docs/design: engine ← io ← cli. The engine stays pure: no file, network or
// process access, and it imports nothing outside itself but an allow-list of pure libraries.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTs(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

function importSpecifiers(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g))
    specs.push(m[1] ?? '');
  for (const m of src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1] ?? '');
  return specs;
}

const ENGINE_LIBRARIES = new Set([
  'yaml',
  're2js',
  '@marcbachmann/cel-js',
  '@marcbachmann/cel-js/evaluator',
  'fast-json-patch',
  'node:crypto',
  'node:buffer',
]);
const PROCESS_USE = /(^|[^.\w])process\.(env|argv|exit|stdout|stderr|stdin|cwd|exitCode)/;

describe('engine is pure', () => {
  for (const file of listTs(join(ROOT, 'src/engine'))) {
    const rel = relative(ROOT, file);
    test(`${rel} imports only the engine and pure libraries`, () => {
      for (const spec of importSpecifiers(file)) {
        if (spec.startsWith('.')) {
          const target = relative(ROOT, resolve(dirname(file), spec));
          assert.ok(
            target.startsWith('src/engine/'),
            `${spec} leaves the engine; add a port in engine/ports.ts`,
          );
        } else {
          assert.ok(ENGINE_LIBRARIES.has(spec), `${spec} is not allowed in the engine`);
        }
      }
      assert.doesNotMatch(readFileSync(file, 'utf8'), PROCESS_USE, 'the engine must not touch process');
    });
  }
});

describe('io does not import the cli', () => {
  for (const file of listTs(join(ROOT, 'src/io'))) {
    const rel = relative(ROOT, file);
    test(`${rel} stays below the cli`, () => {
      for (const spec of importSpecifiers(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(dirname(file), spec));
        assert.ok(!target.startsWith('src/cli/'), `${spec}: io must not import the cli`);
      }
    });
  }
});

// Request building is shared by every face (CLI, a future playground): it sees the engine's public surface only.
describe('io/requests uses the engine through its index', () => {
  for (const file of listTs(join(ROOT, 'src/io/requests'))) {
    const rel = relative(ROOT, file);
    test(`${rel} imports engine/index.ts only`, () => {
      for (const spec of importSpecifiers(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(dirname(file), spec));
        if (target.startsWith('src/engine/')) assert.equal(target, 'src/engine/index.js', spec);
      }
    });
  }
});
