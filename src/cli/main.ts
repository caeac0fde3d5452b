#!/usr/bin/env node
/**
 * @module The palisade binary: the only place that touches process.argv, stdout/stderr and the exit
 * code. Anything thrown is a bug: one line on stderr and exit 2, never a stack trace. The commands
 * are imported dynamically so that even a module that fails to load is reported that way.
 */
import { EXIT_INTERNAL } from './exit-codes.js';

let failed = false;
function fail(err: unknown): void {
  process.exitCode = EXIT_INTERNAL;
  // Report once: a failing stderr must not feed this handler again.
  if (failed) return;
  failed = true;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`palisade: internal error: ${message.split('\n')[0]}\n`);
}

// yaml's parser reads `process.env.LOG_TOKENS` once per token, and each read of the real
// `process.env` is a native call: a fifth to a third of parse time. The process's own entry owns
// `process`, so it replaces the environment once with a plain copy (children still inherit it).
process.env = { ...process.env };

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// A reader that goes away (`palisade ... | head`) is not an error: stop writing and exit.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit();
    fail(err);
  });
}

try {
  const { dispatch } = await import('./dispatch.js');
  const { readStdinOnce } = await import('../io/files/stdin.js');
  const { shouldColor } = await import('./output/color.js');
  const color = shouldColor(process.stdout.isTTY === true, process.env);
  const { createTtyProgress } = await import('./output/progress.js');
  const progress =
    process.stderr.isTTY === true && process.env.CI === undefined
      ? createTtyProgress((text) => process.stderr.write(text), Date.now)
      : undefined;
  const result = await dispatch(process.argv.slice(2), {
    stdin: readStdinOnce,
    color,
    ...(progress !== undefined ? { progress } : {}),
  });
  process.exitCode = result.exitCode;
  if (result.writeStdout !== undefined) result.writeStdout((piece) => process.stdout.write(piece));
  else if (result.stdout !== '') process.stdout.write(result.stdout);
  if (result.stderr !== '') process.stderr.write(result.stderr);
} catch (err) {
  fail(err);
}
