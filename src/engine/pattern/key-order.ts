/**
 * @module The order in which a pattern map's keys are checked (Kyverno `validateMap` and
 * `getSortedNestedAnchorResource`). The first failure wins, so the order decides fail vs skip:
 * 1. condition, existence, equality and negation anchors, sorted;
 * 2. the other keys: global anchors and keys whose subtree holds anchors first (in reverse sorted
 *    order, as Kyverno pushes them to the front one by one), then the rest, sorted.
 */
import { type AnchorModifier, parseAnchor } from '../anchors/parse.js';

const PHASE_ONE: readonly AnchorModifier[] = ['condition', 'existence', 'equality', 'negation'];
const NESTED: readonly AnchorModifier[] = [...PHASE_ONE, 'global'];

export interface OrderedKeys {
  readonly anchors: readonly string[];
  readonly others: readonly string[];
}

export function orderPatternKeys(pattern: Readonly<Record<string, unknown>>): OrderedKeys {
  const anchors: string[] = [];
  const rest: string[] = [];
  for (const key of Object.keys(pattern).sort(byBytes)) {
    const a = parseAnchor(key);
    if (a !== undefined && PHASE_ONE.includes(a.modifier)) anchors.push(key);
    else rest.push(key);
  }
  const front: string[] = [];
  const back: string[] = [];
  for (const key of rest) {
    if (parseAnchor(key)?.modifier === 'global' || hasNestedAnchors(pattern[key], 0)) front.unshift(key);
    else back.push(key);
  }
  return { anchors, others: [...front, ...back] };
}

function hasNestedAnchors(value: unknown, depth: number): boolean {
  if (depth > 512 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => hasNestedAnchors(v, depth + 1));
  const map = value as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    const a = parseAnchor(key);
    if (a !== undefined && NESTED.includes(a.modifier)) return true;
  }
  return Object.values(map).some((v) => hasNestedAnchors(v, depth + 1));
}

// Go's sort.Strings compares bytes; UTF-16 order agrees for all but astral characters.
function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
