/** @module The contract between the pattern walker and the per-anchor handlers. */
import type { ElementResult } from '../pattern/failure.js';

/** Validates one resource value against one pattern value at a Kyverno path (`/spec/x/`). */
export type ValidateElement = (resource: unknown, pattern: unknown, path: string) => ElementResult;

export interface AnchorInput {
  /** The key inside the anchor: `image` for `(image)`. */
  readonly key: string;
  /** The pattern value under the anchor key. */
  readonly pattern: unknown;
  /** The resource map holding (or lacking) `key`. */
  readonly resource: Readonly<Record<string, unknown>>;
  /** Path of the enclosing map, ending in `/`. */
  readonly path: string;
  readonly validate: ValidateElement;
}

export function hasKey(map: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(map, key);
}

/** A resource value as Go sees it: an absent key reads as nil. */
export function valueAt(map: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(map, key) ? (map[key] ?? null) : null;
}

/** A JSON object (not null, not an array). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
