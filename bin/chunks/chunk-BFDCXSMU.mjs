import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  Output
} from "./chunk-O3KOCDW3.mjs";
import {
  EXIT_OK,
  EXIT_USAGE
} from "./chunk-4HTNUG6Q.mjs";
import {
  parseCommandArgs,
  str
} from "./chunk-C2NMBPH6.mjs";

// src/io/package-info.ts
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function readPackage() {
  if (true) {
    return { name: "@palisade-policy/cli", version: "0.1.0" };
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return { name: pkg.name ?? "palisade", version: pkg.version ?? "0.0.0" };
    } catch {
      dir = dirname(dir);
    }
  }
  return { name: "palisade", version: "0.0.0" };
}
function versionLine() {
  const { name, version } = readPackage();
  return `${name} version ${version}`;
}

// src/cli/commands/version.ts
var VERSION_HELP = `Print the version.

Usage:
  palisade version [-o json|yaml]

Examples:
  palisade version
  palisade version -o json`;
async function versionCommand(argv, _ctx) {
  const out = new Output();
  const parsed = parseCommandArgs(argv, {
    output: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" }
  });
  if (!parsed.ok) {
    out.error(`Error: ${parsed.error}`);
    return out.result(EXIT_USAGE);
  }
  if (parsed.values.help === true) {
    out.line(VERSION_HELP);
    return out.result(EXIT_OK);
  }
  const { name, version } = readPackage();
  const fmt = str(parsed.values.output);
  if (fmt === "json") out.line(JSON.stringify({ name, version }, null, 2));
  else if (fmt === "yaml") out.line(`name: ${name}
version: ${version}`);
  else if (fmt === void 0) out.line(versionLine());
  else {
    out.error(`Error: unknown output format "${fmt}" (json or yaml)`);
    return out.result(EXIT_USAGE);
  }
  return out.result(EXIT_OK);
}

export {
  readPackage,
  VERSION_HELP,
  versionCommand
};
