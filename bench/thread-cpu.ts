// CPU time per thread of one command (Linux): which thread of `palisade apply` costs what, the command's,
// its workers' and V8's own (the platform threads that optimise code and mark and sweep the heaps
// concurrently). Polls /proc/<pid>/task/*/stat every 20 ms and keeps each thread's last reading, so a
// thread that exits loses at most one interval. Node 20 names every thread "node": a thread first seen
// well after the start is a worker; the four seen at once, busy from the start, are V8's.
//   node --import tsx bench/thread-cpu.ts node bin/palisade.mjs apply POLICIES -r RESOURCES [--workers 1]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: bench/thread-cpu.ts COMMAND [ARGS...]');
  process.exit(2);
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100;

interface Reading {
  readonly name: string;
  readonly firstSeenMs: number;
  cpuMs: number;
}

const started = process.hrtime.bigint();
const elapsedMs = (): number => Number(process.hrtime.bigint() - started) / 1e6;
const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const threads = new Map<string, Reading>();

function poll(): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${child.pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // exited between the listing and the read
    }
    // The name may hold spaces and parentheses: fields are counted from the last ')'.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
    const seen = threads.get(tid);
    if (seen === undefined) threads.set(tid, { name, firstSeenMs: elapsedMs(), cpuMs });
    else seen.cpuMs = cpuMs;
  }
}

const timer = setInterval(poll, 20);
child.on('exit', (code) => {
  clearInterval(timer);
  const wall = elapsedMs();
  const rows = [...threads].filter(([, r]) => r.cpuMs > 0).sort((a, b) => b[1].cpuMs - a[1].cpuMs);
  const total = rows.reduce((sum, [, r]) => sum + r.cpuMs, 0);
  console.log(`wall ${wall.toFixed(0)} ms, exit ${code}, CPU of the threads ${total.toFixed(0)} ms`);
  for (const [tid, r] of rows) {
    const who = tid === String(child.pid) ? 'main' : `${r.name} ${tid}`;
    console.log(
      `  ${who.padEnd(16)} ${r.cpuMs.toFixed(0).padStart(6)} ms  (first seen at ${r.firstSeenMs.toFixed(0)} ms)`,
    );
  }
});
