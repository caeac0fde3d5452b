/**
 * @module `validate.pattern` overlay matching (Kyverno `pkg/engine/validate/validate.go` MatchPattern).
 * The pattern is a partial tree of the resource: every pattern key must be satisfied, extra resource
 * keys are ignored. Maps are walked key by key (anchors first, see key-order.ts); arrays whose first
 * pattern element is a map check every resource element against it; scalars use match-value.ts.
 * Variables and `$()` references are substituted before this module sees the pattern.
 */
import { validateConditionAnchor } from '../anchors/condition.js';
import { validateEqualityAnchor } from '../anchors/equality.js';
import { validateExistenceAnchor } from '../anchors/existence.js';
import { validateGlobalAnchor } from '../anchors/global.js';
import type { AnchorInput, ValidateElement } from '../anchors/handler.js';
import { isPlainMap } from '../anchors/handler.js';
import { validateNegationAnchor } from '../anchors/negation.js';
import { sprint, sprintType } from '../primitives/go-sprint.js';
import { AnchorPresence } from './anchor-presence.js';
import {
  type ElementFailure,
  type ElementResult,
  failure,
  isDirectAnchorSkip,
  isSkip,
  skipped,
} from './failure.js';
import { type MapPlan, PatternPlans, type PlannedKey } from './map-plan.js';
import { isScalar, matchValuePattern } from './match-value.js';

export type PatternOutcome =
  | { status: 'pass' }
  | { status: 'fail'; path: string; message: string }
  | { status: 'skip'; message: string }
  | { status: 'error'; message: string };

type JsonMap = Readonly<Record<string, unknown>>;

/** Bounds recursion on hostile input; real patterns are a few levels deep. */
const MAX_DEPTH = 1000;

/**
 * Matches a resource against a (substituted) pattern. Never throws.
 * - `skip`: a conditional or global anchor did not hold (at the root, or in every element of an array);
 * - `fail`: a mismatch at a path such as `/spec/containers/0/image/`;
 * - `error`: a mismatch Kyverno reports without a path (e.g. nested-array length mismatch, or an
 *   ordinary mismatch while a condition/existence anchor key was missing from the resource).
 */
export function validatePattern(
  resource: unknown,
  pattern: unknown,
  plans: PatternPlans = new PatternPlans(),
): PatternOutcome {
  // Most resources pass: a compiled check says so without a walk (see quick-pass.ts).
  if (quickPasses.enabled && plans.quickPass(pattern)?.(resource) === true) return PASS;
  const walker = new PatternWalker(plans);
  let result: ElementResult;
  try {
    result = walker.element(resource, pattern, '/', 0);
  } catch (err) {
    if (err instanceof PatternDepthError) return { status: 'error', message: err.message };
    // Deep anchors take several frames a level: the stack can end before MAX_DEPTH does.
    if (err instanceof RangeError && /call stack/i.test(err.message))
      return { status: 'error', message: 'pattern nesting is too deep to evaluate' };
    throw err;
  }
  if (result === undefined) return PASS;
  if (isSkip(result)) return { status: 'skip', message: result.message };
  if (result.kind === 'negation') return { status: 'fail', path: result.path, message: result.message };
  if (walker.presence.keysAreMissing() || result.path === '')
    return { status: 'error', message: result.message };
  return { status: 'fail', path: result.path, message: result.message };
}

/** Every passing match answers this one value (callers read it; one walk per rule and resource). */
const PASS: PatternOutcome = Object.freeze({ status: 'pass' });

export class PatternDepthError extends Error {
  constructor(path: string) {
    super(`pattern nesting exceeds ${MAX_DEPTH} levels at path ${path}`);
    this.name = 'PatternDepthError';
  }
}

/**
 * Whether walks follow the plans kept on planned keys (see `key`); tests turn it off to compare with
 * `element`'s own walk, which looks every plan up.
 */
export const keyPlans = { enabled: true };

/** Whether a planned pattern's compiled pass check is asked first; tests turn it off to compare. */
export const quickPasses = { enabled: true };

const ANCHOR_HANDLERS = {
  condition: validateConditionAnchor,
  global: validateGlobalAnchor,
  equality: validateEqualityAnchor,
  negation: validateNegationAnchor,
  existence: validateExistenceAnchor,
} as const;

class PatternWalker {
  readonly presence = new AnchorPresence();
  readonly #plans: PatternPlans;
  /** The depth anchor handlers validate at (set around each handler call: see `key`). */
  #anchorDepth = 0;
  /** What anchor handlers call back: made once per walk, not once per anchor key. */
  readonly #validate: ValidateElement;

  constructor(plans: PatternPlans) {
    this.#plans = plans;
    this.#validate = (r, p, at) => this.element(r, p, at, this.#anchorDepth);
  }

