// Kyverno types `variables` as an object whose fields are registered as each `spec.variables` entry
// compiles (pkg/cel/compiler/variables.go, CompileVariable), so reading a variable that is not
// declared before the field is a compile error of the policy, in each kind's own compile order:
// ValidatingPolicy, GeneratingPolicy and ImageValidatingPolicy compile matchConditions (and image
// extractors) before the variables, MutatingPolicy and DeletingPolicy after them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Result } from '../../diagnostics/diagnostic.js';
import { compileDeletingPolicy } from '../deleting-policy/deleting-policy.js';
import { compileGeneratingPolicy } from '../generating-policy/generating-policy.js';
import { compileImageValidatingPolicy } from '../image-validating-policy/image-validating-policy.js';
import { compileMutatingPolicy } from '../mutating-policy/mutating-policy.js';
import { compileValidatingPolicy } from '../validating-policy/validating-policy.js';

const pods = {
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
};

type Compile = (spec: Record<string, unknown>) => Result<unknown>;

const doc = (kind: string, spec: Record<string, unknown>) => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind,
  metadata: { name: 'p' },
  spec: { matchConstraints: pods, ...spec },
});

const kinds: Record<string, Compile> = {
  ValidatingPolicy: (spec) => compileValidatingPolicy(doc('ValidatingPolicy', spec) as never, {}),
  MutatingPolicy: (spec) => compileMutatingPolicy(doc('MutatingPolicy', spec) as never, {}),
  GeneratingPolicy: (spec) => compileGeneratingPolicy(doc('GeneratingPolicy', spec) as never, {}),
  DeletingPolicy: (spec) =>
    compileDeletingPolicy(doc('DeletingPolicy', { schedule: '* * * * *', ...spec }) as never, {}),
  ImageValidatingPolicy: (spec) =>
    compileImageValidatingPolicy(
      doc('ImageValidatingPolicy', { matchImageReferences: [{ glob: '*' }], ...spec }) as never,
    ),
};

const vars = (...pairs: [string, string][]) => pairs.map(([name, expression]) => ({ name, expression }));
const validations = (expression: string) => ({ validations: [{ expression }] });
const mutations = (expression: string) => ({
  mutations: [{ patchType: 'JSONPatch', jsonPatch: { expression } }],
});
const generate = (expression: string) => ({ generate: [{ expression }] });

