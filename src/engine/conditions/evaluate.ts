/**
 * @module any/all condition blocks (Kyverno `pkg/engine/variables/evaluate.go`), used by
 * preconditions, deny, foreach, exceptions and cleanup. `any` present → at least one true (so an
 * empty `any: []` is false); `all` → every one true; a legacy plain list means `all`. Each block
 * stops at its deciding condition. Key and value are substituted before the operator runs.
 */
import type { JsonContext } from '../context/json-context.js';
import type { Condition, Conditions } from '../kinds/cluster-policy/types.js';
import { BoundedMemo } from '../units/bounded-memo.js';
import { substituteReferences } from '../variables/references.js';
import {
  type SubstituteOptions,
  substituteVariables,
  substituteWhole,
  wholeVariable,
} from '../variables/substitute.js';
import { ConditionError } from './errors.js';
import { findConditionOperator } from './operators/registry.js';

export { ConditionError } from './errors.js';

export interface ConditionsResult {
  /** Whether the conditions hold. */
  readonly met: boolean;
  /**
   * The non-empty `message`s of the deciding conditions: those that were false when `met` is
   * false (preconditions report these), those that were true when `met` is true (deny reports these).
   */
  readonly messages: readonly string[];
  /** `messages` joined exactly as Kyverno joins them (`"; "`, or `";"` for the legacy list form). */
  readonly message: string;
}

export interface EvaluateConditionsOptions {
  /** Request operation; `DELETE` rewrites `request.object` to `request.oldObject` in variables. */
  readonly operation?: string;
}

const SHARE = { share: true } as const;
// The substitution options per operation (a handful), not two new objects per condition.
const shareWithOperation = new BoundedMemo<string, SubstituteOptions>(64);

function substituteOptions(operation: string | undefined): SubstituteOptions {
  if (operation === undefined) return SHARE;
  let options = shareWithOperation.get(operation);
  if (options === undefined) {
    options = { operation, share: true };
    shareWithOperation.set(operation, options);
  }
  return options;
}

function substitute(
  part: unknown,
  which: 'key' | 'value',
  ctx: JsonContext,
  options: EvaluateConditionsOptions,
): unknown {
  try {
    if (typeof part === 'string') {
      // Most keys are one variable (`{{ request.object.spec… }}`): queried without the general walk.
      if (!part.includes('{{')) {
        if (!part.includes('$(')) return part;
      } else {
        const whole = wholeVariable(part, ctx);
        if (whole !== undefined) return substituteWhole(whole, ctx, substituteOptions(options.operation));
      }
    }
    // Operators only read their operands: parts without templates are used as written.
    const withRefs = substituteReferences(part, ctx.meter, SHARE);
    return substituteVariables(withRefs, ctx, substituteOptions(options.operation));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConditionError(`failed to substitute variables in condition ${which}: ${reason}`, {
      cause: error,
    });
  }
}

/** Evaluates one condition; throws `ConditionError`. */
export function evaluateCondition(
  condition: Condition,
  ctx: JsonContext,
  options: EvaluateConditionsOptions = {},
): boolean {
  const key = substitute(condition.key ?? null, 'key', ctx, options);
  const value = substitute(condition.value ?? null, 'value', ctx, options);
  const operator = findConditionOperator(condition.operator ?? '');
  // Kyverno formats a nil error here, hence the odd %!w(<nil>).
  if (!operator) throw new ConditionError('failed to create handler for condition operator: %!w(<nil>)');
  return operator(key, value);
}

function nonEmpty(messages: readonly string[]): string[] {
  return messages.filter((m) => m !== '');
}

function evaluateAnyAll(
  block: { any?: Condition[]; all?: Condition[] },
  ctx: JsonContext,
  options: EvaluateConditionsOptions,
): ConditionsResult {
  const trueMessages: string[] = [];
  const falseMessages: string[] = [];
  let anyResult = true;
  if (block.any !== undefined && block.any !== null) {
    anyResult = false;
    for (const condition of block.any) {
      // No result object per condition: the message is read from the condition.
      if (evaluateCondition(condition, ctx, options)) {
        anyResult = true;
        trueMessages.push(condition.message ?? '');
        break;
      }
      falseMessages.push(condition.message ?? '');
    }
  }
  let allResult = true;
  for (const condition of block.all ?? []) {
    if (!evaluateCondition(condition, ctx, options)) {
      allResult = false;
      falseMessages.push(condition.message ?? '');
      break;
    }
    trueMessages.push(condition.message ?? '');
  }
  const met = anyResult && allResult;
  const messages = nonEmpty(met ? trueMessages : falseMessages);
  return { met, messages, message: messages.join('; ') };
}

function evaluateLegacy(
  conditions: readonly Condition[],
  ctx: JsonContext,
  options: EvaluateConditionsOptions,
): ConditionsResult {
  const trueMessages: string[] = [];
  for (const condition of conditions) {
    if (!evaluateCondition(condition, ctx, options)) {
      const messages = nonEmpty([condition.message ?? '']);
      return { met: false, messages, message: messages.join(';') };
    }
    trueMessages.push(condition.message ?? '');
  }
  const messages = nonEmpty(trueMessages);
  return { met: true, messages, message: messages.join(';') };
}

/**
 * Evaluates `{any, all}` or a legacy list. Absent conditions are met. Throws `ConditionError`
 * when a variable cannot be resolved or an operator is unknown.
 */
/** What no conditions answer: one frozen value, not an object and a list per rule without preconditions. */
const NO_CONDITIONS: ConditionsResult = Object.freeze({
  met: true,
  messages: Object.freeze([]) as readonly string[],
  message: '',
});

export function evaluateConditions(
  conditions: Conditions | undefined,
  ctx: JsonContext,
  options: EvaluateConditionsOptions = {},
): ConditionsResult {
  if (conditions === undefined || conditions === null) return NO_CONDITIONS;
  if (Array.isArray(conditions)) return evaluateLegacy(conditions, ctx, options);
  if (typeof conditions !== 'object') throw new ConditionError('invalid condition');
  return evaluateAnyAll(conditions, ctx, options);
}