  element(resource: unknown, pattern: unknown, path: string, depth: number): ElementResult {
    if (depth > MAX_DEPTH) throw new PatternDepthError(path);
    if (isPlainMap(pattern)) {
      if (!isPlainMap(resource)) {
        return failure(
          path,
          `pattern and resource have different structures. Path: ${path}. Expected ${sprintType(pattern)}, found ${sprintType(resource, 'int64-if-integral')}`,
        );
      }
      return this.map(resource, pattern, path, depth);
    }
    if (Array.isArray(pattern)) {
      if (!Array.isArray(resource)) {
        return failure(
          path,
          `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`,
        );
      }
      return this.array(resource, pattern, path, depth);
    }
    if (isScalar(pattern)) return this.scalar(resource, pattern, path);
    return failure(path, `failed at '${path}', pattern contains unknown type`);
  }

  private scalar(resource: unknown, pattern: unknown, path: string): ElementResult {
    let ok = true;
    if (Array.isArray(resource)) {
      for (const item of resource)
        if (!matchValuePattern(item, pattern)) {
          ok = false;
          break;
        }
    } else ok = matchValuePattern(resource, pattern);
    if (ok) return undefined;
    return failure(
      path,
      `resource value '${sprint(resource, 'int64-if-integral')}' does not match '${sprint(pattern)}' at path ${path}`,
    );
  }

  /** `element` for a map pattern whose plan is known. */
  private mapElement(
    resource: unknown,
    pattern: JsonMap,
    plan: MapPlan,
    path: string,
    depth: number,
  ): ElementResult {
    if (depth > MAX_DEPTH) throw new PatternDepthError(path);
    if (!isPlainMap(resource)) {
      return failure(
        path,
        `pattern and resource have different structures. Path: ${path}. Expected ${sprintType(pattern)}, found ${sprintType(resource, 'int64-if-integral')}`,
      );
    }
    return this.map(resource, pattern, path, depth, plan);
  }

  private map(
    resource: JsonMap,
    rawPattern: JsonMap,
    path: string,
    depth: number,
    knownPlan?: MapPlan,
  ): ElementResult {
    let pattern = rawPattern;
    let plan = knownPlan ?? this.#plans.of(rawPattern);
    if (plan.recorded.length > 0) this.presence.record(plan.recorded, resource);
    if (plan.expandsMetadata) {
      const expanded = this.#plans.expanded(rawPattern, resource);
      pattern = expanded.pattern;
      plan = expanded.plan;
    }
    if (plan.anchors.length > 0) {
      const anchorResult = this.anchorPhase(resource, pattern, plan.anchors, path, depth);
      if (anchorResult !== undefined) return anchorResult;
    }
    for (const key of plan.others) {
      const value = pattern[key.key] ?? null;
      let result: ElementResult;
      if (key.anchor === undefined && isPlainMap(value)) {
        // A plain key holding a map (plainKey's path): with the plan kept on the key, no lookup.
        key.valuePlan ??= this.#plans.of(value);
        const at = Object.hasOwn(resource, key.key) ? (resource[key.key] ?? null) : null;
        result = this.mapElement(at, value, key.valuePlan, `${path}${key.key}/`, depth + 1);
      } else result = this.key(resource, key, value, path, depth);
      if (result !== undefined) return result;
    }
    return undefined;
  }

  /**
   * Kyverno's first phase of validateMap. Skips are collected rather than returned at once; once a
   * sibling conditional anchor has failed by itself, ordinary failures of later anchors are ignored.
   * The map is skipped when no anchor applied, or when a direct conditional/global miss is among the
   * skips; skips that only come from deeper down (arrays whose elements were all skipped) are dropped
   * when another anchor applied.
   */
  private anchorPhase(
    resource: JsonMap,
    pattern: JsonMap,
    anchors: readonly PlannedKey[],
    path: string,
    depth: number,
  ): ElementResult {
    // Allocated on the first skip only: most maps have none.
    let skips: ElementFailure[] | undefined;
    let applied = 0;
    for (const key of anchors) {
      const result = this.key(resource, key, pattern[key.key] ?? null, path, depth);
      if (result === undefined) applied++;
      else if (isSkip(result)) {
        skips ??= [];
        skips.push(result);
      } else if (skips === undefined || !skips.some(isDirectAnchorSkip)) return result;
    }
    if (skips === undefined) return undefined;
    if (applied === 0 || skips.some(isDirectAnchorSkip)) return skipped(path, skips);
    return undefined;
  }

