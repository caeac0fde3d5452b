/** @module Resource files → Kubernetes objects, as Kyverno's CLI loads them (decoding: resource-documents.ts). */
import type { IoDiagnostic } from '../codes.js';
import { foreignReason, nothingLeft, skippedNotice } from './foreign-documents.js';
import { loadPaths } from './load-files.js';
import type { StdinReader } from './read-text.js';
import { type LoadedResource, type LoadedResources, toResource } from './resource-documents.js';
import type { PathOptions } from './walk.js';

export type { LoadedResource, LoadedResources } from './resource-documents.js';
export { removeDuplicates, resourceKey, toResource } from './resource-documents.js';

export function loadResources(
  paths: readonly string[],
  stdin?: StdinReader,
  options: PathOptions = {},
): LoadedResources {
  const loaded = loadPaths(paths, stdin, options);
  const issues: IoDiagnostic[] = [...loaded.issues];
  const resources: LoadedResource[] = [];
  let skipped = 0;
  for (const doc of loaded.documents) {
    const foreign = foreignReason(doc, 'a Kubernetes object');
    if (foreign !== undefined) {
      skipped++;
      issues.push(skippedNotice(doc, foreign));
      continue;
    }
    const r = toResource(doc);
    if (r.ok) resources.push(r.value);
    else issues.push(r.issue);
  }
  if (resources.length === 0 && skipped > 0) issues.push(nothingLeft(paths, skipped, 'Kubernetes objects'));
  return { resources, issues };
}
