// `npm run bench:cli`: the CLI against the physical limit (issue #17). Times, in one run, two floors
// (bench/floor.mjs: start Node, read the files, parse them: A with js-yaml and plain values, B with the
// `yaml` package and positions), `palisade apply` of the pod-security ClusterPolicies and
// ValidatingPolicies to N generated workloads (bench/generate-workloads.ts), and `palisade version`
// against `node -e 0`; prints the ratios and peak RSS (GNU time). The machine is shared: CPU time
// (user+sys) is the steadier figure, wall time is printed beside it.
//   node --import tsx bench/cli-speed.ts [--cli 'node dist/cli/main.js'] [--n 10000] [--runs N] [--big]
// --big adds the memory check at 10 × N (in files of N workloads: one file may hold at most 50 MiB).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCli } from './cli.js';
import { generateWorkloads } from './generate-workloads.js';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '../shared/conformance/kyverno-policies');

/** A folder of `files` files of `n` workloads each (generated once, then reused). */
function workloads(n: number, files = 1): string {
  const dir = join(tmpdir(), 'palisade-bench', `workloads-${n}x${files}`);
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < files; f++) {
    const file = join(dir, `workloads-${f}.yaml`);
    if (!existsSync(file)) writeFileSync(file, generateWorkloads(n, f * n));
  }
  return dir;
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMb: number | undefined;
}

const hasGnuTime = existsSync('/usr/bin/time');

/** Runs `command` once under bash; CPU time from `times` (children included), peak RSS from GNU time. */
function timeOnce(command: string): Timing {
  const rssFile = join(tmpdir(), 'palisade-bench', 'rss');
  const measured = hasGnuTime ? `/usr/bin/time -f 'rss=%M' -o ${rssFile} ${command}` : command;
  const script = `${measured} >/dev/null 2>&1; times`;
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const lines = r.stdout.trim().split('\n');
  const secs = (lines[lines.length - 1] ?? '').split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  });
  const rss = hasGnuTime ? /rss=(\d+)/.exec(readFileSync(rssFile, 'utf8')) : null;
  return {
    wallMs,
    cpuMs: ((secs[0] ?? 0) + (secs[1] ?? 0)) * 1000,
    rssMb: rss ? Number(rss[1]) / 1024 : undefined,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function measure(command: string, runs: number): Timing {
  const t = Array.from({ length: runs }, () => timeOnce(command));
  const rss = t.map((x) => x.rssMb).filter((x): x is number => x !== undefined);
  return {
    wallMs: median(t.map((x) => x.wallMs)),
    cpuMs: median(t.map((x) => x.cpuMs)),
    rssMb: rss.length > 0 ? Math.max(...rss) : undefined,
  };
}

function print(name: string, t: Timing, ratio?: { of: Timing; limit: number }): void {
  const rss = t.rssMb !== undefined ? `   rss ${t.rssMb.toFixed(0).padStart(5)} MB` : '';
  let extra = '';
  if (ratio !== undefined) {
    const cpu = t.cpuMs / ratio.of.cpuMs;
    const wall = t.wallMs / ratio.of.wallMs;
    extra = `   ${cpu.toFixed(2)}× cpu ${wall.toFixed(2)}× wall (goal ≤ ${ratio.limit}×)`;
  }
  console.log(
    `${name.padEnd(44)} wall ${t.wallMs.toFixed(0).padStart(7)} ms   cpu ${t.cpuMs.toFixed(0).padStart(7)} ms${rss}${extra}`,
  );
}

function quote(args: readonly string[]): string {
  return args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
}

export function runCliSpeed(opts: { cli: string; n: number; runs: number; big: boolean }): void {
  const dir = workloads(opts.n);
  const files = readdirSync(dir).map((f) => join(dir, f));
  console.log(`\nCLI: ${opts.cli}  (${opts.n} workloads; median of ${opts.runs}; cpu = user+sys)`);
  const floorA = measure(`node bench/floor.mjs a ${quote(files)}`, opts.runs);
  print('floor A (node + read + js-yaml)', floorA);
  const floorB = measure(`node bench/floor.mjs b ${quote(files)}`, 1);
  print('floor B (node + read + yaml, positions)', floorB, { of: floorA, limit: Number.POSITIVE_INFINITY });
  const apply = (set: string) => `${opts.cli} apply ${quote([join(corpus, set), '-r', dir])}`;
  print('apply pod-security (ClusterPolicies)', measure(apply('pod-security'), opts.runs), {
    of: floorA,
    limit: 1.5,
  });
  print('apply pod-security-vpol (ValidatingPolicies)', measure(apply('pod-security-vpol'), opts.runs), {
    of: floorA,
    limit: 2.5,
  });
  // A start-up is ~50 ms and `times` counts in 10 ms ticks: each sample is 20 starts in one shell,
  // and the two commands alternate so that a change in the machine's load hits both alike.
  const starts = (command: string) => `bash -c ${quote([`for i in $(seq 20); do ${command} >/dev/null; done`])}`;
  const nodeRuns: Timing[] = [];
  const versionRuns: Timing[] = [];
  for (let i = 0; i < 5; i++) {
    nodeRuns.push(measure(starts('node -e 0'), 1));
    versionRuns.push(measure(starts(`${opts.cli} version`), 1));
  }
  const perStart = (t: readonly Timing[]): Timing => ({
    wallMs: median(t.map((x) => x.wallMs)) / 20,
    cpuMs: median(t.map((x) => x.cpuMs)) / 20,
    rssMb: undefined,
  });
  const node = perStart(nodeRuns);
  print('node -e 0 (per start, 5 × 20 starts)', node);
  print('version (per start, 5 × 20 starts)', perStart(versionRuns), { of: node, limit: 1.1 });
  if (opts.big) {
    const big = workloads(opts.n, 10);
    print(
      `apply pod-security × ${10 * opts.n} (peak RSS flat?)`,
      measure(`${opts.cli} apply ${quote([join(corpus, 'pod-security'), '-r', big])}`, 1),
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  runCliSpeed({
    cli: flag('--cli') ?? defaultCli() ?? 'node dist/cli/main.js',
    n: Number(flag('--n') ?? '10000'),
    runs: Number(flag('--runs') ?? '1'),
    big: argv.includes('--big'),
  });
}
