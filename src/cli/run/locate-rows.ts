/**
 * @module Source positions for findings: the engine's field path of a failure, mapped through the
 * YAML document the resource was loaded from.
 */
import type { FieldPath, SourceRef } from '../../engine/index.js';
import { existingPrefix, locateInResource } from '../../io/files/resource-documents.js';
import { type LoadedResource, resourceKey } from '../../io/files/resources.js';
import { type PolicyInfo, policyInfo } from '../output/findings.js';
import type { CheckedRow } from './check-results.js';

export { existingPrefix, locateInResource };

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

/** Policy info per policy's annotations: computed once per policy, not once per row. */
const infoOf = new WeakMap<object, PolicyInfo>();
const NO_INFO = policyInfo(undefined);

export function cachedPolicyInfo(
  annotations: Readonly<Record<string, string>> | null | undefined,
): PolicyInfo {
  // `annotations:` with no value loads as null (the schema allows it): no info, as for none.
  if (annotations === undefined || annotations === null) return NO_INFO;
  let info = infoOf.get(annotations);
  if (info === undefined) {
    info = policyInfo(annotations);
    infoOf.set(annotations, info);
  }
  return info;
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
    policyInfo: cachedPolicyInfo(annotations),
  };
}
