/** @module Diagnostic codes the io layer adds to the engine's closed set (`area/kebab-name`). */
// Types only: io/codes is on the start-up path of every command and must not load the engine.
import type { Diagnostic, DiagnosticCode } from '../engine/index.js';

export type IoDiagnosticCode =
  /** The YAML/JSON text does not parse (or is not UTF-8, or holds control characters). */
  | 'yaml/syntax-error'
  /** A key repeated in one mapping: a warning for Kubernetes objects, an error in strict `cli.kyverno.io` files. */
  | 'yaml/duplicate-key'
  /** A file or standard input that holds no YAML document at all. */
  | 'input/empty'
  /** A path given on the command line or in a test file does not exist or cannot be read. */
  | 'input/not-found'
  /**
   * A notice: a document found by walking a folder is not a Kubernetes object or policy (a Chart.yaml,
   * values.yaml, package.json, artifacthub-pkg.yml), or a folder is a Helm chart; it is skipped.
   */
  | 'input/skipped'
  /** A file could not be read for another reason (permissions, a directory where a file was expected). */
  | 'input/read-error'
  /** A file is larger than the size bound. */
  | 'input/too-large'
  /** A kyverno-test.yaml that is not a valid `cli.kyverno.io/v1alpha1` Test. */
  | 'test/invalid'
  /**
   * A test result row whose policy, rule or resource names nothing the test loads: a warning, an
   * error with `palisade test --strict`.
   */
  | 'test/unmatched-row'
  /** A test, values or user-info file in the legacy schema (no apiVersion/kind). */
  | 'test/deprecated-schema'
  /** A values file that is not a valid `Values` document, or a bad `--set` pair. */
  | 'values/invalid'
  /** A user-info file that is not a valid `UserInfo` document. */
  | 'userinfo/invalid'
  /**
   * A warning: `test` evaluates only the first of several resources with one identity (group, kind,
   * namespace, name), as Kyverno's CLI does; the others are named, each at its file and line.
   */
  | 'resource/duplicate'
  /** A resource document that is not a Kubernetes object. */
  | 'resource/invalid'
  /**
   * A warning: a generate rule matched but could not build the resource it generates (a clone source
   * not found, a variable naming an absent field). Its result is `pass`, as in Kyverno's CLI, so the
   * reason is said here rather than lost.
   */
  | 'generate/not-built'
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
