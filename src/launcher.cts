#!/usr/bin/env node
/**
 * @module The `palisade` command's first file (bin/palisade.cjs in the bundle), CommonJS on purpose:
 * Node starts its ES module loader only when an ES module is loaded, and that start was most of what
 * a bare `palisade version` cost beyond `node -e 0` (issue #17: ≤ 1.1×). So the bare version is
 * answered here, from constants scripts/bundle.mjs writes in, and every other command imports the
 * ES module entry (src/main.ts, bin/palisade.mjs), which reads the same process.argv.
 */

/** package.json's name and version, defined by scripts/bundle.mjs. */
declare const PALISADE_NAME: string;
declare const PALISADE_VERSION: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === 'version' || args[0] === '--version')) {
  process.stdout.write(`${PALISADE_NAME} version ${PALISADE_VERSION}\n`); // as io/package-info.ts writes it
} else {
  // A variable, so that the bundler leaves the entry as the separate ES module it is.
  const entry = './palisade.mjs';
  import(entry).catch((err: unknown) => {
    process.exitCode = 3; // EXIT_INTERNAL (cli/exit-codes.ts)
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split('\n')[0]}\n`,
    );
  });
}
