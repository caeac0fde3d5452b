import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  Output
} from "./chunk-O3KOCDW3.mjs";
import {
  EXIT_OK,
  EXIT_USAGE
} from "./chunk-4HTNUG6Q.mjs";
import {
  suggestion
} from "./chunk-S3ZW6KE6.mjs";
import "./chunk-34UHWEGN.mjs";

// src/cli/dispatch.ts
var ROOT_HELP = `Palisade runs Kyverno policies: test suites, apply to files, JMESPath, and an admission webhook.

Usage:
  palisade <command> [flags]

Commands:
  apply     apply policies to resources
  test      run kyverno-test.yaml suites
  create    create a starter policy, test, values or exception file
  jp        JMESPath with Kyverno's functions (query, parse, function)
  serve     run the admission webhook with the policies of a folder
  playground  serve the browser playground on localhost
  controller  run background controllers apart from serve (cleanup: cleanup policies, TTL label)
  version   print the version

Examples:
  palisade test ./policies
  palisade apply policy.yaml --resource pod.yaml
  cat pods.yaml | palisade apply policy.yaml --resource -

Run 'palisade <command> --help' for a command's flags.`;
var COMMANDS = {
  apply: async () => (await import("./apply-MHHHL33M.mjs")).applyCommand,
  test: async () => (await import("./test-HKRYPPZ5.mjs")).testCommand,
  create: async () => (await import("./create-K3M44K7N.mjs")).createCommand,
  jp: async () => (await import("./jp-KMLPO3VM.mjs")).jpCommand,
  version: async () => (await import("./version-RXQ4HFMM.mjs")).versionCommand
};
async function dispatch(argv, ctx) {
  const [name, ...rest] = argv;
  const out = new Output();
  if (name === "help" && rest[0] !== void 0 && Object.hasOwn(COMMANDS, rest[0]))
    return (await COMMANDS[rest[0]]())(["--help"], ctx);
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    out.line(ROOT_HELP);
    return out.result(name === void 0 ? EXIT_USAGE : EXIT_OK);
  }
  if (name === "--version") return (await COMMANDS.version())([], ctx);
  if (name === "serve" || name === "playground" || name === "controller") {
    out.error(`Error: ${name} runs through the palisade binary (bin/palisade.mjs, or src/main.ts)`);
    return out.result(EXIT_USAGE);
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : void 0;
  if (load === void 0) {
    out.error(
      `Error: unknown command "${name}" for "palisade".${suggestion(name, [...Object.keys(COMMANDS), "serve", "playground", "controller"])}`
    );
    out.error("Run 'palisade --help' for usage.");
    return out.result(EXIT_USAGE);
  }
  return (await load())(rest, ctx);
}
export {
  ROOT_HELP,
  dispatch
};
