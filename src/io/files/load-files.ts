/** @module Reads and parses a set of files into documents, collecting every problem on the way. */
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import {
  type LoadedDocument,
  type LoadOptions,
  loadDocuments,
  streamDocuments,
} from '../yaml/load-documents.js';
import { displayName, readText, type StdinReader } from './read-text.js';
import { expandPaths, type PathOptions, STDIN } from './walk.js';

export interface LoadedDocuments {
  readonly documents: readonly LoadedDocument[];
  readonly issues: readonly IoDiagnostic[];
}

/** The warning for a command-line path that yielded no document; the CLI makes it an error (`--allow-empty`). */
function emptyInput(path: string, isFolder: boolean): IoDiagnostic {
  const message =
    path === STDIN
      ? 'no YAML documents on standard input'
      : isFolder
        ? `no YAML documents in folder ${path}`
        : `no YAML documents in ${path}`;
  return ioDiagnostic('input/empty', message, { file: displayName(path), severity: 'warning' });
}

/**
 * Every document of every file below `paths` (folders walked, `-` = stdin, `kind: List` expanded). A
 * path that yields no document and no error (an empty file, a folder without YAML, empty standard
 * input: often a failed `helm template`) is an `input/empty` warning naming it.
 */
export function loadPaths(
  paths: readonly string[],
  stdin?: StdinReader,
  options: PathOptions = {},
): LoadedDocuments {
  const documents: LoadedDocument[] = [];
  const stream = streamPaths(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return { documents, issues: step.value };
    documents.push(step.value);
  }
}

/**
 * `loadPaths` one document at a time (a file is read when its first document is asked for); the
 * generator returns the problems, in the order `loadPaths` gives them.
 */
export function* streamPaths(
  paths: readonly string[],
  stdin?: StdinReader,
  options: PathOptions = {},
): Generator<LoadedDocument, readonly IoDiagnostic[], void> {
  const issues: IoDiagnostic[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const walked = expandPaths([path], options);
    issues.push(...walked.issues);
    let found = 0;
    let failed = walked.issues.some((d) => d.severity === 'error');
    for (const file of walked.files) {
      if (seen.has(file)) {
        found++;
        continue;
      }
      seen.add(file);
      const read = readText(file, stdin);
      if (!read.ok) {
        issues.push(read.issue);
        failed = true;
        continue;
      }
      const fromFolder = file !== path;
      const stream = streamDocuments(read.text, displayName(file), { expandLists: true });
      for (let step = stream.next(); ; step = stream.next()) {
        if (step.done === true) {
          issues.push(...step.value);
          if (step.value.some((d) => d.severity === 'error')) failed = true;
          break;
        }
        found++;
        yield fromFolder ? { ...step.value, fromFolder: true } : step.value;
      }
    }
    if (found === 0 && !failed) issues.push(emptyInput(path, walked.files[0] !== path));
  }
  return issues;
}

/**
 * One file (never a folder) that must hold one document: a values, user-info or context file.
 * The first document is returned; `strict` files treat a repeated key as an error, as Kyverno does.
 */
export function loadSingleFile(
  path: string,
  options: LoadOptions = {},
): { document?: LoadedDocument; issues: readonly IoDiagnostic[] } {
  const read = readText(path);
  if (!read.ok) return { issues: [read.issue] };
  const loaded = loadDocuments(read.text, path, options);
  if (loaded.issues.some((d) => d.severity === 'error')) return { issues: loaded.issues };
  const document = loaded.documents[0];
  return document !== undefined ? { document, issues: loaded.issues } : { issues: loaded.issues };
}
