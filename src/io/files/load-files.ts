/** @module Reads and parses a set of files into documents, collecting every problem on the way. */
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import {
  type DocumentChunk,
  type LoadedDocument,
  type LoadOptions,
  loadDocuments,
  streamDocuments,
} from '../yaml/load-documents.js';
import { readFileChunks } from './file-chunks.js';
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
  const stream = streamPathUnits(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return step.value;
    if ('document' in step.value) yield step.value.document;
  }
}

/** How to cut large files into pieces read elsewhere (`readFileChunks`, as `documentChunks` cuts a text). */
export interface ChunkSplit {
  readonly documents: number;
  readonly minDocuments: number;
}

/** What reading the documents of a piece of a file found (its reader's report). */
export interface ChunkRead {
  /** Documents given (after `kind: List` expansion), up to a refused one. */
  readonly documents: number;
  /** The piece's YAML diagnostics (a duplicate key). */
  readonly issues: readonly IoDiagnostic[];
  /** The first document only the whole file's full load reports (a syntax error). */
  readonly refusedAt?: number;
}

/**
 * What `streamPathUnits` gives: a document, a piece of a large file for the consumer to read, or the
 * end of such a file, where the consumer answers (`next(reads)`) with the reads of its pieces in
 * order, up to and including the first that refused a document.
 */
export type PathUnit =
  | { readonly document: LoadedDocument }
  | { readonly chunk: DocumentChunk; readonly fromFolder: boolean }
  | { readonly fileEnd: string };

/**
 * `streamPaths`, with files of at least `split.minDocuments` documents given as pieces instead (when
 * `split` is set and the fast path can cut them). A file whose piece refused a document continues
 * here, as `streamDocuments` would have read it from that document on, and its diagnostics are then
 * the full loader's alone, as they would have been.
 */
export function* streamPathUnits(
  paths: readonly string[],
  stdin?: StdinReader,
  options: PathOptions = {},
  split?: ChunkSplit,
): Generator<PathUnit, readonly IoDiagnostic[], readonly ChunkRead[] | undefined> {
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
      const fromFolder = file !== path;
      const name = displayName(file);
      // A large file is cut from its bytes, in bounded pieces; it is read whole only to continue
      // from a document a piece refused (rare: a syntax error), or when it cannot be cut.
      const pieces = split !== undefined && file !== STDIN ? readFileChunks(file, name, split) : undefined;
      let from = 0;
      if (pieces !== undefined) {
        for (const chunk of pieces) yield { chunk, fromFolder };
        const reads = (yield { fileEnd: name }) ?? [];
        for (const r of reads) found += r.documents;
        const refused = reads.find((r) => r.refusedAt !== undefined)?.refusedAt;
        if (refused === undefined) {
          for (const r of reads) issues.push(...r.issues);
          if (reads.some((r) => r.issues.some((d) => d.severity === 'error'))) failed = true;
          continue;
        }
        // Read here from the refused document on: the earlier ones were given in the pieces.
        from = refused;
      }
      const read = readText(file, stdin);
      if (!read.ok) {
        issues.push(read.issue);
        failed = true;
        continue;
      }
      const stream = streamDocuments(read.text, name, { expandLists: true });
      for (let step = stream.next(); ; step = stream.next()) {
        if (step.done === true) {
          issues.push(...step.value);
          if (step.value.some((d) => d.severity === 'error')) failed = true;
          break;
        }
        if (step.value.index < from) continue;
        found++;
        yield { document: fromFolder ? { ...step.value, fromFolder: true } : step.value };
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
