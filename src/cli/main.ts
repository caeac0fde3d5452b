#!/usr/bin/env node
/**
 * @module The palisade binary: the only place that touches process.argv, stdout/stderr and the exit
 * code. Anything thrown is a bug: one line on stderr and exit 2, never a stack trace. The commands
 * are imported dynamically so that even a module that fails to load is reported that way.
 */
import { EXIT_INTERNAL } from './exit-codes.js';

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`palisade: internal error: ${message.split('\n')[0]}\n`);
  process.exitCode = EXIT_INTERNAL;
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

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
  if (result.stdout !== '') process.stdout.write(result.stdout);
  if (result.stderr !== '') process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
} catch (err) {
  fail(err);
}
