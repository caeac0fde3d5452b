/** @module Reads a file (or stdin) as text, refusing anything above the size bound. */
import { readFileSync, statSync } from 'node:fs';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { DEFAULT_LIMITS } from '../yaml/limits.js';
import { STDIN } from './walk.js';

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly issue: IoDiagnostic };

/** Supplies standard input; the CLI passes one in so only main.ts decides where stdin comes from. */
export type StdinReader = () => string;

export function readText(
  path: string,
  stdin?: StdinReader,
  maxBytes = DEFAULT_LIMITS.maxFileBytes,
): ReadResult {
  if (path === STDIN) {
    if (stdin === undefined)
      return { ok: false, issue: ioDiagnostic('input/read-error', 'standard input is not available here') };
    const text = stdin();
    if (Buffer.byteLength(text) > maxBytes) {
      return {
        ok: false,
        issue: ioDiagnostic('limits/exceeded', `standard input is larger than ${maxBytes} bytes`, {
          file: '<stdin>',
        }),
      };
    }
    return { ok: true, text };
  }
  try {
    const st = statSync(path);
    if (st.isDirectory())
      return {
        ok: false,
        issue: ioDiagnostic('input/read-error', `is a directory, expected a file: ${path}`, { file: path }),
      };
    if (st.size > maxBytes) {
      return {
        ok: false,
        issue: ioDiagnostic('limits/exceeded', `file is larger than ${maxBytes} bytes`, { file: path }),
      };
    }
    return { ok: true, text: readFileSync(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'input/not-found' : 'input/read-error';
    const message =
      code === 'input/not-found' ? `no such file: ${path}` : `cannot read ${path}: ${(err as Error).message}`;
    return { ok: false, issue: ioDiagnostic(code, message, { file: path }) };
  }
}

/** Displayed name of a path (`<stdin>` for `-`). */
export function displayName(path: string): string {
  return path === STDIN ? '<stdin>' : path;
}
