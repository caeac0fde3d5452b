/**
 * @module CEL PolicyExceptions (policies.kyverno.io): an exception's key, its priority label and the
 * verdict it turns a policy into (reference §1.1, §1.4; Kyverno pkg/cel/policies/vpol/engine/engine.go).
 * Which policies it names (`policyRefs` name + kind) is cel-exception-index.ts.
 */
import type { RuleResult } from '../../verdict/types.js';
import type { CelPolicyException } from '../cel-shared/types.js';

/** Label that ranks exceptions when several match; the highest integer wins. */
export const EXCEPTION_PRIORITY_LABEL = 'polex.kyverno.io/priority';

/** `namespace/name`, or `name` for an exception without a namespace (client-go MetaNamespaceKey). */
export function exceptionKey(exception: CelPolicyException): string {
  const ns = exception.metadata.namespace;
  return ns !== undefined && ns !== '' ? `${ns}/${exception.metadata.name}` : exception.metadata.name;
}

/** An exception with images or allowedValues only feeds `exceptions.*`; it does not exempt. */
export function isFullExemption(exception: CelPolicyException): boolean {
  return (exception.spec.images ?? []).length === 0 && (exception.spec.allowedValues ?? []).length === 0;
}

function priorityOf(exception: CelPolicyException): number | undefined {
  const raw = exception.metadata.labels?.[EXCEPTION_PRIORITY_LABEL];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * The single result a set of matched exceptions produces: `skip` ("rule is skipped due to policy
 * exception: a, b"), or `pass` when the highest-priority exception says `reportResult: pass`. The
 * first exception is chosen unless another has a strictly higher positive priority, as in Kyverno.
 */
export function exceptionResult(matched: readonly CelPolicyException[], ruleName = ''): RuleResult {
  let selected = 0;
  let highest = 0;
  matched.forEach((e, i) => {
    const p = priorityOf(e);
    if (p !== undefined && p > highest) {
      highest = p;
      selected = i;
    }
  });
  const keys = matched.map(exceptionKey);
  const pass = matched[selected]?.spec.reportResult === 'pass';
  return {
    name: ruleName,
    type: 'Validation',
    status: pass ? 'pass' : 'skip',
    message: `rule is ${pass ? 'passed' : 'skipped'} due to policy exception: ${keys.join(', ')}`,
    exceptions: keys,
  };
}
