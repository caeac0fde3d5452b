/** @module The shape of a condition operator: key and value arrive already substituted. */
export type ConditionOperator = (key: unknown, value: unknown) => boolean;
