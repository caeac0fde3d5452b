/**
 * @module The condition operators Kyverno accepts in preconditions, deny conditions and exceptions
 * (kyverno.io/docs/policy-types/cluster-policy/preconditions#operators). Compared case-insensitively.
 */

export const CONDITION_OPERATORS = [
  'Equals',
  'NotEquals',
  'AnyIn',
  'AllIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
  // Deprecated but still accepted by Kyverno.
  'Equal',
  'NotEqual',
  'In',
  'NotIn',
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
] as const;

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const BY_LOWER = new Map<string, ConditionOperator>(CONDITION_OPERATORS.map((op) => [op.toLowerCase(), op]));

/** The canonical spelling of `name`, or undefined when Kyverno does not know the operator. */
export function canonicalOperator(name: string): ConditionOperator | undefined {
  return BY_LOWER.get(name.toLowerCase());
}
