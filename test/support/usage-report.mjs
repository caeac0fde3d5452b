// Preloaded into a CLI run by bounded-cli.ts: when the process exits, writes the CPU time it used
// (user + system, ms) and its peak resident memory (bytes) to the file named by
// PALISADE_USAGE_REPORT, so that a bound can be checked on the process's own work even on a shared
// machine, where wall time also counts the time spent waiting for a core.
import { writeFileSync } from 'node:fs';

const out = process.env.PALISADE_USAGE_REPORT;
if (out !== undefined && out !== '')
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const { maxRSS } = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssBytes: maxRSS * 1024 }));
  });
