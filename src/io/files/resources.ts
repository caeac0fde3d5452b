/** @module Resource files → Kubernetes objects, as Kyverno's CLI loads them (decoding: resource-documents.ts). */
import type { IoDiagnostic } from '../codes.js';
import type { DocumentChunk, LoadedDocument } from '../yaml/load-documents.js';
import { foreignReason, nothingLeft, skippedNotice } from './foreign-documents.js';
import { type ChunkRead, type ChunkSplit, streamPathUnits } from './load-files.js';
import type { StdinReader } from './read-text.js';
import { type LoadedResource, type LoadedResources, toResource } from './resource-documents.js';
import type { PathOptions } from './walk.js';

export type { ChunkRead, ChunkSplit } from './load-files.js';
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
  const stream = streamResourceUnits(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return step.value;
    if ('resource' in step.value) yield step.value.resource;
  }
}

/** A document as a resource, or why it is not one: a skipped notice (`skipped`) or a problem. */
export type DocumentAsResource =
  | { readonly resource: LoadedResource }
  | { readonly notice: IoDiagnostic; readonly skipped: boolean };

/** What `streamResources` makes of one document. */
export function documentAsResource(doc: LoadedDocument): DocumentAsResource {
  const foreign = foreignReason(doc, 'a Kubernetes object');
  if (foreign !== undefined) return { notice: skippedNotice(doc, foreign), skipped: true };
  const r = toResource(doc);
  return r.ok ? { resource: r.value } : { notice: r.issue, skipped: false };
}

/** What reading the resources of a piece of a file found (`documentAsResource` of each document). */
export interface ChunkResources extends ChunkRead {
  readonly found: number;
  readonly skipped: number;
  readonly notices: readonly IoDiagnostic[];
}

/** A resource, a piece of a large file, or the end of one (answered with `ChunkResources`): see `streamPathUnits`. */
export type ResourceUnit =
  | { readonly resource: LoadedResource }
  | { readonly chunk: DocumentChunk; readonly fromFolder: boolean }
  | { readonly fileEnd: string };

/** `streamResources` over `streamPathUnits`: the consumer reads the pieces and answers each file's end. */
export function* streamResourceUnits(
  paths: readonly string[],
  stdin?: StdinReader,
  options: PathOptions = {},
  split?: ChunkSplit,
): Generator<ResourceUnit, readonly IoDiagnostic[], readonly ChunkResources[] | undefined> {
  const stream = streamPathUnits(paths, stdin, options, split);
  // Notices about skipped documents come after the problems of loading, as `loadPaths` reports all of those first.
  const notices: IoDiagnostic[] = [];
  let found = 0;
  let skipped = 0;
  let answer: readonly ChunkResources[] | undefined;
  for (let step = stream.next(answer); ; step = stream.next(answer)) {
    answer = undefined;
    if (step.done === true) {
      const issues = [...step.value, ...notices];
      if (found === 0 && skipped > 0) issues.push(nothingLeft(paths, skipped, 'Kubernetes objects'));
      return issues;
    }
    const unit = step.value;
    if ('chunk' in unit) {
      yield unit;
      continue;
    }
    if ('fileEnd' in unit) {
      answer = (yield unit) ?? [];
      for (const r of answer) {
        found += r.found;
        skipped += r.skipped;
        notices.push(...r.notices);
      }
      continue;
    }
    const r = documentAsResource(unit.document);
    if ('resource' in r) {
      found++;
      yield r;
    } else {
      if (r.skipped) skipped++;
      notices.push(r.notice);
    }
  }
}
