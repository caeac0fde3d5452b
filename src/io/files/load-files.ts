/** @module Reads and parses a set of files into documents, collecting every problem on the way. */
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { type LoadedDocument, type LoadOptions, loadDocuments } from '../yaml/load-documents.js';
import { displayName, readText, type StdinReader } from './read-text.js';
import { expandPaths } from './walk.js';

export interface LoadedDocuments {
  readonly documents: readonly LoadedDocument[];
  readonly issues: readonly IoDiagnostic[];
}

/** Every document of every file below `paths` (folders walked, `-` = stdin, `kind: List` expanded). */
export function loadPaths(paths: readonly string[], stdin?: StdinReader): LoadedDocuments {
  const walked = expandPaths(paths);
  const issues: IoDiagnostic[] = [...walked.issues];
  const documents: LoadedDocument[] = [];
  for (const file of walked.files) {
    const read = readText(file, stdin);
    if (!read.ok) {
      issues.push(read.issue);
      continue;
    }
    const name = displayName(file);
    const loaded = loadDocuments(read.text, name, { expandLists: true });
    documents.push(...loaded.documents);
    issues.push(...loaded.issues);
    // An empty file named on purpose is probably a mistake (a failed `helm template > x.yaml`); say so.
    if (loaded.documents.length === 0 && loaded.issues.length === 0 && paths.includes(file))
      issues.push(
        ioDiagnostic('input/empty', `no YAML documents in ${name}`, { file: name, severity: 'warning' }),
      );
  }
  return { documents, issues };
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
