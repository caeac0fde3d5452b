/**
 * @module How k8s-manifest-sigstore compares a resource with its signed manifest (mapnode Ravel and
 * Diff, then the ignore fields): both are flattened to dotted keys (`spec.ports.0.port`), keys whose
 * values differ are differences, a value missing on one side equals a zero value on the other, and
 * a difference whose key matches an ignore pattern (`*` any text, matched anywhere in the key, with
 * a `*` added at the end) is dropped.
 */

export interface Difference {
  readonly key: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Leaves by dotted key; an empty map or list is a leaf. */
export function ravel(
  value: unknown,
  prefix = '',
  out: Map<string, unknown> = new Map(),
): Map<string, unknown> {
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : value !== null && typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>)
      : undefined;
  if (entries === undefined || entries.length === 0) {
    if (prefix !== '') out.set(prefix, value);
    return out;
  }
  for (const [k, v] of entries) ravel(v, prefix === '' ? k : `${prefix}.${k}`, out);
  return out;
}

function isZero(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    v === '' ||
    v === 0 ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
  );
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The differences between the manifest (`before`) and the resource (`after`), in key order. */
export function manifestDiff(manifest: unknown, resource: unknown): Difference[] {
  const m1 = ravel(manifest);
  const m2 = ravel(resource);
  const keys = [...new Set([...m1.keys(), ...m2.keys()])].sort();
  const out: Difference[] = [];
  for (const key of keys) {
    const before = m1.get(key);
    const after = m2.get(key);
    if (same(before, after)) continue;
    // MatchDefaultWithNil: an absent value and a zero value are the same.
    if ((before === undefined && isZero(after)) || (after === undefined && isZero(before))) continue;
    out.push({ key, before: before ?? null, after: after ?? null });
  }
  return out;
}

/** Whether `key` matches an ignore pattern (mapnode's Filter: `*` appended, unanchored). */
export function ignoredBy(patterns: readonly string[], key: string): boolean {
  return patterns.some((p) => {
    const pattern = `${p}*`;
    if (pattern === '*' || key === pattern) return true;
    try {
      return new RegExp(pattern.replaceAll('*', '.*')).test(key);
    } catch {
      return false;
    }
  });
}

export function diffText(diff: readonly Difference[]): string {
  return JSON.stringify({
    items: diff.map((d) => ({ key: d.key, values: { before: d.before, after: d.after } })),
  });
}
