// go-yaml: the denial map as go.yaml.in/yaml/v3 (Kyverno's encoder) writes it. Every expected text
// below was printed by that library (v3.0.4, `yaml.NewEncoder` with `SetIndent(2)`, as
// pkg/webhooks/utils/block.go uses it) for the map on the same line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goYamlKeyCompare, goYamlNestedMap } from './go-yaml.js';

type Nested = Record<string, Record<string, string>>;

const GO_OUTPUT: readonly [Nested, string][] = [
  [
    {
      p: {
        r: 'validation error: label team is required. rule check-team failed at path /metadata/labels/team/',
      },
    },
    "p:\n  r: 'validation error: label team is required. rule check-team failed at path /metadata/labels/team/'\n",
  ],
  [{ p: { r: 'plain message' } }, 'p:\n  r: plain message\n'],
  [{ p: { r: "it's: quoted" } }, "p:\n  r: 'it''s: quoted'\n"],
  [{ p: { r: 'line1\nline2' } }, 'p:\n  r: |-\n    line1\n    line2\n'],
  [{ p: { r: 'line1\nline2\n' } }, 'p:\n  r: |\n    line1\n    line2\n'],
  [{ p: { r: ' lead\nx' } }, 'p:\n  r: |2-\n     lead\n    x\n'],
  [{ p: { r: 'true' } }, 'p:\n  r: "true"\n'],
  [{ p: { r: 'yes' } }, 'p:\n  r: "yes"\n'],
  [{ p: { r: '123' } }, 'p:\n  r: "123"\n'],
  [{ p: { r: '1.5e3' } }, 'p:\n  r: "1.5e3"\n'],
  [{ p: { r: '0x1F' } }, 'p:\n  r: "0x1F"\n'],
  [{ p: { r: '2024-01-02' } }, 'p:\n  r: "2024-01-02"\n'],
  [{ p: { r: '12:30' } }, 'p:\n  r: "12:30"\n'],
  [{ p: { r: '- dash' } }, "p:\n  r: '- dash'\n"],
  [{ p: { r: '-dash' } }, 'p:\n  r: -dash\n'],
  [{ p: { r: 'a # comment' } }, "p:\n  r: 'a # comment'\n"],
  [{ p: { r: 'a#b' } }, 'p:\n  r: a#b\n'],
  [{ p: { r: 'tab\there' } }, 'p:\n  r: "tab\\there"\n'],
  [{ p: { r: 'trailing ' } }, "p:\n  r: 'trailing '\n"],
  [{ p: { r: 'say "hi"' } }, 'p:\n  r: say "hi"\n'],
  [{ p: { r: '{curly}' } }, "p:\n  r: '{curly}'\n"],
  [{ p: { r: 'ünïcödé ok' } }, 'p:\n  r: ünïcödé ok\n'],
  [{ p: { r: 'bell\u0007' } }, 'p:\n  r: "bell\\a"\n'],
  [{ p: { r: '' } }, 'p:\n  r: ""\n'],
  [{ p: { r: '?x' } }, 'p:\n  r: ?x\n'],
  [{ p: { r: '? x' } }, "p:\n  r: '? x'\n"],
  [{ p: { r: 'key: value' } }, "p:\n  r: 'key: value'\n"],
  [{ p: { r: 'url http://x' } }, 'p:\n  r: url http://x\n'],
  [{ p: { r: '@at' } }, "p:\n  r: '@at'\n"],
  [{ p: { '': 'empty key' } }, 'p:\n  "": empty key\n'],
  [
    {
      a10: { x: '1' },
      a9: { y: '2' },
      B: { z: '3' },
      'a-b': { n: 'no' },
      a_b: { k: 'v' },
      'a.b': { k: 'v' },
      a1b: { k: 'v' },
      ab: { k: 'v' },
    },
    'B:\n  z: "3"\na-b:\n  "n": "no"\na.b:\n  k: v\na_b:\n  k: v\na1b:\n  k: v\na9:\n  "y": "2"\na10:\n  x: "1"\nab:\n  k: v\n',
  ],
  [
    { p: { 'rule-10': 'a', 'rule-9': 'b', 'rule-09': 'c', Rule: 'd', rule: 'e' } },
    'p:\n  Rule: d\n  rule: e\n  rule-9: b\n  rule-09: c\n  rule-10: a\n',
  ],
];

const toMap = (n: Nested) => new Map(Object.entries(n).map(([k, v]) => [k, new Map(Object.entries(v))]));

describe('goYamlNestedMap writes what go yaml.v3 writes', () => {
  for (const [input, expected] of GO_OUTPUT)
    test(JSON.stringify(input).slice(0, 70), () => assert.equal(goYamlNestedMap(toMap(input)), expected));
});

describe('goYamlKeyCompare', () => {
  test('numbers in keys compare by value, letters come before other characters', () => {
    assert.deepEqual(['a10', 'a9', 'ab', 'a-b', 'B'].sort(goYamlKeyCompare), ['B', 'a-b', 'a9', 'a10', 'ab']);
  });
});
