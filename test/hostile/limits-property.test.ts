// Property: whatever self-referencing or doubling templates a policy and its resource hold, `palisade
// apply` answers within 5 s and 256 MB, with exit 0 or 1, and a rule stopped by a limit names it
// (docs/limits.md). Generated policies chain context variables through `{{ }}` splices, join(),
// replace_all() and to_string(), and the resource carries a template that names itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import {
  BOUND_MS,
  boundsExceeded,
  HEAP_MB,
  removeBundle,
  runBounded,
  usageLine,
} from '../support/bounded-cli.js';

const SELF = '{{request.object.metadata.annotations.x}}';

/** How variable `i` is built from two earlier ones (`a`, `b`). */
type Step =
  | { readonly op: 'splice'; readonly a: number; readonly b: number }
  | { readonly op: 'join'; readonly a: number; readonly b: number }
  | { readonly op: 'replace'; readonly a: number; readonly b: number }
  | { readonly op: 'to_string'; readonly a: number; readonly b: number }
  | { readonly op: 'self' };

interface Generated {
  readonly steps: readonly Step[];
  /** Where the last variable is used. */
  readonly use: 'message' | 'pattern' | 'deny' | 'foreach-message';
  /** How many times the resource's annotation names itself. */
  readonly selfCopies: number;
  readonly seed: string;
}

const step = (i: number): fc.Arbitrary<Step> =>
  fc.oneof(
    fc.record({
      op: fc.constantFrom('splice', 'join', 'replace', 'to_string') as fc.Arbitrary<
        'splice' | 'join' | 'replace' | 'to_string'
      >,
      a: fc.nat(i),
      b: fc.nat(i),
    }),
    fc.constant({ op: 'self' } as const),
  );

const generated: fc.Arbitrary<Generated> = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    steps: fc.tuple(...Array.from({ length: n }, (_, i) => step(i))),
    use: fc.constantFrom('message', 'pattern', 'deny', 'foreach-message') as fc.Arbitrary<Generated['use']>,
    selfCopies: fc.integer({ min: 1, max: 3 }),
    seed: fc.string({ unit: fc.constantFrom('x', 'y', '-', '{', '}'), minLength: 1, maxLength: 64 }),
  }),
);

function templateOf(s: Step): string {
  const [a, b] = s.op === 'self' ? [0, 0] : [`v${s.a}`, `v${s.b}`];
  switch (s.op) {
    case 'splice':
      return `{{${a}}}{{${b}}}`;
    case 'join':
      return `{{ join('', [${a}, ${b}]) }}`;
    case 'replace':
      return `{{ replace_all(${a}, 'x', ${b}) }}`;
    case 'to_string':
      return `{{ to_string([${a}, ${b}]) }}`;
    case 'self':
      return `s ${SELF}`;
  }
}

function policyYaml(g: Generated): string {
  const last = `v${g.steps.length}`;
  const context = [
    `    - name: v0\n      variable:\n        value: ${JSON.stringify(g.seed)}`,
    ...g.steps.map(
      (s, i) => `    - name: v${i + 1}\n      variable:\n        value: ${JSON.stringify(templateOf(s))}`,
    ),
  ].join('\n');
  const use = {
    message: `    validate:\n      message: "m {{${last}}}"\n      pattern:\n        metadata:\n          name: not-this\n`,
    pattern: `    validate:\n      pattern:\n        metadata:\n          name: "n {{${last}}}"\n`,
    deny: `    validate:\n      deny:\n        conditions:\n          any:\n          - key: "k {{${last}}}"\n            operator: Equals\n            value: k\n`,
    'foreach-message': `    validate:\n      foreach:\n      - list: request.object.spec.containers\n        deny:\n          conditions:\n            any:\n            - key: "{{ element.name }} {{${last}}}"\n              operator: NotEquals\n              value: x\n`,
  }[g.use];
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: generated
spec:
  validationFailureAction: Enforce
  rules:
  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
    context:
${context}
${use}`;
}

function podYaml(g: Generated): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    x: ${JSON.stringify(`a${SELF.repeat(g.selfCopies)}`)}
spec:
  containers:
  - {name: c0, image: nginx}
  - {name: c1, image: nginx}
`;
}

const roots: string[] = [];
after(async () => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  await removeBundle();
});

