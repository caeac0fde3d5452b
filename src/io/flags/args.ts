/** @module node:util parseArgs with usage errors as values instead of exceptions. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { suggestion } from './did-you-mean.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export type Parsed =
  | {
      ok: true;
      values: Record<string, string | boolean | (string | boolean)[] | undefined>;
      positionals: string[];
    }
  | { ok: false; error: string };

export function parseCommandArgs(argv: readonly string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return {
      ok: true,
      values: values as Record<string, string | boolean | (string | boolean)[] | undefined>,
      positionals,
    };
  } catch (err) {
    return { ok: false, error: usageMessage(err as Error & { code?: string }, options) };
  }
}

/** node's parse errors, shorter and with a suggestion for a mistyped flag. */
function usageMessage(err: Error & { code?: string }, options: OptionSpec): string {
  const unknown = /^Unknown option '([^']+)'/.exec(err.message);
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== null) {
    const flag = unknown[1]!;
    return `unknown flag ${flag}.${suggestion(flag.replace(/^--?/, ''), Object.keys(options), '--')}`;
  }
  return err.message;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function strs(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}
