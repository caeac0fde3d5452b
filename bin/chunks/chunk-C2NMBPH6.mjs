import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  suggestion
} from "./chunk-S3ZW6KE6.mjs";

// src/io/flags/args.ts
import { parseArgs } from "node:util";
function parseCommandArgs(argv, options) {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true
    });
    return {
      ok: true,
      values,
      positionals
    };
  } catch (err) {
    return { ok: false, error: usageMessage(err, options) };
  }
}
function usageMessage(err, options) {
  const unknown = /^Unknown option '([^']+)'/.exec(err.message);
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown !== null) {
    const flag = unknown[1];
    return `unknown flag ${flag}.${suggestion(flag.replace(/^--?/, ""), Object.keys(options), "--")}`;
  }
  return err.message;
}
function str(v) {
  return typeof v === "string" ? v : void 0;
}
function strs(v) {
  if (Array.isArray(v)) return v.filter((x) => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

export {
  parseCommandArgs,
  str,
  strs
};