test(`generated self-referencing and doubling templates stay under ${HEAP_MB} MB and ${BOUND_MS / 1000} s`, async () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-limits-property-'));
  roots.push(root);
  await fc.assert(
    fc.asyncProperty(generated, async (g) => {
      writeFileSync(join(root, 'p.yaml'), policyYaml(g));
      writeFileSync(join(root, 'pod.yaml'), podYaml(g));
      const r = await runBounded(['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json'], root);
      const show = `\n--- ${usageLine(r)}\n--- stderr:\n${r.stderr.slice(0, 1000)}\n--- stdout:\n${r.stdout.slice(0, 1000)}`;
      assert.deepEqual(boundsExceeded(r), [], `within ${BOUND_MS} ms of CPU time and ${HEAP_MB} MB${show}`);
      assert.ok(r.code === 0 || r.code === 1, `exit 0 or 1${show}`);
      assert.doesNotMatch(r.stderr, /internal error|heap out of memory/i, show);
      // A seed such as `{{-}}` is not valid JMESPath: the policy is refused at load, with a diagnostic.
      if (r.stdout.trim() === '') {
        assert.equal(r.code, 1, show);
        assert.match(r.stderr, /p\.yaml:\d+:\d+: jmespath\/[\w-]+: /, show);
        return;
      }
      const report = JSON.parse(r.stdout) as { results: { result: string; message: string }[] };
      assert.equal(report.results.length, 1, show);
      for (const row of report.results) {
        if (/evaluation stopped/.test(row.message))
          assert.match(
            row.message,
            /^evaluation stopped: limit (max\w+|\w+TimeoutMs) \(\d+ \w+\) exceeded: /,
            show,
          );
        assert.ok(row.message.length <= 64 * 1024 + 1024, `messages stay within maxMessageSize${show}`);
      }
    }),
    // A fixed seed keeps CI deterministic; change it locally to explore other cases.
    { numRuns: 30, seed: 20261206 },
  );
});

// The same property for CEL (maxCelCost): a ValidatingPolicy binds string after string, each built
// from two earlier ones by concatenation, join(), format(), replace() or a map comprehension whose
// length comes from the data. Whatever the chain, `apply` ends within the bounds, and a validation
// that does not pass is an error naming a limit.
type CelStep = {
  readonly op: 'concat' | 'join' | 'format' | 'replace' | 'map';
  readonly a: number;
  readonly b: number;
};

const celStep = (i: number): fc.Arbitrary<CelStep> =>
  fc.record({
    op: fc.constantFrom('concat', 'join', 'format', 'replace', 'map') as fc.Arbitrary<CelStep['op']>,
    a: fc.nat(i),
    b: fc.nat(i),
  });

const celChains = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    steps: fc.tuple(...Array.from({ length: n }, (_, i) => celStep(i))),
    seed: fc.string({ unit: fc.constantFrom('x', 'y'), minLength: 1, maxLength: 32 }),
  }),
);

function celOf(s: CelStep): string {
  const [a, b] = [`s${s.a}`, `s${s.b}`];
  switch (s.op) {
    case 'concat':
      return `${a} + ${b}`;
    case 'join':
      return `[${a}, ${b}].join("")`;
    case 'format':
      return `"%s%s".format([${a}, ${b}])`;
    case 'replace':
      return `${a}.replace("x", ${b})`;
    case 'map':
      return `lists.range(size(${a}) % 1000 + 1).map(i, ${b}).join("")`;
  }
}

function celPolicyYaml(steps: readonly CelStep[], seed: string): string {
  let body = `size(s${steps.length}) >= 0`;
  for (let i = steps.length; i >= 1; i--)
    body = `cel.bind(s${i}, ${celOf(steps[i - 1] as CelStep)}, ${body})`;
  const expression = `cel.bind(s0, "${seed}", ${body})`;
  return `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: generated
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [pods]
  validations:
  - expression: ${JSON.stringify(expression)}
    message: m
`;
}

test(`generated doubling CEL chains stay under ${HEAP_MB} MB and ${BOUND_MS / 1000} s`, async () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-cel-property-'));
  roots.push(root);
  writeFileSync(join(root, 'pod.yaml'), podYaml({ steps: [], use: 'message', selfCopies: 1, seed: 'x' }));
  await fc.assert(
    fc.asyncProperty(celChains, async ({ steps, seed }) => {
      writeFileSync(join(root, 'p.yaml'), celPolicyYaml(steps, seed));
      const r = await runBounded(['apply', 'p.yaml', '-r', 'pod.yaml', '-o', 'json'], root);
      const show = `\n--- ${usageLine(r)}\n--- stderr:\n${r.stderr.slice(0, 1000)}\n--- stdout:\n${r.stdout.slice(0, 1000)}`;
      assert.deepEqual(boundsExceeded(r), [], `within ${BOUND_MS} ms of CPU time and ${HEAP_MB} MB${show}`);
      assert.ok(r.code === 0 || r.code === 1, `exit 0 or 1${show}`);
      assert.doesNotMatch(r.stderr, /internal error|heap out of memory/i, show);
      const report = JSON.parse(r.stdout) as { results: { result: string; message: string }[] };
      assert.equal(report.results.length, 1, show);
      for (const row of report.results) {
        if (row.result === 'pass') continue;
        assert.equal(row.result, 'error', show);
        assert.match(
          row.message,
          /limit (maxCelCost|maxRequestCelCost|requestTimeoutMs) \(\d+ \w+\) exceeded: /,
          show,
        );
      }
    }),
    { numRuns: 20, seed: 20261206 },
  );
});
