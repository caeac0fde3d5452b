/** @module `palisade playground` arguments: help text, flags and their checks (usage errors as values). */
import { parseCommandArgs, str } from '../io/flags/args.js';

export const PLAYGROUND_HELP = `Serve the playground on this machine: policies and resources evaluated in your browser by
the engine the CLI uses. Nothing leaves the browser; the server only hands out the page's files.

Usage:
  palisade playground [--port N] [--open] [--dir folder]

Flags:
      --port int      port on 127.0.0.1 (default 3710; 0 picks a free one)
      --open          open the page in the default browser
      --dir string    the built playground (default: dist-playground/ of this installation;
                      build it with 'npm run playground:build')
  -h, --help          help for playground`;

export interface PlaygroundArgs {
  readonly port: number;
  readonly open: boolean;
  readonly dir?: string;
  readonly help: boolean;
}

export const DEFAULT_PORT = 3710;

export function parsePlaygroundArgs(
  argv: readonly string[],
): { ok: true; args: PlaygroundArgs } | { ok: false; error: string } {
  const parsed = parseCommandArgs(argv, {
    port: { type: 'string' },
    open: { type: 'boolean' },
    dir: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (!parsed.ok) return parsed;
  if (parsed.positionals.length > 0)
    return { ok: false, error: `unexpected argument "${parsed.positionals[0]}"` };
  const portText = str(parsed.values.port);
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return { ok: false, error: `--port must be a number from 0 to 65535, got "${portText}"` };
  const dir = str(parsed.values.dir);
  return {
    ok: true,
    args: {
      port,
      open: parsed.values.open === true,
      help: parsed.values.help === true,
      ...(dir !== undefined ? { dir } : {}),
    },
  };
}
