/**
 * @module A pattern compiled, once, into a check that answers "certainly passes" without walking it
 * (no walker, paths, plan lookups or results). Most resources pass most patterns: the walker
 * (validate-pattern.ts) then runs only for those that may not, and decides what they get.
 * Only patterns whose maps hold plain keys, equality (`=(k)`) and negation (`X(k)`) anchors, arrays
 * of maps or of scalars, and scalars are compiled; there, Kyverno's walk has no skip, so a pass is
 * every key passing: an absent `=(k)` passes, a present one checks its value as a plain key does;
 * `X(k)` passes when `k` is absent (its value is never read); a plain key checks its value (`null`
 * when absent) and `*` means present; an array of maps checks every element against the first map;
 * a scalar pattern matches the value, or every item of an array value (match-value.ts). Condition,
 * existence and global anchors, metadata wildcard keys, nested arrays and
 * unknown values are left to the walker (no compiled check).
 */
import { isPlainMap } from '../anchors/handler.js';
import type { MapPlan } from './map-plan.js';
import { isScalar, matchValuePattern } from './match-value.js';

type JsonMap = Readonly<Record<string, unknown>>;

/** True when the walk of the pattern it was compiled from passes on `resource`; false: walk it. */
export type QuickPass = (resource: unknown) => boolean;

/** Patterns deeper than this are left to the walker (its own bound and errors apply there). */
const MAX_DEPTH = 64;

/** Compiles `pattern` (with the plans of its maps); undefined when it holds what the walker alone decides. */
export function compileQuickPass(pattern: unknown, planOf: (map: JsonMap) => MapPlan): QuickPass | undefined {
  return compile(pattern, planOf, 0);
}

function compile(pattern: unknown, planOf: (map: JsonMap) => MapPlan, depth: number): QuickPass | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (isPlainMap(pattern)) return compileMap(pattern, planOf, depth);
  if (Array.isArray(pattern)) {
    if (pattern.length === 0) return undefined;
    const first: unknown = pattern[0];
    if (isPlainMap(first)) {
      const element = compileMap(first, planOf, depth + 1);
      if (element === undefined) return undefined;
      return (resource) => {
        if (!Array.isArray(resource)) return false;
        for (let i = 0; i < resource.length; i++) if (!element(resource[i])) return false;
        return true;
      };
    }
    // A scalar first element: an array value is checked item by item against it.
    if (isScalar(first)) {
      const items = compileScalar(first);
      return (resource) => Array.isArray(resource) && items(resource);
    }
    return undefined;
  }
  if (isScalar(pattern)) return compileScalar(pattern);
  return undefined;
}

function compileScalar(pattern: unknown): QuickPass {
  return (resource) => {
    if (!Array.isArray(resource)) return matchValuePattern(resource, pattern);
    for (const item of resource) if (!matchValuePattern(item, pattern)) return false;
    return true;
  };
}

/**
 * One key of a compiled map: `optional` for `=(name)`, `present` for a plain key whose pattern is
 * `*`, `absent` for `X(name)` (the key must not be there; its pattern is never read).
 */
interface CompiledKey {
  readonly name: string;
  readonly optional: boolean;
  readonly present: boolean;
  readonly absent: boolean;
  readonly check: QuickPass;
}

function compileMap(
  pattern: JsonMap,
  planOf: (map: JsonMap) => MapPlan,
  depth: number,
): QuickPass | undefined {
  const plan = planOf(pattern);
  if (plan.expandsMetadata) return undefined;
  // The walk records negation anchors' presence too, which only words a failure (fail or error):
  // a pass does not read it. Condition and existence anchors can skip, so they are walked.
  for (const recorded of plan.recorded) if (recorded.anchor?.modifier !== 'negation') return undefined;
  const keys: CompiledKey[] = [];
  for (const list of [plan.anchors, plan.others])
    for (const planned of list) {
      const anchor = planned.anchor;
      if (anchor?.modifier === 'negation') {
        keys.push({ name: anchor.key, optional: false, present: false, absent: true, check: ALWAYS });
        continue;
      }
      if (anchor !== undefined && anchor.modifier !== 'equality') return undefined;
      const value = pattern[planned.key] ?? null;
      const optional = anchor !== undefined;
      const name = optional ? anchor.key : planned.key;
      // A plain key's `*` asks for a value; an anchored one is a string pattern like any other.
      const present = !optional && value === '*';
      const check = present ? ALWAYS : compile(value, planOf, depth + 1);
      if (check === undefined) return undefined;
      keys.push({ name, optional, present, absent: false, check });
    }
  return (resource) => {
    if (!isPlainMap(resource)) return false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as CompiledKey;
      // validateNegationAnchor: an absent key passes; a present one (even null) fails, walked.
      if (key.absent) {
        if (Object.hasOwn(resource, key.name)) return false;
        continue;
      }
      if (!Object.hasOwn(resource, key.name)) {
        if (key.optional) continue;
        if (key.present || !key.check(null)) return false;
        continue;
      }
      const value = resource[key.name] ?? null;
      if (key.present) {
        if (value === null) return false;
      } else if (!key.check(value)) return false;
    }
    return true;
  };
}

const ALWAYS: QuickPass = () => true;