  private key(
    resource: JsonMap,
    planned: PlannedKey,
    pattern: unknown,
    path: string,
    depth: number,
  ): ElementResult {
    const anchor = planned.anchor;
    const modifier = anchor?.modifier;
    if (modifier === 'equality') {
      // validateEqualityAnchor without its input object and callback (the PSS patterns are mostly
      // these): an absent key passes, a present value is validated one level down like a plain key.
      const name = (anchor as NonNullable<typeof anchor>).key;
      if (!Object.hasOwn(resource, name)) return undefined;
      const value = resource[name] ?? null;
      const at = `${path}${name}/`;
      // `element` with the plans kept on the key (no lookup per map), written out here and in
      // plainKey rather than in a method of its own: a frame more per level would end the stack
      // sooner on deep patterns (see the nesting tests).
      if (keyPlans.enabled) {
        if (isPlainMap(pattern)) {
          planned.valuePlan ??= this.#plans.of(pattern);
          return this.mapElement(value, pattern, planned.valuePlan, at, depth + 1);
        }
        const first = Array.isArray(pattern) && Array.isArray(value) ? pattern[0] : undefined;
        if (isPlainMap(first)) {
          if (depth + 1 > MAX_DEPTH) throw new PatternDepthError(at);
          planned.elementPlan ??= this.#plans.of(first);
          return this.arrayOfMaps(value as unknown[], first, at, depth + 1, planned.elementPlan);
        }
      }
      return this.element(value, pattern, at, depth + 1);
    }
    if (anchor !== undefined && modifier !== undefined && modifier !== 'add-if-not-present') {
      const input: AnchorInput = {
        key: anchor.key,
        pattern,
        resource,
        path,
        validate: this.#validate,
      };
      // Handlers validate one level down; nested anchors set and restore their own depth.
      const outer = this.#anchorDepth;
      this.#anchorDepth = depth + 1;
      const result = ANCHOR_HANDLERS[modifier](input);
      this.#anchorDepth = outer;
      return result;
    }
    return this.plainKey(resource, planned, pattern, path, depth);
  }

  // Kyverno's defaultHandler; `+(key)` lands here too and is looked up literally.
  private plainKey(
    resource: JsonMap,
    planned: PlannedKey,
    pattern: unknown,
    path: string,
    depth: number,
  ): ElementResult {
    const key = planned.key;
    const value = Object.hasOwn(resource, key) ? (resource[key] ?? null) : null;
    if (pattern === '*') {
      return value !== null ? undefined : failure(path, `${path}/${key} not found`);
    }
    const at = `${path}${key}/`;
    // As in `key`'s equality anchors: an array of maps walks with the plan kept on the key (a map
    // value under a plain key is walked by `map` itself).
    if (keyPlans.enabled) {
      const first = Array.isArray(pattern) && Array.isArray(value) ? pattern[0] : undefined;
      if (isPlainMap(first)) {
        if (depth + 1 > MAX_DEPTH) throw new PatternDepthError(at);
        planned.elementPlan ??= this.#plans.of(first);
        return this.arrayOfMaps(value as unknown[], first, at, depth + 1, planned.elementPlan);
      }
    }
    return this.element(value, pattern, at, depth + 1);
  }

  private array(
    resource: readonly unknown[],
    pattern: readonly unknown[],
    path: string,
    depth: number,
  ): ElementResult {
    if (pattern.length === 0) return failure(path, 'pattern Array empty');
    const first = pattern[0];
    if (isPlainMap(first)) return this.arrayOfMaps(resource, first, path, depth, this.#plans.of(first));
    if (isScalar(first)) return this.element(resource, first, path, depth + 1);
    if (resource.length < pattern.length) {
      return failure(
        '',
        `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`,
      );
    }
    // Elements skipped by anchors are ignored; when none applied and some were skipped, the array is skipped.
    let applied = 0;
    let skips: ElementFailure[] | undefined;
    for (let i = 0; i < pattern.length; i++) {
      const result = this.element(resource[i], pattern[i], `${path}${i}/`, depth + 1);
      if (result === undefined) applied++;
      else if (isSkip(result)) {
        skips ??= [];
        skips.push(result);
      } else return result;
    }
    return applied === 0 && skips !== undefined ? skipped(path, skips) : undefined;
  }

  /** Every element against the one map (with its plan); skips as in `array`. */
  private arrayOfMaps(
    resource: readonly unknown[],
    pattern: JsonMap,
    path: string,
    depth: number,
    plan: MapPlan,
  ): ElementResult {
    let applied = 0;
    let skips: ElementFailure[] | undefined;
    for (let i = 0; i < resource.length; i++) {
      const result = this.mapElement(resource[i], pattern, plan, `${path}${i}/`, depth + 1);
      if (result === undefined) applied++;
      else if (isSkip(result)) {
        skips ??= [];
        skips.push(result);
      } else return result;
    }
    return applied === 0 && skips !== undefined ? skipped(path, skips) : undefined;
  }
}
