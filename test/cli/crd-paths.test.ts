// `palisade apply --crd-paths` (Kyverno's flag): CRD files type MutatingPolicy ApplyConfiguration
// patches of custom resources; without them such a kind has no type converter.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crdPathList, parseApplyArgs } from '../../src/cli/commands/apply-args.js';
import { crdPathProblem } from '../../src/io/type-schemas.js';
import { palisade } from '../support/run-cli.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                color: {type: string}
`;

const POLICY = `apiVersion: policies.kyverno.io/v1beta1
kind: MutatingPolicy
metadata:
  name: annotate-widgets
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["example.com"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["widgets"]
  mutations:
    - patchType: ApplyConfiguration
      applyConfiguration:
        expression: 'Object{metadata: Object.metadata{annotations: {"testing": "true"}}}'
`;

const widget = (name: string, spec: string) =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\n  namespace: ns\nspec:\n${spec}`;

function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-crd-paths-'));
  mkdirSync(join(dir, 'crds'));
  writeFileSync(join(dir, 'crds', 'widget-crd.yaml'), CRD);
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(
    join(dir, 'widgets.yaml'),
    `${widget('good', '  color: blue\n')}---\n${widget('bad', '  color: blue\n  size: 3\n')}`,
  );
  return dir;
}

describe('palisade apply --crd-paths', () => {
  const dir = fixture();
  const crd = join(dir, 'crds', 'widget-crd.yaml');
  const table: { name: string; flags: string[]; good: string; bad: string }[] = [
    {
      name: 'without CRDs a custom kind has no type converter',
      flags: [],
      good: 'type converter must not be nil',
      bad: 'type converter must not be nil',
    },
    {
      name: 'a CRD file types the patch and the object',
      flags: ['--crd-paths', crd],
      good: 'success',
      bad: 'field not declared in schema',
    },
    {
      name: 'comma-separated, blanks dropped',
      flags: [`--crd-paths=,${crd}`],
      good: 'success',
      bad: 'field not declared in schema',
    },
    {
      name: "Kyverno's deprecated --crd-path",
      flags: ['--crd-path', crd],
      good: 'success',
      bad: 'field not declared in schema',
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      const r = palisade([
        'apply',
        join(dir, 'policy.yaml'),
        '--resource',
        join(dir, 'widgets.yaml'),
        '-o',
        'json',
        ...t.flags,
      ]);
      const results = (JSON.parse(r.stdout) as { results: { resource: { name: string }; message: string }[] })
        .results;
      const message = (name: string) => results.find((x) => x.resource.name === name)?.message ?? '';
      assert.ok(message('good').includes(t.good), message('good'));
      assert.ok(message('bad').includes(t.bad), message('bad'));
    });
  }

  test('a folder or a missing file stops the run, as in Kyverno', () => {
    for (const [path, why] of [
      [join(dir, 'crds'), 'CRD file must have .yaml or .yml extension'],
      [join(dir, 'nope.yaml'), 'CRD file does not exist at path'],
    ] as const) {
      const r = palisade([
        'apply',
        join(dir, 'policy.yaml'),
        '--resource',
        join(dir, 'widgets.yaml'),
        '--crd-paths',
        path,
      ]);
      assert.notEqual(r.code, 0);
      assert.ok((r.stdout + r.stderr).includes(why), r.stdout + r.stderr);
    }
  });
});

describe('--crd-paths arguments', () => {
  const table: { values: string[]; want: string[] }[] = [
    { values: [], want: [] },
    { values: ['a.yaml'], want: ['a.yaml'] },
    { values: ['a.yaml,b.yml', ' ', ''], want: ['a.yaml', 'b.yml'] },
  ];
  for (const t of table) {
    test(JSON.stringify(t.values), () => assert.deepEqual(crdPathList(t.values), t.want));
  }
  test('both spellings are collected', () => {
    const r = parseApplyArgs(['p.yaml', '-r', 'r.yaml', '--crd-paths', 'a.yaml', '--crd-path', 'b.yaml']);
    assert.ok(r.ok && r.help !== true);
    assert.deepEqual(r.args.crdPaths, ['a.yaml', 'b.yaml']);
  });
  test('a path is checked as Kyverno does (extension, then existence), relative to the working folder', () => {
    assert.match(crdPathProblem('crds/')?.message ?? '', /must have \.yaml or \.yml extension: \/.*crds$/);
    assert.equal(crdPathProblem('missing.yml')?.code, 'input/not-found');
    assert.equal(crdPathProblem('package.json')?.code, 'input/read-error');
    assert.equal(crdPathProblem('pnpm-lock.yaml.missing.yaml')?.code, 'input/not-found');
  });
});
