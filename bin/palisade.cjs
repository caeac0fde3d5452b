#!/usr/bin/env node
"use strict";

// src/launcher.cts
var args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "version" || args[0] === "--version")) {
  process.stdout.write(`${"@palisade-policy/cli"} version ${"0.1.0"}
`);
} else {
  const entry = "./palisade.mjs";
  import(entry).catch((err) => {
    process.exitCode = 3;
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split("\n")[0]}
`
    );
  });
}
