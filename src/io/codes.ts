/** @module Diagnostic codes the io layer adds to the engine's closed set (`area/kebab-name`). */
import type { DiagnosticCode } from '../engine/diagnostics/codes.js';
import { type Diagnostic, formatFieldPath } from '../engine/diagnostics/diagnostic.js';

export type IoDiagnosticCode =
  /** The YAML/JSON text does not parse (or is not UTF-8, or holds control characters). */
  | 'yaml/syntax-error'
  /** A key repeated in one mapping: a warning for Kubernetes objects, an error in strict `cli.kyverno.io` files. */
  | 'yaml/duplicate-key'
  /** A file or standard input that holds no YAML document at all. */
  | 'input/empty'
  /** A path given on the command line or in a test file does not exist or cannot be read. */
  | 'input/not-found'
  /** A file could not be read for another reason (permissions, a directory where a file was expected). */
  | 'input/read-error'
  /** A file is larger than the size bound. */
  | 'input/too-large'
  /** A kyverno-test.yaml that is not a valid `cli.kyverno.io/v1alpha1` Test. */
  | 'test/invalid'
  /** A test, values or user-info file in the legacy schema (no apiVersion/kind). */
  | 'test/deprecated-schema'
  /** A values file that is not a valid `Values` document, or a bad `--set` pair. */
  | 'values/invalid'
  /** A user-info file that is not a valid `UserInfo` document. */
  | 'userinfo/invalid'
  /** A resource document that is not a Kubernetes object. */
  | 'resource/invalid'
  /** A command-line usage error (unknown flag, missing argument). */
  | 'cli/usage';

/** A Diagnostic whose code may also be one of the io layer's. */
export type IoDiagnostic = Omit<Diagnostic, 'code'> & { readonly code: DiagnosticCode | IoDiagnosticCode };

export function ioDiagnostic(
  code: DiagnosticCode | IoDiagnosticCode,
  message: string,
  extra: {
    file?: string;
    line?: number;
    column?: number;
    document?: number;
    severity?: 'error' | 'warning';
    path?: readonly (string | number)[];
  } = {},
): IoDiagnostic {
  const d: { -readonly [K in keyof IoDiagnostic]: IoDiagnostic[K] } = {
    code,
    severity: extra.severity ?? 'error',
    message,
    path: extra.path ?? [],
  };
  if (extra.file !== undefined) {
    d.source = {
      file: extra.file,
      document: extra.document ?? 0,
      line: extra.line ?? 1,
      column: extra.column ?? 1,
    };
  }
  return d;
}

/**
 * Renders `file:line:col: code: message (at field.path) (hint)`; the document number is shown for
 * multi-document files, and the position is left out when the source is unknown.
 */
export function formatDiagnostic(d: IoDiagnostic): string {
  const doc = d.source !== undefined && d.source.document > 0 ? ` (document ${d.source.document + 1})` : '';
  const where = d.source !== undefined ? `${d.source.file}:${d.source.line}:${d.source.column}${doc}: ` : '';
  const sev = d.severity === 'warning' ? 'warning ' : '';
  const at = d.path.length > 0 ? ` (at ${formatFieldPath(d.path)})` : '';
  const hint = d.hint !== undefined ? ` (${d.hint})` : '';
  // One diagnostic, one line: a multi-line message (an expression quoted from a block scalar) is folded.
  const message = d.message.replace(/\r?\n(?!$)/g, '\\n').replace(/\r?\n$/, '');
  return `${where}${sev}${d.code}: ${message}${at}${hint}`;
}
