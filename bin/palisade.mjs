#!/usr/bin/env node
import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/main.ts
process.env = { ...process.env };
if (process.argv[2] === "serve") {
  try {
    const [{ runServe }, { startBackground }] = await Promise.all([
      import("./chunks/main-PBAUYSNV.mjs"),
      import("./chunks/main-K2IWLV5Z.mjs")
    ]);
    await runServe(process.argv.slice(3), startBackground);
  } catch (err) {
    process.exitCode = 3;
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split("\n")[0]}
`
    );
  }
} else if (process.argv[2] === "playground") {
  try {
    const { runPlayground } = await import("./chunks/playground-main-2UYUWAOC.mjs");
    await runPlayground(process.argv.slice(3));
  } catch (err) {
    process.exitCode = 3;
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split("\n")[0]}
`
    );
  }
} else {
  await import("./chunks/main-S4OFQ7YV.mjs");
}
