/** @module Deep equality of decoded JSON values (Go `reflect.DeepEqual` on unmarshalled data). */
export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqualJson(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    const bo = b as Record<string, unknown>;
    return ka.every((k) => Object.hasOwn(bo, k) && deepEqualJson((a as Record<string, unknown>)[k], bo[k]));
  }
  return false;
}
