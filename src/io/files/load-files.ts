/** @module Reads and parses a set of files into documents, collecting every problem on the way. */
import type { IoDiagnostic } from '../codes.js';
import { type LoadedDocument, loadDocuments } from '../yaml/load-documents.js';
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
    const loaded = loadDocuments(read.text, displayName(file), { expandLists: true });
    documents.push(...loaded.documents);
    issues.push(...loaded.issues);
  }
  return { documents, issues };
}
