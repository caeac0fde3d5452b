/** @module `palisade version`: name and version from package.json. */
import { parseCommandArgs, str } from '../../io/flags/args.js';
import { readPackage, versionLine } from '../../io/package-info.js';
import { type CommandContext, type CommandResult, Output } from '../command.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

export const VERSION_HELP = `Print the version.

Usage:
  palisade version [-o json|yaml]

Examples:
  palisade version
  palisade version -o json`;

export { readPackage };

export async function versionCommand(argv: readonly string[], _ctx: CommandContext): Promise<CommandResult> {
  const out = new Output();
  const parsed = parseCommandArgs(argv, {
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
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
  if (fmt === 'json') out.line(JSON.stringify({ name, version }, null, 2));
  else if (fmt === 'yaml') out.line(`name: ${name}\nversion: ${version}`);
  else if (fmt === undefined) out.line(versionLine());
  else {
    out.error(`Error: unknown output format "${fmt}" (json or yaml)`);
    return out.result(EXIT_USAGE);
  }
  return out.result(EXIT_OK);
}
