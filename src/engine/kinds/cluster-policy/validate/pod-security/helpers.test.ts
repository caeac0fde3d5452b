import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visitContainers } from './helpers.js';
import type { JsonMap } from './types.js';

test('visitContainers: init, regular, then ephemeral containers, each with its path, past the kept paths too', () => {
  const named = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}` }));
  const table: { spec: JsonMap; want: [string, string][] }[] = [
    { spec: {}, want: [] },
    {
      spec: { ephemeralContainers: named('e', 1), containers: [null, 'x'], initContainers: named('i', 1) },
      want: [
        ['i0', 'spec.initContainers[0]'],
        ['', 'spec.containers[0]'],
        ['', 'spec.containers[1]'],
        ['e0', 'spec.ephemeralContainers[0]'],
      ],
    },
    {
      spec: { containers: named('c', 40) },
      want: Array.from({ length: 40 }, (_, i) => [`c${i}`, `spec.containers[${i}]`] as [string, string]),
    },
  ];
  for (const { spec, want } of table) {
    const seen: [string, string][] = [];
    visitContainers(spec, (c, path) => {
      seen.push([typeof c.name === 'string' ? c.name : '', path]);
    });
    assert.deepEqual(seen, want);
  }
});
