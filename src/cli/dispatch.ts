/** @module Routes argv to a command; everything here is pure over (argv, context). */

import { suggestion } from '../io/flags/did-you-mean.js';
import { type CommandContext, type CommandResult, Output } from './command.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';

export const ROOT_HELP = `Palisade runs Kyverno policies: test suites, apply to files, JMESPath, and an admission webhook.

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

type Command = (argv: readonly string[], ctx: CommandContext) => Promise<CommandResult>;

// Loaded on demand: `jp` and `version` start fast and do not load the policy engine.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
  create: async () => (await import('./commands/create.js')).createCommand,
  jp: async () => (await import('./commands/jp.js')).jpCommand,
  version: async () => (await import('./commands/version.js')).versionCommand,
};

export async function dispatch(argv: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const [name, ...rest] = argv;
  const out = new Output();
  // `palisade help apply` is `palisade apply --help`, as in most CLIs.
  if (name === 'help' && rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]))
    return (await COMMANDS[rest[0]]!())(['--help'], ctx);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out.line(ROOT_HELP);
    return out.result(name === undefined ? EXIT_USAGE : EXIT_OK);
  }
  if (name === '--version') return (await COMMANDS.version!())([], ctx);
  // `serve` is the webhook face, which the binary (src/main.ts) runs; this entry only knows the CLI.
  if (name === 'serve' || name === 'playground' || name === 'controller') {
    out.error(`Error: ${name} runs through the palisade binary (bin/palisade.mjs, or src/main.ts)`);
    return out.result(EXIT_USAGE);
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    out.error(
      `Error: unknown command "${name}" for "palisade".${suggestion(name, [...Object.keys(COMMANDS), 'serve', 'playground', 'controller'])}`,
    );
    out.error("Run 'palisade --help' for usage.");
    return out.result(EXIT_USAGE);
  }
  return (await load())(rest, ctx);
}
