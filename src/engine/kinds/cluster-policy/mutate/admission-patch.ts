/**
 * @module The admission response patch: an RFC 6902 diff from the original object to the mutated
 * one (Kyverno recomputes the patch by diffing, `engineresponse.go` GetPatches, reference §4).
 * Maps are diffed key by key, lists element by element (extra elements added or removed from the
 * end), anything else is replaced.
 */
import type { JsonPatchOperation } from './patches-json6902.js';

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

function diff(from: unknown, to: unknown, path: string, out: JsonPatchOperation[]): void {
  if (equal(from, to)) return;
  if (isMap(from) && isMap(to)) {
    for (const key of Object.keys(from)) {
      if (from[key] !== undefined && (!Object.hasOwn(to, key) || to[key] === undefined))
        out.push({ op: 'remove', path: `${path}/${escapeToken(key)}` });
    }
    for (const [key, value] of Object.entries(to)) {
      if (value === undefined) continue;
      const child = `${path}/${escapeToken(key)}`;
      if (!Object.hasOwn(from, key) || from[key] === undefined) out.push({ op: 'add', path: child, value });
      else diff(from[key], value, child, out);
    }
    return;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const common = Math.min(from.length, to.length);
    for (let i = 0; i < common; i++) diff(from[i], to[i], `${path}/${i}`, out);
    // Remove from the end so earlier indices stay valid while the patch is applied in order.
    for (let i = from.length - 1; i >= to.length; i--) out.push({ op: 'remove', path: `${path}/${i}` });
    for (let i = common; i < to.length; i++) out.push({ op: 'add', path: `${path}/${i}`, value: to[i] });
    return;
  }
  out.push({ op: 'replace', path, value: to });
}

/** The JSON Patch turning `original` into `mutated`; empty when they are equal. */
export function createAdmissionPatch(original: unknown, mutated: unknown): JsonPatchOperation[] {
  const out: JsonPatchOperation[] = [];
  diff(original, mutated, '', out);
  return out;
}
