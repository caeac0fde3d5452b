/**
 * @module Wildcard keys in `metadata.labels` / `metadata.annotations` of a pattern (Kyverno
 * `wildcards.ExpandInMetadata`): a key containing `*` or `?` is replaced by the first resource key it
 * matches (anchors on the key are kept), so `app.kubernetes.io/*: "?*"` checks the label that exists.
 * Unmatched wildcard keys stay literal and then fail as missing. Only string-valued entries are kept.
 */

import { isPlainMap } from '../anchors/handler.js';
import { anchorKey, parseAnchor } from '../anchors/parse.js';
import { hasWildcard, wildcardMatch } from '../units/wildcard.js';

type JsonMap = Readonly<Record<string, unknown>>;

/** Returns the pattern map with metadata label/annotation keys expanded; the input is not modified. */
export function expandMetadataWildcards(pattern: JsonMap, resource: JsonMap): JsonMap {
  const keys = expansionKeys(pattern, resource);
  return keys === undefined ? pattern : expandWithKeys(pattern, keys);
}

/**
 * All that expansion reads of the resource: for `labels` and `annotations` (when the pattern has a
 * map of strings there), the keys of the resource's map that hold strings, or undefined. Undefined
 * as a whole when the pattern stays as it is whatever those keys are.
 */
export type ExpansionKeys = readonly [
  labels: readonly string[] | undefined,
  annotations: readonly string[] | undefined,
];

const TAGS = ['labels', 'annotations'] as const;

export function expansionKeys(pattern: JsonMap, resource: JsonMap): ExpansionKeys | undefined {
  const [metadataKey, patternMetadata] = entryFor('metadata', pattern);
  if (metadataKey === undefined || patternMetadata === null || patternMetadata === undefined)
    return undefined;
  const resourceMetadata = resource.metadata;
  if (resourceMetadata === null || resourceMetadata === undefined) return undefined;
  if (!isPlainMap(patternMetadata)) return undefined;
  const out: [readonly string[] | undefined, readonly string[] | undefined] = [undefined, undefined];
  for (let i = 0; i < TAGS.length; i++) {
    const tag = TAGS[i] as (typeof TAGS)[number];
    if (stringMapFor(tag, patternMetadata)[0] === undefined) continue;
    out[i] = stringKeysFor(tag, resourceMetadata);
  }
  return out[0] === undefined && out[1] === undefined ? undefined : out;
}

/** The expansion of `pattern` for a resource with these keys (`expansionKeys`). */
export function expandWithKeys(pattern: JsonMap, keys: ExpansionKeys): JsonMap {
  const [metadataKey, patternMetadata] = entryFor('metadata', pattern);
  if (metadataKey === undefined || !isPlainMap(patternMetadata)) return pattern;
  let metadata: Record<string, unknown> | undefined;
  for (let i = 0; i < TAGS.length; i++) {
    const [patternKey, patternData] = stringMapFor(TAGS[i] as string, patternMetadata);
    const resourceKeys = keys[i];
    if (patternKey === undefined || patternData === undefined || resourceKeys === undefined) continue;
    metadata ??= { ...patternMetadata };
    metadata[patternKey] = expandKeys(patternData, resourceKeys);
  }
  // Object.assign, not `{ ...pattern, [key]: v }`: V8 builds that literal in the old space, which
  // keeps the request's young objects alive through scavenges (docs/decisions/0007-performance.md).
  return metadata === undefined ? pattern : Object.assign({}, pattern, { [metadataKey]: metadata });
}

/**
 * False when `expandMetadataWildcards` gives a map equal to `pattern` whatever the resource: its
 * metadata labels/annotations (if any) are maps of strings without wildcard keys.
 */
export function mayExpandMetadataWildcards(pattern: JsonMap): boolean {
  const [metadataKey, patternMetadata] = entryFor('metadata', pattern);
  if (metadataKey === undefined || !isPlainMap(patternMetadata)) return false;
  for (const tag of ['labels', 'annotations']) {
    const [key, value] = entryFor(tag, patternMetadata);
    if (key === undefined || !isPlainMap(value)) continue;
    for (const [k, v] of Object.entries(value))
      if (typeof v !== 'string' || hasWildcard(k) || k === '__proto__') return true;
  }
  return false;
}

// A tag matches its plain key or any anchor around it (`=(labels)`).
function entryFor(tag: string, map: JsonMap): [string | undefined, unknown] {
  for (const [k, v] of Object.entries(map)) {
    if (k === tag || parseAnchor(k)?.key === tag) return [k, v];
  }
  return [undefined, undefined];
}

function stringMapFor(tag: string, data: unknown): [string | undefined, Record<string, string> | undefined] {
  if (!isPlainMap(data)) return [undefined, undefined];
  const [key, value] = entryFor(tag, data);
  if (key === undefined || !isPlainMap(value)) return [undefined, undefined];
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return [key, out];
}

/**
 * The keys of the resource's `tag` map that hold strings, in order: what `stringMapFor` would keep,
 * without copying the values (this runs per request; the resource's maps can be large). `__proto__`
 * is left out, as assigning it in a copy would not make a key.
 */
function stringKeysFor(tag: string, data: unknown): readonly string[] | undefined {
  if (!isPlainMap(data)) return undefined;
  const [key, value] = entryFor(tag, data);
  if (key === undefined || !isPlainMap(value)) return undefined;
  const keys: string[] = [];
  for (const k of Object.keys(value)) if (typeof value[k] === 'string' && k !== '__proto__') keys.push(k);
  return keys;
}

function expandKeys(pattern: Record<string, string>, resource: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pattern)) {
    if (!hasWildcard(k)) {
      out[k] = v;
      continue;
    }
    const a = parseAnchor(k);
    if (a !== undefined) out[anchorKey(a.modifier, firstMatchingKey(a.key, resource))] = v;
    else out[firstMatchingKey(k, resource)] = v;
  }
  return out;
}

function firstMatchingKey(wildcardKey: string, resourceKeys: readonly string[]): string {
  return resourceKeys.find((k) => wildcardMatch(wildcardKey, k)) ?? wildcardKey;
}
