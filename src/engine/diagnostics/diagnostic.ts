/** @module Diagnostics: problems in the user's input, with a code and a data path. */
import type { DiagnosticCode } from './codes.js';

/** A path into a YAML/JSON document: keys and array indexes. */
export type FieldPath = readonly (string | number)[];

/** Where a document came from; filled in by the io layer, never by the engine. */
export interface SourceRef {
  readonly file: string;
  /** 0-based index of the YAML document in the file. */
  readonly document: number;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning';
  /** What is wrong and what was expected; no position text. */
  readonly message: string;
  readonly path: FieldPath;
  readonly source?: SourceRef;
  readonly hint?: string;
  /**
   * 1-based line and column inside the string value at `path` (e.g. the offending character of a CEL
   * expression); the io layer maps it into the file.
   */
  readonly valuePosition?: { readonly line: number; readonly column: number };
}

export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly issues: readonly Diagnostic[] };

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  path: FieldPath,
  extra: {
    severity?: 'error' | 'warning';
    hint?: string;
    valuePosition?: { readonly line: number; readonly column: number };
  } = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: extra.severity ?? 'error',
    message,
    path,
  };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.valuePosition !== undefined) d.valuePosition = extra.valuePosition;
  return d;
}

/** Renders a field path the way Kubernetes messages do: `spec.containers[0].image`. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
