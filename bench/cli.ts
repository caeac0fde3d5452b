// Whole-CLI scenarios (startup, apply to 1k/10k generated Pods, test over suites), timed as child
// processes of the built CLI. Prints wall time and CPU time (user+sys): the machine is shared, so CPU
// time is the steadier figure. Used by `npm run bench` (bench/run.ts) and on its own:
//   node --import tsx bench/cli.ts [--cli 'node dist/cli/main.js'] [--runs N] [--big] [--only substr]
// The default CLI is the committed bundle (bin/palisade.cjs, what `palisade` runs; `npm run bundle` rewrites it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generatePods } from './generate-pods.js';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '../shared/conformance/kyverno-policies');

export interface CliScenario {
  readonly name: string;
  readonly args: readonly string[];
}

function podsFile(n: number): string {
  const dir = join(tmpdir(), 'palisade-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pods-${n}.yaml`);
  if (!existsSync(file)) writeFileSync(file, generatePods(n));
  return file;
}

export function cliScenarios(big: boolean): CliScenario[] {
  const one = join(corpus, 'pod-security/baseline/disallow-privileged-containers');
  const sizes = big ? [1000, 10000] : [1000];
  const out: CliScenario[] = [
    { name: 'version', args: ['version'] },
    { name: 'jp query', args: ['jp', 'query', 'spec.containers[].image', '-i', podsFile(1)] },
    {
      name: 'apply 1 policy × 1 pod',
      args: ['apply', join(one, 'disallow-privileged-containers.yaml'), '-r', podsFile(1)],
    },
  ];
  for (const n of sizes) {
    for (const set of ['pod-security', 'pod-security-vpol', 'psa-cel']) {
      out.push({ name: `apply ${set} × ${n} pods`, args: ['apply', join(corpus, set), '-r', podsFile(n)] });
    }
  }
  for (const suite of ['pod-security', 'best-practices', 'pod-security-vpol', 'other-cel']) {
    out.push({ name: `test ${suite}`, args: ['test', join(corpus, suite)] });
  }
  return out;
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Runs `cli args` once; CPU time comes from bash's `times` so children are included. */
function timeOnce(cli: string, args: readonly string[]): Timing {
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `${cli} ${quoted} >/dev/null 2>&1; times`;
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  // `times` prints shell then children user/sys as `0m1.234s 0m0.056s`.
  const lines = r.stdout.trim().split('\n');
  const secs = (lines[lines.length - 1] ?? '').split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  });
  return { wallMs, cpuMs: ((secs[0] ?? 0) + (secs[1] ?? 0)) * 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The CLI to time: the bundle when it is built, else tsc's output. */
export function defaultCli(): string | undefined {
  if (existsSync(join(root, 'bin/palisade.cjs'))) return 'node bin/palisade.cjs'; // package.json's bin
  if (existsSync(join(root, 'dist/cli/main.js'))) return 'node dist/cli/main.js';
  return undefined;
}

export function runCliBench(opts: { cli: string; runs: number; big: boolean; only?: string }): void {
  console.log(`\nCLI: ${opts.cli}  (median of ${opts.runs}; cpu = user+sys)`);
  for (const sc of cliScenarios(opts.big)) {
    if (opts.only !== undefined && !sc.name.includes(opts.only)) continue;
    const runs = sc.name.includes('10000') ? 1 : opts.runs;
    const t = Array.from({ length: runs }, () => timeOnce(opts.cli, sc.args));
    const wall = median(t.map((x) => x.wallMs));
    const cpu = median(t.map((x) => x.cpuMs));
    console.log(
      `${sc.name.padEnd(48)} wall ${wall.toFixed(0).padStart(7)} ms   cpu ${cpu.toFixed(0).padStart(7)} ms`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = flag('--only');
  runCliBench({
    cli: flag('--cli') ?? defaultCli() ?? 'node dist/cli/main.js',
    runs: Number(flag('--runs') ?? '3'),
    big: argv.includes('--big'),
    ...(only !== undefined ? { only } : {}),
  });
}
