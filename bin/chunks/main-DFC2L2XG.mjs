#!/usr/bin/env node
import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  EXIT_INTERNAL
} from "./chunk-4HTNUG6Q.mjs";
import "./chunk-34UHWEGN.mjs";

// src/cli/main.ts
var failed = false;
function fail(err) {
  process.exitCode = EXIT_INTERNAL;
  if (failed) return;
  failed = true;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`palisade: internal error: ${message.split("\n")[0]}
`);
}
process.env = { ...process.env };
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit();
    fail(err);
  });
}
try {
  const { dispatch } = await import("./dispatch-MKUODZFQ.mjs");
  const { readStdinOnce } = await import("./stdin-QBVAZFUO.mjs");
  const { shouldColor } = await import("./color-KOZSKVN3.mjs");
  const color = shouldColor(process.stdout.isTTY === true, process.env);
  const { createTtyProgress } = await import("./progress-JTDSVL72.mjs");
  const progress = process.stderr.isTTY === true && process.env.CI === void 0 ? createTtyProgress((text) => process.stderr.write(text), Date.now) : void 0;
  const result = await dispatch(process.argv.slice(2), {
    stdin: readStdinOnce,
    color,
    ...progress !== void 0 ? { progress } : {}
  });
  process.exitCode = result.exitCode;
  if (result.writeStdout !== void 0) result.writeStdout((piece) => process.stdout.write(piece));
  else if (result.stdout !== "") process.stdout.write(result.stdout);
  if (result.stderr !== "") process.stderr.write(result.stderr);
} catch (err) {
  fail(err);
}
