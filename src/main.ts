#!/usr/bin/env node
/**
 * @module The palisade binary and the composition root: `palisade serve` runs the webhook face with
 * the background controllers (docs/decisions/0015), `palisade controller` those controllers alone
 * (docs/decisions/0017), `palisade playground` the CLI's long-running
 * static server, every other command the CLI. Faces never import each other; only this file knows
 * them all, and it loads the one it needs on demand, so `palisade version` never loads the server.
 */

/** package.json's name and version, written into the bundle by scripts/bundle.mjs; else undefined. */
declare const PALISADE_NAME: string | undefined;
declare const PALISADE_VERSION: string | undefined;

import { isMainThread, workerData } from 'node:worker_threads';

/** An `apply` worker started by this entry (cli/commands/apply-prestart.ts): not a command. */
const applyWorker =
  !isMainThread && (workerData as Record<string, unknown> | null)?.palisadeApplyWorker === true;
const argv = process.argv.slice(2);
const bareVersion = argv.length === 1 && (argv[0] === 'version' || argv[0] === '--version');
// A plain copy of the environment for every other command: see cli/main.ts (yaml reads it per token).
if (!bareVersion) process.env = { ...process.env };

if (applyWorker) {
  // The module serves the pieces it is sent (its own last lines see the flag).
  await import('./cli/commands/apply-workers.js');
} else if (bareVersion) {
  // A bare `version` is answered here, with nothing else loaded: in the bundle the line is a constant
  // of the entry file, since each further module (even package-info's small chunk) cost a visible share
  // of `palisade version` beyond starting Node. With flags it is the CLI's `version` command, which
  // prints the same line (cli/commands/version.ts).
  const line =
    typeof PALISADE_NAME === 'string' && typeof PALISADE_VERSION === 'string'
      ? `${PALISADE_NAME} version ${PALISADE_VERSION}` // as io/package-info.ts writes it
      : (await import('./io/package-info.js')).versionLine();
  process.stdout.write(`${line}\n`);
} else if (process.argv[2] === 'serve') {
  try {
    // The background controllers run in the same process; the webhook gets them as io's interface.
    const [{ runServe }, { startBackground }] = await Promise.all([
      import('./webhook/main.js'),
      import('./controllers/main.js'),
    ]);
    await runServe(process.argv.slice(3), startBackground);
  } catch (err) {
    // Only a module that fails to load gets here: one line, never a stack trace.
    process.exitCode = 3; // EXIT_INTERNAL (cli/exit-codes.ts): the root imports no face statically
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split('\n')[0]}\n`,
    );
  }
} else if (process.argv[2] === 'controller') {
  // Background controllers in a process of their own (docs/decisions/0017): the controllers face only.
  try {
    const { runController } = await import('./controllers/command.js');
    await runController(process.argv.slice(3));
  } catch (err) {
    process.exitCode = 3; // EXIT_INTERNAL, as above
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split('\n')[0]}\n`,
    );
  }
} else if (process.argv[2] === 'playground') {
  try {
    const { runPlayground } = await import('./cli/playground-main.js');
    await runPlayground(process.argv.slice(3));
  } catch (err) {
    process.exitCode = 3; // EXIT_INTERNAL, as above
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split('\n')[0]}\n`,
    );
  }
} else {
  // `apply` of a large file: its worker starts now, loading while the CLI's modules load here. The
  // sources (run through tsx) leave it to `apply`, whose worker registers tsx's loader first.
  if (process.argv[2] === 'apply' && !import.meta.url.endsWith('.ts')) {
    const { prestartApplyWorker, wouldPrestart } = await import('./cli/commands/apply-prestart.js');
    if (wouldPrestart(process.argv.slice(3))) prestartApplyWorker(new URL(import.meta.url));
  }
  await import('./cli/main.js');
}