const cases: {
  name: string;
  kind: string;
  spec: Record<string, unknown>;
  /** The undeclared field and its path, or undefined when the policy compiles. */
  error?: { field: string; path: (string | number)[]; line: number; column: number };
}[] = [
  {
    name: 'a declared variable compiles',
    kind: 'ValidatingPolicy',
    spec: { variables: vars(['a', '1']), ...validations('variables.a == 1') },
  },
  {
    name: 'a name spec.variables does not declare',
    kind: 'ValidatingPolicy',
    spec: { variables: vars(['a', '1']), ...validations('variables.a == 1 || variables.nope == 2') },
    error: { field: 'nope', path: ['spec', 'validations', 0, 'expression'], line: 1, column: 30 },
  },
  {
    name: 'no spec.variables at all',
    kind: 'ValidatingPolicy',
    spec: validations('has(variables.x)'),
    error: { field: 'x', path: ['spec', 'validations', 0, 'expression'], line: 1, column: 14 },
  },
  {
    name: 'an optional selection is checked too',
    kind: 'ValidatingPolicy',
    spec: validations('variables.?x.orValue(1) == 1'),
    error: { field: 'x', path: ['spec', 'validations', 0, 'expression'], line: 1, column: 10 },
  },
  {
    name: 'a variable reads one declared after it',
    kind: 'ValidatingPolicy',
    spec: { variables: vars(['a', 'variables.b'], ['b', '1']), ...validations('true') },
    error: { field: 'b', path: ['spec', 'variables', 0, 'expression'], line: 1, column: 10 },
  },
  {
    name: 'a variable reads one declared before it',
    kind: 'ValidatingPolicy',
    spec: { variables: vars(['a', '1'], ['b', 'variables.a + 1']), ...validations('variables.b == 2') },
  },
  {
    name: 'ValidatingPolicy matchConditions come before every variable',
    kind: 'ValidatingPolicy',
    spec: {
      variables: vars(['a', '1']),
      matchConditions: [{ name: 'm', expression: 'variables.a == 1' }],
      ...validations('true'),
    },
    error: { field: 'a', path: ['spec', 'matchConditions', 0, 'expression'], line: 1, column: 10 },
  },
  {
    name: 'a comprehension variable named variables shadows it',
    kind: 'ValidatingPolicy',
    spec: validations('[{"x": 1}].all(variables, variables.x == 1)'),
  },
  {
    name: 'messageExpression',
    kind: 'ValidatingPolicy',
    spec: { validations: [{ expression: 'true', messageExpression: "'m' + variables.m" }] },
    error: { field: 'm', path: ['spec', 'validations', 0, 'messageExpression'], line: 1, column: 16 },
  },
  {
    name: 'MutatingPolicy matchConditions come after the variables',
    kind: 'MutatingPolicy',
    spec: {
      variables: vars(['a', '1']),
      matchConditions: [{ name: 'm', expression: 'variables.a == 1' }],
      ...mutations('[]'),
    },
  },
  {
    name: 'MutatingPolicy mutation',
    kind: 'MutatingPolicy',
    spec: mutations('variables.patches'),
    error: {
      field: 'patches',
      path: ['spec', 'mutations', 0, 'jsonPatch', 'expression'],
      line: 1,
      column: 10,
    },
  },
  {
    name: 'GeneratingPolicy matchConditions come before every variable',
    kind: 'GeneratingPolicy',
    spec: {
      variables: vars(['a', '1']),
      matchConditions: [{ name: 'm', expression: 'variables.a == 1' }],
      ...generate('true'),
    },
    error: { field: 'a', path: ['spec', 'matchConditions', 0, 'expression'], line: 1, column: 10 },
  },
  {
    name: 'GeneratingPolicy generate expression',
    kind: 'GeneratingPolicy',
    spec: { variables: vars(['a', '1']), ...generate('variables.a == 1 && variables.b') },
    error: { field: 'b', path: ['spec', 'generate', 0, 'expression'], line: 1, column: 30 },
  },
  {
    name: 'DeletingPolicy conditions come after the variables',
    kind: 'DeletingPolicy',
    spec: { variables: vars(['a', '1']), conditions: [{ name: 'c', expression: 'variables.a == 1' }] },
  },
  {
    name: 'DeletingPolicy condition',
    kind: 'DeletingPolicy',
    spec: { conditions: [{ name: 'c', expression: 'variables.a == 1' }] },
    error: { field: 'a', path: ['spec', 'conditions', 0, 'expression'], line: 1, column: 10 },
  },
  {
    name: 'ImageValidatingPolicy validation',
    kind: 'ImageValidatingPolicy',
    spec: { variables: vars(['a', '1']), ...validations('variables.a == 1 && variables.z') },
    error: { field: 'z', path: ['spec', 'validations', 0, 'expression'], line: 1, column: 30 },
  },
  {
    name: 'ImageValidatingPolicy image extractors come before every variable',
    kind: 'ImageValidatingPolicy',
    spec: {
      variables: vars(['a', '[]']),
      images: [{ name: 'i', expression: 'variables.a' }],
      ...validations('true'),
    },
    error: { field: 'a', path: ['spec', 'images', 0, 'expression'], line: 1, column: 10 },
  },
];

describe('variables.<name> must be declared before the field that reads it', () => {
  for (const c of cases) {
    test(`${c.kind}: ${c.name}`, () => {
      const r = kinds[c.kind]!(c.spec);
      if (c.error === undefined) {
        assert.equal(r.ok, true, r.ok ? '' : r.issues.map((d) => d.message).join('\n'));
        return;
      }
      assert.equal(r.ok, false);
      if (r.ok) return;
      const d = r.issues.find((i) => i.message.includes(`undefined field '${c.error!.field}'`));
      assert.ok(d, r.issues.map((i) => i.message).join('\n'));
      assert.equal(d.code, 'cel/compile-error');
      assert.deepEqual(d.path, c.error.path);
      assert.deepEqual(d.valuePosition, { line: c.error.line, column: c.error.column });
    });
  }
});
