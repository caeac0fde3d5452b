// Runs every test/diagnostics/<area>/*.yaml case through its loader and compares {code, path} lists.
// See test/diagnostics/README.md for the case format.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Diagnostic, Result } from '../../src/engine/diagnostics/diagnostic.js';
import { loadKyvernoPolicy, loadPolicyException } from '../../src/engine/kinds/cluster-policy/load.js';
import { validateTestFile } from '../../src/io/schemas/test-file.js';
import { validateUserInfoFile } from '../../src/io/schemas/user-info-file.js';
import { validateValuesFile } from '../../src/io/schemas/values-file.js';

const here = dirname(fileURLToPath(import.meta.url));

const LOADERS: Record<string, (doc: unknown) => Result<unknown>> = {
  policy: loadKyvernoPolicy,
  exception: loadPolicyException,
  'test-file': validateTestFile,
  'values-file': validateValuesFile,
  'user-info-file': validateUserInfoFile,
};

interface Expected {
  code: string;
  path: (string | number)[];
  hint?: string;
  severity?: 'error' | 'warning';
}
interface Case {
  name: string;
  loader: string;
  exhaustive?: boolean;
  input: string;
  expect: Expected[];
}

function listCases(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listCases(full));
    else if (name.endsWith('.yaml')) out.push(full);
  }
  return out;
}

const key = (d: { code: string; path: readonly (string | number)[]; severity?: string }) =>
  `${d.severity ?? 'error'} ${d.code} ${JSON.stringify(d.path)}`;

const files = listCases(here);

describe('diagnostics corpus', () => {
  test('has at least 15 policy cases', () => {
    assert.ok(files.filter((f) => f.includes(`${join('diagnostics', 'policy')}`)).length >= 15);
  });
  for (const file of files) {
    const c = parse(readFileSync(file, 'utf8')) as Case;
    test(`${relative(here, file)}: ${c.name}`, () => {
      const load = LOADERS[c.loader];
      assert.ok(load, `unknown loader ${c.loader}`);
      const result = load(parse(c.input));
      const got: readonly Diagnostic[] = result.ok ? result.warnings : result.issues;
      const expectErrors = c.expect.some((e) => (e.severity ?? 'error') === 'error');
      assert.equal(result.ok, !expectErrors, `ok should be ${!expectErrors}; got ${got.map(key).join('\n')}`);
      const gotKeys = got.map(key).sort();
      const wantKeys = c.expect.map(key).sort();
      if (c.exhaustive === true) assert.deepEqual(gotKeys, wantKeys);
      else
        for (const w of wantKeys) assert.ok(gotKeys.includes(w), `missing ${w}; got ${gotKeys.join('\n')}`);
      for (const e of c.expect.filter((x) => x.hint !== undefined)) {
        const d = got.find((g) => key(g) === key(e));
        assert.equal(d?.hint, e.hint, `hint of ${key(e)}`);
      }
    });
  }
});
