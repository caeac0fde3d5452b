#!/usr/bin/env node
import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/main.ts
import { isMainThread, workerData } from "node:worker_threads";
var applyWorker = !isMainThread && workerData?.palisadeApplyWorker === true;
var argv = process.argv.slice(2);
var bareVersion = argv.length === 1 && (argv[0] === "version" || argv[0] === "--version");
if (!bareVersion) process.env = { ...process.env };
if (applyWorker) {
  await import("./chunks/apply-workers-TWQKSZ4W.mjs");
} else if (bareVersion) {
  const line = true ? `${"@palisade-policy/cli"} version ${"0.1.0"}` : (await null).versionLine();
  process.stdout.write(`${line}
`);
} else if (process.argv[2] === "serve") {
  try {
    const [{ runServe }, { startBackground }] = await Promise.all([
      import("./chunks/main-MBNYS3DE.mjs"),
      import("./chunks/main-NVAGJTZE.mjs")
    ]);
    await runServe(process.argv.slice(3), startBackground);
  } catch (err) {
    process.exitCode = 3;
    process.stderr.write(
      `palisade: internal error: ${String(err instanceof Error ? err.message : err).split("\n")[0]}
`
    );
  }
} else if (process.argv[2] === "controller") {
  try {
    const { runController } = await import("./chunks/command-MBF5CRNF.mjs");
    await runController(process.argv.slice(3));
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
  if (process.argv[2] === "apply" && !import.meta.url.endsWith(".ts")) {
    const { prestartApplyWorker, wouldPrestart } = await import("./chunks/apply-prestart-53EXFI6V.mjs");
    if (wouldPrestart(process.argv.slice(3))) prestartApplyWorker(new URL(import.meta.url));
  }
  await import("./chunks/main-DFC2L2XG.mjs");
}
