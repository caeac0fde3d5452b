/** @module Decoded documents → Kubernetes objects, as Kyverno's CLI loads them (pure, browser-safe). */
import type { FieldPath, KubeObject, ObjectMeta, SourceRef } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import type { LoadedDocument } from '../yaml/load-documents.js';
import { documentPath, locate, locateLazily } from '../yaml/source-map.js';
import { isCliClusterScoped } from './cli-cluster-scoped.js';

export interface LoadedResource {
  readonly object: KubeObject;
  readonly source: LoadedDocument;
}

export interface LoadedResources {
  readonly resources: readonly LoadedResource[];
  readonly issues: readonly IoDiagnostic[];
}

/** Checks one decoded document is a Kubernetes object; fills `metadata.namespace` like Kyverno's CLI. */
export function toResource(
  doc: LoadedDocument,
): { ok: true; value: LoadedResource } | { ok: false; issue: IoDiagnostic } {
  const v = doc.value;
  // Every issue is located in its document; `documentPath` adds the `kind: List` item it came from.
  const invalid = (message: string, path: (string | number)[], at: (string | number)[] = path) => ({
    ok: false as const,
    issue: {
      ...ioDiagnostic('resource/invalid', message, { path: documentPath(doc, path) }),
      source: locate(doc, at),
    },
  });
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    return invalid('a resource must be a YAML mapping', []);
  const o = v as KubeObject;
  if (typeof o.kind !== 'string' || o.kind === '') return invalid("Object 'Kind' is missing", ['kind'], []);
  // Fields Kubernetes always decodes as strings (or a mapping): anything else is not an object any
  // API server would accept, and would only confuse matching later on.
  const wrong = wrongTypedField(o);
  if (wrong !== undefined) return invalid(`${wrong.path.join('.')} must be ${wrong.want}`, wrong.path);
  const metadata = withoutWrongTypedMetadata(
    o.metadata !== null && typeof o.metadata === 'object' ? o.metadata : {},
  );
  // The API server refuses an object without either; evaluating one would report it under an empty name.
  if (!metadata.name && !metadata.generateName)
    return invalid(
      `${o.kind} has neither metadata.name nor metadata.generateName`,
      ['metadata', 'name'],
      o.metadata !== null && typeof o.metadata === 'object' ? ['metadata'] : [],
    );
  // Since v1.19 Kyverno's CLI puts a namespace-less resource into `default` only when its group and
  // kind are a known cluster-scoped one; unknown kinds (CRDs) are still taken as namespaced.
  const namespace =
    typeof metadata.namespace === 'string' && metadata.namespace !== ''
      ? metadata.namespace
      : isCliClusterScoped(o.apiVersion, o.kind)
        ? undefined
        : 'default';
  const { namespace: _absent, ...rest } = metadata;
  const meta = namespace === undefined ? rest : { ...rest, namespace };
  const object = withEmptyNilMaps({ ...o, metadata: meta }) as KubeObject;
  return { ok: true, value: { object, source: doc } };
}

/** Fields Kyverno's CLI reads as maps: a null one (`annotations:` with no value) becomes `{}`. */
const MAP_FIELDS: ReadonlySet<string> = new Set([
  'annotations',
  'labels',
  'matchLabels',
  'nodeSelector',
  'data',
  'stringData',
]);

/**
 * Kyverno's CLI (resource.YamlToUnstructured, normalizeNilMaps) turns a null value of one of
 * MAP_FIELDS, at any depth of maps and lists of maps, into an empty map before any policy sees the
 * resource. Copies only what changes; the rest is shared.
 */
function withEmptyNilMaps(value: unknown): unknown {
  // Loops without a pair array or closure per object (every resource is walked whole); scalars are
  // not visited.
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object') continue;
      const next = withEmptyNilMaps(item);
      if (next === item) continue;
      out ??= [...value];
      out[i] = next;
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const field = record[key];
    let next: unknown;
    if (field === null) {
      if (!MAP_FIELDS.has(key)) continue;
      next = {};
    } else if (typeof field !== 'object') continue;
    else {
      next = withEmptyNilMaps(field);
      if (next === field) continue;
    }
    out ??= { ...record };
    out[key] = next;
  }
  return out ?? value;
}

/**
 * Kubernetes' unstructured accessors read a `namespace` that is not a string as absent (the CLI
 * then fills it like a missing one) rather than refusing the object. Wrong-typed `labels` and
 * `annotations` are kept as written: matching reads them as absent, while a pattern or a typed
 * decode (podSecurity) still sees them.
 */
function withoutWrongTypedMetadata(metadata: ObjectMeta): ObjectMeta {
  if (metadata.namespace === undefined || typeof metadata.namespace === 'string') return metadata;
  const { namespace: _wrong, ...rest } = metadata;
  return rest;
}

function wrongTypedField(o: Record<string, unknown>): { path: string[]; want: string } | undefined {
  if (o.apiVersion !== undefined && typeof o.apiVersion !== 'string')
    return { path: ['apiVersion'], want: 'a string' };
  const m = o.metadata;
  if (m === undefined || m === null) return undefined;
  if (typeof m !== 'object' || Array.isArray(m)) return { path: ['metadata'], want: 'a mapping' };
  const meta = m as Record<string, unknown>;
  for (const f of ['name', 'generateName']) {
    const v = meta[f];
    if (v !== undefined && v !== null && typeof v !== 'string')
      return { path: ['metadata', f], want: 'a string' };
  }
  return undefined;
}

/** `apiVersion,Kind,namespace,name`: how `kyverno test` keys engine responses. */
export function resourceKey(o: KubeObject): string {
  return `${o.apiVersion ?? ''},${o.kind ?? ''},${o.metadata?.namespace ?? ''},${o.metadata?.name ?? ''}`;
}

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** Drops later duplicates by group, kind, namespace and name (Kyverno's RemoveDuplicates). */
export function removeDuplicates<T extends { object: KubeObject }>(
  items: readonly T[],
): { uniques: T[]; duplicates: T[] } {
  const seen = new Set<string>();
  const uniques: T[] = [];
  const duplicates: T[] = [];
  for (const it of items) {
    const o = it.object;
    const key = `${groupOf(o.apiVersion)}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;
    if (seen.has(key)) duplicates.push(it);
    else {
      seen.add(key);
      uniques.push(it);
    }
  }
  return { uniques, duplicates };
}

/** The longest prefix of `path` that exists in `value`: a missing field is reported at its parent's key. */
export function existingPrefix(value: unknown, path: FieldPath): FieldPath {
  let node = value;
  let n = 0;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, seg)) break;
    node = (node as Record<string | number, unknown>)[seg];
    n++;
  }
  return path.slice(0, n);
}

/**
 * The position of `path` in the resource's file (the resource's own line when there is no path).
 * Stdin documents get a position too (`<stdin>`, line in the stream); formatters that need a real
 * file (SARIF, GitHub) leave the file out for them.
 */
export function locateInResource(resource: LoadedResource, path: FieldPath | undefined): SourceRef {
  // The document as written: the loaded object may hold fields the loader added (namespace).
  // Line and column are found when a format prints them (they parse the document again).
  return locateLazily(resource.source, existingPrefix(resource.source.value, path ?? []));
}
