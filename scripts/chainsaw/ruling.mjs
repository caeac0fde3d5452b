// The pure half of scripts/conformance-chainsaw.mjs: reading the ratchet list, judging one chainsaw
// report, spreading suites over shards and ruling on a run. No processes, no cluster: tested in
// test/conformance/chainsaw-ruling.test.ts.

/** Suite names of a list file's text: the first tab-separated field of each line, `#` lines skipped. */
export function listedSuites(text) {
  return new Set(
    text
      .split('\n')
      .map((l) => l.split('\t')[0]?.trim() ?? '')
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

/** `name # comment` lines of a list file keyed by suite, so `--update` keeps hand-written notes. */
export function listedNotes(text) {
  const notes = new Map();
  for (const line of text.split('\n')) {
    const [suite = '', ...rest] = line.split('\t');
    if (suite.trim() === '' || suite.startsWith('#')) continue;
    notes.set(suite.trim(), rest.join('\t'));
  }
  return notes;
}

/**
 * Why a run failed, in one line ('' when it passed). `report` is chainsaw's JSON report (undefined
 * when it wrote none), `exit` how the process ended: `{ status, signal, timedOut }`.
 */
export function failureOf(report, exit, limitSeconds, log = '') {
  if (exit.timedOut) {
    const last = lastOperation(log);
    return `timed out after ${limitSeconds} s (killed)${last === undefined ? '' : ` in ${last}`}`;
  }
  if (report === undefined) return `chainsaw exited ${exit.status ?? exit.signal} without a report`;
  const tests = report.tests ?? [];
  if (tests.length === 0) return 'no test ran';
  for (const t of tests) {
    for (const step of t.steps ?? []) {
      for (const op of step.operations ?? []) {
        if (op.failure !== undefined)
          return `${step.name}/${op.type}: ${String(op.failure.error ?? '')
            // chainsaw frames an assertion's diff with dashed rules: noise on one line.
            .replace(/-{4,}/g, ' ')
            .replace(/\s+/g, ' ')
            .trim()
            .slice(0, 200)}`;
      }
    }
  }
  return exit.status === 0 ? '' : `chainsaw exited ${exit.status}`;
}

/** The longest operation of a report (for choosing timeouts): `{ what, seconds }`, or undefined. */
export function slowestOperation(report) {
  let slowest;
  for (const t of report?.tests ?? []) {
    for (const step of t.steps ?? []) {
      for (const op of step.operations ?? []) {
        const seconds = (Date.parse(op.endTime) - Date.parse(op.startTime)) / 1000;
        if (Number.isFinite(seconds) && (slowest === undefined || seconds > slowest.seconds))
          slowest = { what: `${step.name}/${op.type}`, seconds };
      }
    }
  }
  return slowest;
}

/** Suites dealt round-robin in sorted order: deterministic, and neighbours (similar suites) spread out. */
export function deal(suites, shards) {
  const count = Math.max(1, Math.min(shards, suites.length));
  const parts = Array.from({ length: count }, () => []);
  for (const [i, s] of [...suites].sort().entries()) parts[i % count].push(s);
  return parts;
}

/**
 * The ratchet's ruling over a run's rows (`{ suite, status }`, status PASS or FAIL after any rerun):
 * regressions are failing suites not listed as known failures, fixed are listed ones that passed.
 */
export function rule(rows, known) {
  const regressions = rows.filter((r) => r.status !== 'PASS' && !known.has(r.suite));
  const fixed = rows.filter((r) => r.status === 'PASS' && known.has(r.suite));
  return { regressions, fixed, ok: regressions.length + fixed.length === 0 };
}

/**
 * The operation chainsaw's log (`--no-color` table lines) last started, as `step/OP`, with the
 * command's first line for a script; undefined when the log names none.
 */
export function lastOperation(log) {
  const lines = log.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const cells = (lines[i] ?? '').split('|').map((c) => c.trim());
    // | time | test | step | OPERATION | STATUS | ...
    if (cells.length < 6 || cells[5] !== 'RUN') continue;
    const what = `${cells[3]}/${cells[4]}`;
    const command = lines.slice(i + 1).findIndex((l) => l.trim() === '=== COMMAND');
    const text = command < 0 ? undefined : lines[i + 2 + command]?.trim();
    return text === undefined || text === '' ? what : `${what}: ${text.slice(0, 160)}`;
  }
  return undefined;
}
