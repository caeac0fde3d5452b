#!/usr/bin/env node
/**
 * @module The palisade binary and the composition root: `palisade serve` runs the webhook face,
 * every other command the CLI. Faces never import each other; only this file knows both, and it
 * loads the one it needs on demand, so `palisade version` never loads the server.
 */
if (process.argv[2] === 'serve') {
  try {
    const { runServe } = await import('./webhook/main.js');
    await runServe(process.argv.slice(3));
  } catch (err) {
    // Only a module that fails to load gets here: one line, never a stack trace.
    process.exitCode = 2;
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split('\n')[0]}\n`,
    );
  }
} else {
  await import('./cli/main.js');
}
