/**
 * @module Kyverno's `AnchorMap`: remembers, over one whole pattern match, whether each condition or
 * existence anchor key was ever found in the resource. When a match fails for an ordinary reason while
 * such a key was never found, Kyverno reports a path-less error (rule status `error`), not a failure.
 */
import { parseAnchor } from '../anchors/parse.js';
import type { PlannedKey } from './map-plan.js';

export class AnchorPresence {
  /** Made on the first record: a walk of a pattern without such anchors makes no Map (one walk per rule and resource). */
  private found: Map<string, boolean> | undefined;

  /** Records the condition, existence and negation anchors of one pattern map against the resource map it is checked with. */
  record(anchors: readonly PlannedKey[], resource: Readonly<Record<string, unknown>>): void {
    this.found ??= new Map<string, boolean>();
    const found = this.found;
    for (const { key, anchor } of anchors) {
      if (anchor === undefined || found.get(key) === true) continue;
      found.set(key, Object.hasOwn(resource, anchor.key));
    }
  }

  /** True when a condition or existence anchor key was never present (negations are meant to be absent). */
  keysAreMissing(): boolean {
    if (this.found === undefined) return false;
    for (const [key, found] of this.found) {
      if (!found && parseAnchor(key)?.modifier !== 'negation') return true;
    }
    return false;
  }
}
