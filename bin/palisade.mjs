#!/usr/bin/env node
import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/main.ts
process.env = { ...process.env };
if (process.argv[2] === "serve") {
  try {
    const { runServe } = await import("./chunks/main-3XAGIPOI.mjs");
    await runServe(process.argv.slice(3));
  } catch (err) {
    process.exitCode = 3;
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split("\n")[0]}
`
    );
  }
} else {
  await import("./chunks/main-F5LNQCWY.mjs");
}
