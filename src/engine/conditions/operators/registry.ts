/** @module The condition operators by name; lookup is case-insensitive, as in Kyverno. */
import {
  canonicalOperator,
  type ConditionOperator as OperatorName,
} from '../../schema/condition-operators.js';
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

/** Each operator the schema accepts (schema/condition-operators.ts), by its canonical name. */
export const conditionOperators: Readonly<Record<OperatorName, ConditionOperator>> = {
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

// By the name as written (a policy's few spellings), so a lookup per condition lowercases nothing.
const byName = new BoundedMemo<string, ConditionOperator | null>(256);

/** The operator for a name compared case-insensitively; undefined when unknown. */
export function findConditionOperator(name: string): ConditionOperator | undefined {
  let op = byName.get(name);
  if (op === undefined) {
    const canonical = canonicalOperator(name);
    op = canonical !== undefined ? conditionOperators[canonical] : null;
    byName.set(name, op);
  }
  return op ?? undefined;
}
