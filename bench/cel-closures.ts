// CPU per CEL evaluation of the 12 PSS ValidatingPolicies' expressions, compiled to closures
// (src/engine/cel/closures.ts) and interpreted by cel-js, on generated Pods: the expressions alone,
// without the policy engine around them (variables are given as a plain map, as computed once).
//   node --import tsx bench/cel-closures.ts [--n 500] [--rounds 15]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAll } from 'js-yaml';
import { useCompiledClosures } from '../src/engine/cel/closures.js';
import { type CelProgram, compileCel } from '../src/engine/cel/compile.js';
import { type CelActivation, toCelActivation } from '../src/engine/cel/values.js';
import { generateWorkloads } from './generate-workloads.js';

const FOLDER = resolve(import.meta.dirname, '../../shared/conformance/kyverno-policies/pod-security-vpol');
const VARS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'];

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

interface Policy {
  readonly variables: readonly { name: string; expression: string }[];
  readonly validations: readonly string[];
}

function policies(dir: string, out: Policy[] = []): Policy[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!name.startsWith('.')) policies(full, out);
    } else if (name.endsWith('.yaml')) {
      for (const doc of loadAll(readFileSync(full, 'utf8')) as { kind?: string; spec?: Record<string, unknown> }[]) {
        if (doc?.kind !== 'ValidatingPolicy' || doc.spec === undefined) continue;
        const spec = doc.spec as { variables?: Policy['variables']; validations?: { expression: string }[] };
        out.push({ variables: spec.variables ?? [], validations: (spec.validations ?? []).map((v) => v.expression) });
      }
    }
  }
  return out;
}

const n = Number(flag('--n', '500'));
const rounds = Number(flag('--rounds', '15'));
// The pod specs of the generated workloads (Pods, and the templates of controllers), as Pods.
const pods = (loadAll(generateWorkloads(n)) as Record<string, unknown>[])
  .map((w) => {
    const spec = (w.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec ?? w.spec;
    return { apiVersion: 'v1', kind: 'Pod', metadata: w.metadata, spec };
  })
  .filter((p) => Array.isArray((p.spec as { containers?: unknown } | undefined)?.containers));
const set = policies(FOLDER);

function compiled(closures: boolean) {
  useCompiledClosures(closures);
  const out = set.map((p) => ({
    variables: p.variables.map((v) => ({ name: v.name, program: compileCel(v.expression, { variables: VARS }) })),
    validations: p.validations.map((e) => compileCel(e, { variables: VARS })),
  }));
  useCompiledClosures(true);
  return out;
}

/** The activations, with each policy's variables computed once (outside the measured loop). */
function activations(programs: ReturnType<typeof compiled>): CelActivation[][] {
  return pods.map((object) =>
    programs.map((p) => {
      const variables: Record<string, unknown> = {};
      const activation = (): CelActivation => ({
        celActivation: true,
        values: toCelActivation({ object, oldObject: null, request: {}, namespaceObject: null, variables, exceptions: {} })
          .values,
      });
      // In declaration order: a variable may read the ones before it.
      for (const v of p.variables) variables[v.name] = v.program.evaluateRaw(activation(), { ports: {} });
      return activation();
    }),
  );
}

function measure(programs: ReturnType<typeof compiled>, acts: CelActivation[][]): { us: number; evaluations: number; passed: number } {
  let evaluations = 0;
  let passed = 0;
  const cpu = process.cpuUsage();
  for (const perPolicy of acts) {
    for (let i = 0; i < programs.length; i++) {
      const activation = perPolicy[i] as CelActivation;
      for (const program of (programs[i] as { validations: CelProgram[] }).validations) {
        evaluations++;
        try {
          if (program.evaluateRaw(activation, { ports: {} }) === true) passed++;
        } catch {
          // counted as not passed
        }
      }
    }
  }
  const used = process.cpuUsage(cpu);
  return { us: used.user + used.system, evaluations, passed };
}

const closures = compiled(true);
const interpreted = compiled(false);
const acts = activations(closures);
const variants = [
  { name: 'closures', programs: closures, times: [] as number[], passed: 0, evaluations: 0 },
  { name: 'interpreter', programs: interpreted, times: [] as number[], passed: 0, evaluations: 0 },
];
for (const v of variants) measure(v.programs, acts); // warm-up: JIT
// Alternated, so that a change of the machine's load affects both alike.
for (let r = 0; r < rounds; r++) {
  for (const v of variants) {
    const m = measure(v.programs, acts);
    v.times.push(m.us / m.evaluations);
    v.passed = m.passed;
    v.evaluations = m.evaluations;
  }
}
const report = variants.map((v) => {
  const sorted = [...v.times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `${v.name}: ${median.toFixed(2)} µs CPU per validation (median of ${rounds}), ${v.passed}/${v.evaluations} true`;
});
console.log(`${set.length} PSS ValidatingPolicies, ${pods.length} Pods\n${report.join('\n')}`);
