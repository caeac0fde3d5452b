// Policies with wrong types or values where the loader used to let them through to code that read
// them as typed (found by fuzzing corpus policies): each is an input error naming the file, line and
// field path (exit 2), or evaluates, never a thrown TypeError (exit 3) or "[object Object]".
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyCommand } from '../../src/cli/commands/apply.js';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n';

const celRule = (expression: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: cel
spec:
  validationFailureAction: Enforce
  rules:
    - name: r
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        cel:
${expression}`;

const TRACE =
  /TypeError|RangeError|is not a function|Cannot read properties|\[object Object\]|internal error|\n\s+at /;

interface Case {
  readonly name: string;
  readonly policy: string;
  readonly code: number;
  /** Must match stdout + stderr. */
  readonly out: RegExp;
}

const CASES: readonly Case[] = [
  {
    name: 'validate.cel message is a list',
    policy: celRule(
      '          expressions:\n            - expression: "false"\n              message: [a, b]\n',
    ),
    code: 2,
    out: /p\.yaml:17:15: policy\/wrong-type: expected a string, got a list \(at spec\.rules\[0\]\.validate\.cel\.expressions\[0\]\.message\)/,
  },
  {
    name: 'validate.cel expression is a number',
    policy: celRule('          expressions:\n            - expression: 5\n'),
    code: 2,
    out: /p\.yaml:16:15: policy\/wrong-type: expected a string, got a number \(at spec\.rules\[0\]\.validate\.cel\.expressions\[0\]\.expression\)/,
  },
  {
    name: 'validate.cel variables item is a string',
    policy: celRule('          variables: [x]\n          expressions:\n            - expression: "true"\n'),
    code: 2,
    out: /\(at spec\.rules\[0\]\.validate\.cel\.variables\[0\]\)/,
  },
  {
    name: 'apiVersion is a map',
    policy: 'apiVersion: {a: 1}\nkind: ClusterPolicy\nmetadata:\n  name: x\n',
    code: 2,
    out: /p\.yaml:1:1: policy\/unsupported-kind: apiVersion must be a string, got an object \(at apiVersion\)/,
  },
  {
    name: 'kind is a list',
    policy: 'apiVersion: kyverno.io/v1\nkind: [ClusterPolicy]\nmetadata:\n  name: x\n',
    code: 2,
    out: /p\.yaml:2:1: policy\/unsupported-kind: kind must be a string, got a list \(at kind\)/,
  },
  {
    name: 'metadata.annotations is null',
    policy: celRule(
      '          expressions:\n            - expression: "false"\n              message: nope\n',
    ).replace('  name: cel\n', '  name: cel\n  annotations:\n'),
    code: 1,
    out: /nope/,
  },
];

describe('hostile policies through apply', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-hostile-policies-'));
  writeFileSync(join(dir, 'pod.yaml'), POD);
  for (const c of CASES)
    test(c.name, async () => {
      const file = join(dir, `${c.name.replaceAll(/\W+/g, '-')}`);
      writeFileSync(`${file}-p.yaml`, c.policy);
      const r = await applyCommand([`${file}-p.yaml`, '-r', join(dir, 'pod.yaml')], { stdin: () => '' });
      const text = r.stdout + r.stderr;
      assert.equal(r.exitCode, c.code, text);
      assert.match(text, c.out);
      assert.doesNotMatch(text, TRACE);
    });
});
