/**
 * @module Reads a file (or stdin) as text, refusing anything above the size bound and anything that is
 * not UTF-8 (go-yaml refuses it too), with the line and column of the first bad byte.
 */
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { DEFAULT_LIMITS } from '../yaml/limits.js';
import { readBounded } from './read-bounded.js';
import { STDIN } from './walk.js';

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly issue: IoDiagnostic };

/**
 * Supplies standard input; the CLI passes one in so only main.ts decides where stdin comes from.
 * Bytes are preferred: only they let invalid UTF-8 be reported instead of silently replaced.
 */
export type StdinReader = () => string | Uint8Array;

/** Byte offset of the first invalid UTF-8 sequence, or -1 when `bytes` is valid UTF-8. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are invalid too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in UTF-16 units, as editors and the YAML parser count) of a byte offset. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const prefix = Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, offset - lineStart).toString('utf8');
  return { line, column: prefix.length + 1 };
}

/** Decodes UTF-8 bytes (a leading byte-order mark is dropped); invalid bytes are a diagnostic, never U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, file: string): ReadResult {
  const bad = invalidUtf8Offset(bytes);
  if (bad >= 0) {
    // Binary files usually show a control byte before their first invalid sequence: report what comes first.
    for (let i = 0; i < bad; i++) {
      const b = bytes[i]!;
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) {
        const cp = b.toString(16).toUpperCase().padStart(4, '0');
        return {
          ok: false,
          issue: ioDiagnostic(
            'yaml/syntax-error',
            `control character U+${cp} is not allowed in YAML (is this a binary file?)`,
            { file, ...bytePosition(bytes, i) },
          ),
        };
      }
    }
    const utf16 =
      (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
        ? ' (the file looks UTF-16 encoded; save it as UTF-8)'
        : '';
    const hex = bytes[bad]!.toString(16).padStart(2, '0');
    return {
      ok: false,
      issue: ioDiagnostic(
        'yaml/syntax-error',
        `invalid UTF-8 (byte 0x${hex}): the file must be UTF-8 text${utf16}`,
        {
          file,
          ...bytePosition(bytes, bad),
        },
      ),
    };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return {
    ok: true,
    text: Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString('utf8'),
  };
}

function tooLarge(what: string, maxBytes: number, file: string): ReadResult {
  const mib = maxBytes % (1024 * 1024) === 0 ? ` (${maxBytes / 1024 / 1024} MiB)` : '';
  return {
    ok: false,
    issue: ioDiagnostic('limits/exceeded', `${what} is larger than ${maxBytes} bytes${mib}`, { file }),
  };
}

export function readText(
  path: string,
  stdin?: StdinReader,
  maxBytes = DEFAULT_LIMITS.maxFileBytes,
): ReadResult {
  if (path === STDIN) {
    if (stdin === undefined)
      return { ok: false, issue: ioDiagnostic('input/read-error', 'standard input is not available here') };
    let input: string | Uint8Array;
    try {
      input = stdin();
    } catch (err) {
      return {
        ok: false,
        issue: ioDiagnostic('input/read-error', `cannot read standard input: ${(err as Error).message}`, {
          file: '<stdin>',
        }),
      };
    }
    const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
    if (size > maxBytes) return tooLarge('standard input', maxBytes, '<stdin>');
    if (typeof input === 'string') return { ok: true, text: input.replace(/^\uFEFF/, '') };
    return decodeUtf8(input, '<stdin>');
  }
  try {
    const st = statSync(path);
    if (st.isDirectory())
      return {
        ok: false,
        issue: ioDiagnostic('input/read-error', `is a directory, expected a file: ${path}`, { file: path }),
      };
    let bytes: Uint8Array;
    if (st.isFIFO()) {
      // `--resource <(helm template …)`: read as a stream, never more than the bound.
      const fd = openSync(path, 'r');
      try {
        bytes = readBounded(fd, maxBytes);
      } finally {
        closeSync(fd);
      }
    } else if (st.isFile()) {
      if (st.size > maxBytes) return tooLarge('file', maxBytes, path);
      bytes = readFileSync(path);
    } else {
      return {
        ok: false,
        issue: ioDiagnostic('input/read-error', `not a regular file: ${path}`, { file: path }),
      };
    }
    // The file may have grown since stat.
    if (bytes.length > maxBytes) return tooLarge('file', maxBytes, path);
    return decodeUtf8(bytes, path);
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
