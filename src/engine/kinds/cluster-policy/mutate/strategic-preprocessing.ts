/**
 * @module Anchor pre-processing of a `patchStrategicMerge` overlay against the resource
 * (Kyverno `pkg/engine/mutate/patch/strategicPreprocessing.go`), run before the merge:
 * - `+(key)`: kept (anchor removed) only when the resource lacks `key`, dropped otherwise;
 * - `(key)` / `<(key)`: conditions checked with the validate pattern engine. A failing condition in
 *   a list-of-maps element skips that resource element; in a plain map it turns the whole patch into
 *   `{}`. A global condition does so too unless some element of the list satisfied it;
 * - a list-of-maps element with anchors is replaced by one copy per matching resource element,
 *   carrying that element's `name` so the merge-by-name targets it;
 * - finally condition anchors are stripped, and maps left empty (or holding only conditions) removed.
 * Kyverno's quirks are kept on purpose: one copy of an anchored element is reused (and mutated)
 * across resource elements, and list elements are removed by their original index.
 */
import { parseAnchor } from '../../../anchors/parse.js';
import { validatePattern } from '../../../pattern/validate-pattern.js';

/** A patchStrategicMerge that cannot be applied (wrong value types, unknown directives, ...). */
export class StrategicMergeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StrategicMergeError';
  }
}

type JsonMap = Record<string, unknown>;

/** A `(key)` condition that did not hold: skips a list element, or the whole patch. */
class ConditionFailure extends Error {}
/** A `<(key)` condition that did not hold. */
class GlobalConditionFailure extends Error {}

/**
 * Resolves the anchors of `patch` against `resource` and returns the patch to merge; `{}` when a
 * condition turned the patch off. Never mutates its inputs.
 * @throws StrategicMergeError when the patch does not fit the resource (e.g. a list where the
 *   resource has a map) or is not a map.
 */
export function preprocessAnchors(resource: unknown, patch: unknown): unknown {
  const pattern = cloneJson(patch);
  try {
    preprocessNode(pattern, resource, 0);
    if (!isMap(pattern)) {
      if (pattern === null) return pattern;
      throw new StrategicMergeError(`patchStrategicMerge must be a map, got ${typeName(pattern)}`);
    }
    deleteConditionElements(pattern);
    return pattern;
  } catch (err) {
    if (err instanceof ConditionFailure || err instanceof GlobalConditionFailure) return {};
    if (err instanceof StrategicMergeError) throw err;
    throw new StrategicMergeError(`failed to preProcess rule: ${String(err)}`, { cause: err });
  }
}

const MAX_DEPTH = 1000;

function preprocessNode(pattern: unknown, resource: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new StrategicMergeError(`patch nesting exceeds ${MAX_DEPTH} levels`);
  if (isMap(pattern)) walkMap(pattern, resource, depth);
  else if (Array.isArray(pattern)) walkList(pattern, resource, depth);
}

function walkMap(pattern: JsonMap, resource: unknown, depth: number): void {
  handleAddIfNotPresent(pattern, resource);
  checkConditions(pattern, resource, 'global');
  checkConditions(pattern, resource, 'condition');
  for (const key of Object.keys(pattern)) {
    if (isMutateAnchor(key)) continue;
    const value = isMap(resource) && Object.hasOwn(resource, key) ? resource[key] : undefined;
    preprocessNode(pattern[key], value, depth + 1);
  }
}

function walkList(pattern: unknown[], resource: unknown, depth: number): void {
  if (pattern.length === 0 || !isMap(pattern[0])) return;
  let resourceElements: readonly unknown[];
  if (resource === undefined || resource === null) resourceElements = [];
  else if (Array.isArray(resource)) resourceElements = resource;
  else throw new StrategicMergeError(`the patch has a list where the resource has ${typeName(resource)}`);
  for (const element of [...pattern]) {
    if (!hasAnchors(element, isMutateAnchor)) continue;
    const hasGlobal = hasAnchors(element, (k) => parseAnchor(k)?.modifier === 'global');
    const copy = cloneJson(element);
    let anyGlobalPassed = false;
    let lastGlobalFailure: GlobalConditionFailure | undefined;
    for (const resourceElement of resourceElements) {
      try {
        preprocessNode(copy, resourceElement, depth + 1);
      } catch (err) {
        if (err instanceof ConditionFailure) continue;
        if (err instanceof GlobalConditionFailure) {
          lastGlobalFailure = err;
          continue;
        }
        throw err;
      }
      if (hasGlobal) anyGlobalPassed = true;
      else addElementFor(pattern, copy, resourceElement);
    }
    // Kyverno only evaluates an absent list (not an empty or null one) once against "nothing".
    if (resource === undefined) {
      try {
        preprocessNode(copy, undefined, depth + 1);
      } catch (err) {
        if (err instanceof ConditionFailure) continue;
        throw err;
      }
      if (hasGlobal) anyGlobalPassed = true;
    }
    if (!anyGlobalPassed && lastGlobalFailure !== undefined) throw lastGlobalFailure;
  }
}

/** Appends a copy of the (processed) element, renamed after the resource element it targets. */
function addElementFor(pattern: unknown[], element: unknown, resourceElement: unknown): void {
  const name = isMap(resourceElement) ? resourceElement.name : undefined;
  if (isNilOrEmpty(name)) return;
  const copy = cloneJson(element);
  if (deleteAnchors(copy, true)) return;
  if (isMap(copy)) copy.name = name;
  pattern.push(copy);
}

