/** @module A values file read from disk (decoding and variable precedence: values-spec.ts). */
import { loadSingleFile } from './load-files.js';
import { decodeValuesDocument, type LoadedValues } from './values-spec.js';

export type { LoadedValues, ValuesPolicy, ValuesRule, ValuesSpec } from './values-spec.js';
export { computeVariableValues, namespaceLabels, parseSetPairs } from './values-spec.js';

/** Loads a `kind: Values` file. A file without apiVersion/kind is the deprecated schema: an error. */
export function loadValuesFile(path: string): LoadedValues {
  const loaded = loadSingleFile(path, { duplicateKeys: 'error' });
  if (loaded.issues.length > 0) return { issues: loaded.issues };
  return decodeValuesDocument(loaded.document, path);
}
