/**
 * @module Which of a policy's CEL PolicyExceptions apply to one evaluation (Kyverno's vpol/ivpol
 * evaluateWithData): those whose matchConditions all hold, in order, with the images and values they
 * allow (`exceptions.allowedImages` / `exceptions.allowedValues` in CEL).
 */
import type { CelActivation } from '../../cel/values.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { matchAllConditions } from '../cel-shared/compile-fields.js';
import type { CelPolicyException } from '../cel-shared/types.js';
import { isFullExemption } from './cel-exception.js';
import type { CompiledCelException } from './cel-exception-index.js';

export interface CelExceptionMatch {
  readonly matched: readonly CelPolicyException[];
  readonly allowedImages: readonly string[];
  readonly allowedValues: readonly string[];
  /** Some exception matched and every one matched is a full exemption: the policy is exempted. */
  readonly exempt: boolean;
}

/** Throws MatchConditionError when a condition fails to evaluate under failurePolicy Fail. */
export function matchCelExceptions(
  exceptions: readonly CompiledCelException[],
  activation: CelActivation,
  runtime: EvaluationRuntime,
  failurePolicy: 'Fail' | 'Ignore',
): CelExceptionMatch {
  const matched: CelPolicyException[] = [];
  const allowedImages: string[] = [];
  const allowedValues: string[] = [];
  for (const e of exceptions) {
    if (!matchAllConditions(e.conditions, activation, runtime, failurePolicy)) continue;
    matched.push(e.exception);
    allowedImages.push(...(e.exception.spec.images ?? []));
    allowedValues.push(...(e.exception.spec.allowedValues ?? []));
  }
  return {
    matched,
    allowedImages,
    allowedValues,
    exempt: matched.length > 0 && matched.every(isFullExemption),
  };
}
