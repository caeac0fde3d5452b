import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { jsonPayloadPaths, loadJsonPayloads } from './json-payloads.js';

describe('jsonPayloadPaths', () => {
  test('jsonPayloads then the deprecated jsonPayload, each path once', () => {
    const cases: [object, string[]][] = [
      [{}, []],
      [{ jsonPayloads: ['a.json', 'b.yaml'] }, ['a.json', 'b.yaml']],
      [{ jsonPayload: 'c.json' }, ['c.json']],
      [{ jsonPayloads: ['a.json'], jsonPayload: 'a.json' }, ['a.json']],
      [{ jsonPayloads: ['', 'a.json'], jsonPayload: '' }, ['a.json']],
    ];
    for (const [spec, want] of cases) assert.deepEqual(jsonPayloadPaths(spec), want);
  });
});

describe('loadJsonPayloads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-payloads-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return { key: name, file: join(dir, name) };
  };

  test('JSON and YAML documents keep the path as written as their key', () => {
    const r = loadJsonPayloads([file('a.json', '{"x": 1}'), file('b.yaml', 'items: [1, 2]\n')]);
    assert.deepEqual(r.issues, []);
    assert.deepEqual(
      r.payloads.map((p) => [p.key, p.value]),
      [
        ['a.json', { x: 1 }],
        ['b.yaml', { items: [1, 2] }],
      ],
    );
  });

  test('lists, scalars, several documents and empty files are diagnostics', () => {
    const bad = [
      file('list.json', '[1]'),
      file('scalar.yaml', '42\n'),
      file('multi.yaml', 'a: 1\n---\nb: 2\n'),
      file('empty.yaml', '\n'),
      { key: 'missing.json', file: join(dir, 'missing.json') },
    ];
    const r = loadJsonPayloads(bad);
    assert.deepEqual(r.payloads, []);
    assert.equal(r.issues.length, bad.length);
    assert.match(r.issues[0]?.message ?? '', /list\.json must be a JSON object/);
    assert.match(r.issues[3]?.message ?? '', /empty\.yaml is empty/);
  });
});
