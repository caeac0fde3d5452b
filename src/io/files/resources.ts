/** @module Resource files → Kubernetes objects, as Kyverno's CLI loads them (decoding: resource-documents.ts). */
import type { IoDiagnostic } from '../codes.js';
import { foreignReason, nothingLeft, skippedNotice } from './foreign-documents.js';
import { streamPaths } from './load-files.js';
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
  const resources: LoadedResource[] = [];
  const stream = streamResources(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return { resources, issues: step.value };
    resources.push(step.value);
  }
}

/**
 * `loadResources` one resource at a time, each decoded when asked for (memory does not grow with the
 * input when the consumer keeps none); the generator returns the problems, in `loadResources`' order.
 */
export function* streamResources(
  paths: readonly string[],
  stdin?: StdinReader,
  options: PathOptions = {},
): Generator<LoadedResource, readonly IoDiagnostic[], void> {
  const stream = streamPaths(paths, stdin, options);
  // Notices about skipped documents come after the problems of loading, as `loadPaths` reports all of those first.
  const notices: IoDiagnostic[] = [];
  let found = 0;
  let skipped = 0;
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) {
      const issues = [...step.value, ...notices];
      if (found === 0 && skipped > 0) issues.push(nothingLeft(paths, skipped, 'Kubernetes objects'));
      return issues;
    }
    const doc = step.value;
    const foreign = foreignReason(doc, 'a Kubernetes object');
    if (foreign !== undefined) {
      skipped++;
      notices.push(skippedNotice(doc, foreign));
      continue;
    }
    const r = toResource(doc);
    if (r.ok) {
      found++;
      yield r.value;
    } else notices.push(r.issue);
  }
}
