/**
 * @module Source positions for findings: the engine's field path of a failure, mapped through the
 * YAML document the resource was loaded from.
 */
import type { FieldPath, SourceRef } from '../../engine/index.js';
import { type LoadedResource, resourceKey } from '../../io/files/resources.js';
import { locateLazily } from '../../io/yaml/source-map.js';
import { type PolicyInfo, policyInfo } from '../output/findings.js';
import type { CheckedRow } from './check-results.js';

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

/**
 * Failed rows of a test get the position of the offending field in their resource's file. JSON
 * payloads are keyed by their path as written (`payloads`), as the rows name them.
 */
export function locateFailedRows(
  rows: readonly CheckedRow[],
  resources: readonly LoadedResource[],
  payloads: readonly {
    readonly key: string;
    readonly value: LoadedResource['object'];
    readonly source: LoadedResource['source'];
  }[] = [],
): CheckedRow[] {
  const byKey = new Map<string, LoadedResource>();
  for (const r of resources) if (!byKey.has(resourceKey(r.object))) byKey.set(resourceKey(r.object), r);
  for (const p of payloads) if (!byKey.has(p.key)) byKey.set(p.key, { object: p.value, source: p.source });
  return rows.map((row) => {
    if (row.result !== 'Fail' || row.resourceKey === undefined) return row;
    const resource = byKey.get(row.resourceKey);
    return resource !== undefined ? { ...row, location: locateInResource(resource, row.path) } : row;
  });
}

/** Position, field path and policy info of one `apply` rule result (spread into its row). */
export function applyRowSource(
  resource: LoadedResource,
  rule: { readonly path?: FieldPath },
  annotations: Readonly<Record<string, string>> | undefined,
): { location: SourceRef; path?: FieldPath; policyInfo: PolicyInfo } {
  return {
    location: locateInResource(resource, rule.path),
    ...(rule.path !== undefined ? { path: rule.path } : {}),
    policyInfo: policyInfo(annotations),
  };
}
