/**
 * @module The `images` variable (Kyverno `pkg/utils/api/image.go`): for Pods and pod templates
 * (workload controllers, CronJob job templates), `images.<containers|initContainers|
 * ephemeralContainers>.<containerName>` = `{registry, name, path, tag, digest, reference, referenceWithTag}`.
 */
import type { KubeObject } from '../model/kube-object.js';
import { BoundedMemo } from '../units/bounded-memo.js';
import { parseImageReference, parseImageReferenceDetailed } from '../units/image-reference.js';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
const TEMPLATE_KINDS = new Set([
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);

export interface ImageOptions {
  readonly defaultRegistry?: string;
  readonly mutateDefaultRegistry?: boolean;
}

function podSpecOf(resource: KubeObject): unknown {
  const path = podSpecPath(resource.kind);
  if (path === undefined) return undefined;
  // field's walk without its rest array (once per resource).
  let cur: unknown = resource;
  for (let i = 0; i < path.length; i++) cur = step(cur, path[i] as string);
  return cur;
}

/** The value at `key` of a map; undefined for anything else (an array or a scalar has no field). */
function step(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj)
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}

/** The `images` map of a resource, or undefined when it holds no container image. */
export function extractImages(
  resource: KubeObject,
  options: ImageOptions = {},
): Record<string, Record<string, Record<string, string>>> | undefined {
  const spec = podSpecOf(resource);
  if (spec === undefined) return undefined;
  const out: Record<string, Record<string, Record<string, string>>> = {};
  let count = 0;
  for (const list of CONTAINER_LISTS) {
    const containers = step(spec, list);
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      const name = step(container, 'name');
      const image = step(container, 'image');
      if (typeof name !== 'string' || typeof image !== 'string') continue;
      const entry = imageEntry(image, options);
      if (entry === undefined) continue;
      out[list] ??= {};
      out[list][name] = entry;
      count++;
    }
  }
  return count > 0 ? out : undefined;
}

function buildEntry(image: string, options: ImageOptions): Record<string, string> | undefined {
  const info = parseImageReference(image, options);
  if (!info) return undefined;
  const entry: Record<string, string> = {};
  for (const [k, v] of Object.entries(info)) if (typeof v === 'string' && v !== '') entry[k] = v;
  // name and path are always present in Kyverno's ImageInfo JSON, even when empty.
  entry.name = info.name ?? '';
  entry.path = info.path ?? '';
  return entry;
}

// The same images recur across requests: entries (with the default options) are parsed once and
// shared, as every context already shares its request's `images` (nothing changes them in place).
// Bounded, emptied when full.
const MAX_ENTRIES = 1024;
const entries = new BoundedMemo<string, Record<string, string> | null>(MAX_ENTRIES);

function imageEntry(image: string, options: ImageOptions): Record<string, string> | undefined {
  if (options.defaultRegistry !== undefined || options.mutateDefaultRegistry !== undefined)
    return buildEntry(image, options);
  const hit = entries.get(image);
  if (hit !== undefined) return hit ?? undefined;
  const entry = buildEntry(image, options);
  entries.set(image, entry ?? null);
  return entry;
}

// Why an image text does not parse (null: it parses), with the default options: kept by text as
// the entries are, since every request checks its images once.
const parseErrors = new BoundedMemo<string, string | null>(MAX_ENTRIES);

function imageParseError(image: string, options: ImageOptions): string | undefined {
  const defaults = options.defaultRegistry === undefined && options.mutateDefaultRegistry === undefined;
  const hit = defaults ? parseErrors.get(image) : undefined;
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parseImageReferenceDetailed(image, options);
  const why = parsed.ok ? undefined : parsed.error;
  if (defaults) parseErrors.set(image, why ?? null);
  return why;
}

/** Where each kind keeps its pod spec (Kyverno's registered image extractors). */
function podSpecPath(kind: string | undefined): readonly string[] | undefined {
  if (kind === 'Pod') return POD_PATH;
  if (kind === 'CronJob') return CRONJOB_PATH;
  if (kind !== undefined && TEMPLATE_KINDS.has(kind)) return TEMPLATE_PATH;
  return undefined;
}

// Made once, not per resource (every request builds `images` and checks its error).
const POD_PATH: readonly string[] = Object.freeze(['spec']);
const CRONJOB_PATH: readonly string[] = Object.freeze(['spec', 'jobTemplate', 'spec', 'template', 'spec']);
const TEMPLATE_PATH: readonly string[] = Object.freeze(['spec', 'template', 'spec']);

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why Kyverno could not build the `images` variable of a resource (pkg/utils/api/image.go,
 * extract), or undefined: on the way to a container list every present (non-null) step must be a
 * map ("invalid image config"); the list must be a list or a map ("invalid type"); each non-null
 * entry must be a map ("invalid image config") with a string `name` ("invalid key"), and a
 * non-blank string `image` must parse ("invalid image '<image>' (<why>)"). Kyverno loads `images`
 * when a query first names it, so this is the error of those queries only.
 */
export function imagesError(resource: KubeObject, options: ImageOptions = {}): string | undefined {
  const path = podSpecPath(resource.kind);
  if (path === undefined) return undefined;
  for (const list of CONTAINER_LISTS) {
    let current: unknown = resource;
    let error: string | undefined;
    for (const step of path) {
      if (current === undefined || current === null) break;
      if (!isMap(current)) {
        error = 'invalid image config';
        break;
      }
      current = current[step];
    }
    if (error !== undefined) return error;
    if (current === undefined || current === null) continue;
    if (!isMap(current)) return 'invalid image config';
    const containers = current[list];
    if (containers === undefined || containers === null) continue;
    const entries = Array.isArray(containers)
      ? containers
      : isMap(containers)
        ? Object.values(containers)
        : undefined;
    if (entries === undefined) return 'invalid type';
    for (const entry of entries) {
      if (entry === undefined || entry === null) continue;
      if (!isMap(entry)) return 'invalid image config';
      if (typeof entry.name !== 'string') return 'invalid key';
      const image = entry.image;
      if (typeof image !== 'string' || image.trim() === '') continue;
      const why = imageParseError(image, options);
      if (why !== undefined) return `invalid image '${image}' (${why})`;
    }
  }
  return undefined;
}
