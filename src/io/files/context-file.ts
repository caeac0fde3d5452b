/** @module A Context file read from disk (decoding: context-documents.ts). */
import { decodeContextDocuments, type LoadedContext } from './context-documents.js';
import { loadPaths } from './load-files.js';

export type { LoadedContext } from './context-documents.js';

/** Loads a Context file; every problem is a diagnostic, never a throw. */
export function loadContextFile(path: string): LoadedContext {
  return decodeContextDocuments(loadPaths([path]));
}
