/** @module The condition operators by name; lookup is case-insensitive, as in Kyverno. */
import { BoundedMemo } from '../../units/bounded-memo.js';
import { allIn } from './all-in.js';
import { allNotIn } from './all-not-in.js';
import { anyIn } from './any-in.js';
import { anyNotIn } from './any-not-in.js';
import {
  durationGreaterThan,
  durationGreaterThanOrEquals,
  durationLessThan,
  durationLessThanOrEquals,
} from './duration.js';
import { equals } from './equals.js';
import { greaterThan } from './greater-than.js';
import { greaterThanOrEquals } from './greater-than-or-equals.js';
import { inOperator } from './in.js';
import { lessThan } from './less-than.js';
import { lessThanOrEquals } from './less-than-or-equals.js';
import { notEquals } from './not-equals.js';
import { notIn } from './not-in.js';
import type { ConditionOperator } from './types.js';

export type { ConditionOperator } from './types.js';

/** Canonical Kyverno operator names (as written in policies). */
export const conditionOperators: Readonly<Record<string, ConditionOperator>> = {
  Equal: equals,
  Equals: equals,
  NotEqual: notEquals,
  NotEquals: notEquals,
  In: inOperator,
  AnyIn: anyIn,
  AllIn: allIn,
  NotIn: notIn,
  AnyNotIn: anyNotIn,
  AllNotIn: allNotIn,
  GreaterThan: greaterThan,
  GreaterThanOrEquals: greaterThanOrEquals,
  LessThan: lessThan,
  LessThanOrEquals: lessThanOrEquals,
  DurationGreaterThan: durationGreaterThan,
  DurationGreaterThanOrEquals: durationGreaterThanOrEquals,
  DurationLessThan: durationLessThan,
  DurationLessThanOrEquals: durationLessThanOrEquals,
};

const byLowerName = new Map(Object.entries(conditionOperators).map(([name, fn]) => [name.toLowerCase(), fn]));

// By the name as written (a policy's few spellings), so a lookup per condition lowercases nothing.
const byName = new BoundedMemo<string, ConditionOperator | null>(256);

/** The operator for a name compared case-insensitively; undefined when unknown. */
export function findConditionOperator(name: string): ConditionOperator | undefined {
  let op = byName.get(name);
  if (op === undefined) {
    op = byLowerName.get(name.toLowerCase()) ?? null;
    byName.set(name, op);
  }
  return op ?? undefined;
}