function handleAddIfNotPresent(pattern: unknown, resource: unknown): number {
  if (!isMap(pattern)) return 0;
  let count = 0;
  for (const key of Object.keys(pattern)) {
    const anchor = parseAnchor(key);
    if (anchor?.modifier !== 'add-if-not-present') continue;
    count++;
    if (isMap(resource) && Object.hasOwn(resource, anchor.key)) delete pattern[key];
    else renameKey(pattern, key, anchor.key);
  }
  return count;
}

function checkConditions(pattern: JsonMap, resource: unknown, kind: 'global' | 'condition'): void {
  const Failure = kind === 'global' ? GlobalConditionFailure : ConditionFailure;
  const prefix = kind === 'global' ? 'global condition failed' : 'condition failed';
  for (const key of Object.keys(pattern)) {
    const anchor = parseAnchor(key);
    if (anchor?.modifier !== kind) continue;
    if (!isMap(resource) || !Object.hasOwn(resource, anchor.key))
      throw new Failure(`${prefix}: could not found "${anchor.key}" key in the resource`);
    const patternValue = pattern[key];
    const resourceValue = resource[anchor.key];
    // Kyverno skips the check of a condition whose value holds `+()` anchors.
    if (handleAddIfNotPresent(patternValue, resourceValue) > 0) continue;
    const outcome = validatePattern(asCondition(resourceValue), asCondition(patternValue));
    if (outcome.status !== 'pass') {
      const reason = outcome.status === 'fail' ? `${outcome.message} at ${outcome.path}` : outcome.message;
      throw new Failure(`${prefix}: ${reason}`);
    }
  }
}

/** Kyverno reads scalar condition operands as their YAML text (so `3` and `"3"` compare equal). */
function asCondition(value: unknown): unknown {
  return isMap(value) || Array.isArray(value) ? value : scalarText(value);
}

function deleteConditionElements(pattern: JsonMap): void {
  for (const key of Object.keys(pattern)) {
    if (deleteAnchors(pattern[key], isConditionKey(key))) delete pattern[key];
  }
}

/**
 * Removes condition anchors below `node`; true when `node` itself should go (a scalar under a
 * condition, a map left empty, a list emptied by the removal).
 */
function deleteAnchors(node: unknown, deleteScalar: boolean): boolean {
  if (isMap(node)) return deleteAnchorsInMap(node);
  if (Array.isArray(node)) return deleteAnchorsInList(node);
  return deleteScalar;
}

function deleteAnchorsInMap(node: JsonMap): boolean {
  let anchorsExist = false;
  for (const key of Object.keys(node)) {
    if (!isConditionKey(key)) continue;
    if (deleteAnchors(node[key], true)) delete node[key];
    else anchorsExist = true;
  }
  if (anchorsExist) {
    for (const key of Object.keys(node)) {
      const anchor = parseAnchor(key);
      if (anchor !== undefined && isConditionKey(key)) renameKey(node, key, anchor.key);
    }
  }
  let needToDelete = true;
  for (const key of Object.keys(node)) {
    if (deleteAnchors(node[key], false)) delete node[key];
    else needToDelete = false;
  }
  return needToDelete;
}

function deleteAnchorsInList(node: unknown[]): boolean {
  const elements = [...node];
  const wasEmpty = elements.length === 0;
  elements.forEach((element, i) => {
    const remove = hasAnchors(element, isMutateAnchor) || deleteAnchors(element, false);
    if (!remove) return;
    // Kyverno deletes by the element's original index from the already shortened list (and
    // panics once that index is past the end).
    if (i >= node.length)
      throw new StrategicMergeError(
        'cannot remove anchored list element: several anchored elements in one list',
      );
    node.splice(i, 1);
  });
  return node.length === 0 && !wasEmpty;
}

function hasAnchors(node: unknown, isAnchorKey: (key: string) => boolean): boolean {
  if (isMap(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (isAnchorKey(key)) return true;
      if (!isNilOrEmpty(value) && hasAnchors(value, isAnchorKey)) return true;
    }
    return false;
  }
  if (Array.isArray(node)) return node.some((e) => hasAnchors(e, isAnchorKey));
  // A scalar that looks like `(x)` or `<(x)` counts as a condition in Kyverno.
  return isConditionKey(scalarText(node));
}

/** `(key)` or `<(key)` (Kyverno `ContainsCondition`). */
function isConditionKey(key: string): boolean {
  const m = parseAnchor(key)?.modifier;
  return m === 'condition' || m === 'global';
}

/** Condition, global or add-if-not-present (Kyverno `hasAnchor`). */
function isMutateAnchor(key: string): boolean {
  const m = parseAnchor(key)?.modifier;
  return m === 'condition' || m === 'global' || m === 'add-if-not-present';
}

/** Renames a key in place, keeping its position (as renaming a YAML key node does). */
function renameKey(map: JsonMap, from: string, to: string): void {
  if (from === to) return;
  const entries = Object.entries(map);
  for (const key of Object.keys(map)) delete map[key];
  for (const [key, value] of entries) map[key === from ? to : key] = value;
}

function isNilOrEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isMap(value)) return Object.keys(value).length === 0;
  return false;
}

/** The text of a scalar YAML node: what kyaml compares merge keys and conditions by. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return '';
}

export function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a map';
  return `a ${typeof value}`;
}

/** A deep copy of plain JSON-like data (maps, lists, scalars). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
    return out as T;
  }
  return value;
}
