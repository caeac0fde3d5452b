/**
 * @module ANSI colour for result cells of the text table. Whether to colour is decided once in
 * main.ts (stdout is a TTY and NO_COLOR is unset); formatters only receive the flag.
 */
const CODES: Readonly<Record<string, string>> = {
  pass: '32',
  fail: '31',
  warn: '33',
  error: '35',
  skip: '90',
};

/** `text` in the colour of `status` (pass/fail/warn/error/skip, any case), or unchanged. */
export function colorStatus(text: string, status: string, color: boolean): string {
  const code = CODES[status.toLowerCase()];
  return color && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matches ANSI escapes on purpose
const ANSI = /\u001b\[[0-9;]*m/g;

/** Length as seen on a terminal: ANSI colour codes take no room. */
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

/** Whether output should be coloured: a TTY, and no NO_COLOR (any non-empty value, no-color.org). */
export function shouldColor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
