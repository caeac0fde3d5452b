/** @module Policy files and folders → decoded policies (decoding: policy-documents-decode.ts). */
import type { IoDiagnostic } from '../codes.js';
import { attachSource } from '../yaml/source-map.js';
import { nothingLeft } from './foreign-documents.js';
import { loadPaths } from './load-files.js';
import type { PolicyDecoder } from './policy-decoder.js';
import {
  classifyPolicyDocument,
  decodePolicyDocuments,
  type LoadedCelException,
  type LoadedException,
  type LoadedPolicies,
} from './policy-documents-decode.js';
import type { StdinReader } from './read-text.js';
import type { PathOptions } from './walk.js';

export type {
  DocumentClass,
  LoadedCelException,
  LoadedDocumentOf,
  LoadedException,
  LoadedMutatingAdmissionPolicy,
  LoadedMutatingAdmissionPolicyBinding,
  LoadedMutatingPolicy,
  LoadedPolicies,
  LoadedPolicy,
  LoadedValidatingPolicy,
  UnsupportedPolicy,
} from './policy-documents-decode.js';
export { classifyPolicyDocument, decodePolicyDocuments } from './policy-documents-decode.js';

/**
 * Loads policies (and any exceptions found among them) from files and folders. Documents that are
 * not policies are errors, as in Kyverno (`policy type not supported`).
 */
export function loadPolicies(
  paths: readonly string[],
  decoder: PolicyDecoder,
  stdin?: StdinReader,
  options: PathOptions = {},
): LoadedPolicies {
  const loaded = decodePolicyDocuments(loadPaths(paths, stdin, options), decoder);
  if (!loaded.loadedAny && loaded.skipped > 0) {
    return { ...loaded, issues: [...loaded.issues, nothingLeft(paths, loaded.skipped, 'policies')] };
  }
  return loaded;
}

/**
 * Loads PolicyExceptions of both API groups (kyverno.io and policies.kyverno.io); other documents
 * in these files are ignored, as in Kyverno.
 */
export function loadExceptions(
  paths: readonly string[],
  decoder: PolicyDecoder,
  stdin?: StdinReader,
): {
  exceptions: LoadedException[];
  celExceptions: LoadedCelException[];
  issues: IoDiagnostic[];
} {
  const loaded = loadPaths(paths, stdin);
  const issues: IoDiagnostic[] = [...loaded.issues];
  const exceptions: LoadedException[] = [];
  const celExceptions: LoadedCelException[] = [];
  for (const doc of loaded.documents) {
    const cls = classifyPolicyDocument(doc.value);
    if (cls === 'kyverno-exception') {
      const r = decoder.loadPolicyException(doc.value);
      if (r.ok) exceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === 'cel-exception') {
      const r = decoder.loadCelPolicyException(doc.value);
      if (r.ok) celExceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    }
  }
  return { exceptions, celExceptions, issues };
}
