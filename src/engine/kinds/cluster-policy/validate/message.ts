/** @module Kyverno's validate failure messages (reference §3.4), built from the rule's `message`. */
import type { JsonContext } from '../../../context/json-context.js';
import { substituteVariables } from '../../../variables/substitute.js';
import { errorMessage } from '../../../verdict/rule-result.js';
import type { Rule } from '../types.js';

/** The rule message with variables substituted; undefined when the rule has none. Throws on substitution errors. */
function substitutedMessage(rule: Rule, ctx: JsonContext): string | undefined {
  const msg = rule.validate?.message;
  if (msg === undefined || msg === '') return undefined;
  const raw = substituteVariables(msg, ctx, { purpose: 'message' });
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

/** `validation error: <msg>. rule <r> failed at path <p>` or the execution-error form when path is empty. */
export function patternFailureMessage(rule: Rule, ctx: JsonContext, path: string, error: string): string {
  let msg: string | undefined;
  try {
    msg = substitutedMessage(rule, ctx);
  } catch (err) {
    // Kyverno reports the substitution error here, which names the variable that failed.
    return `validation error: variables substitution error in rule ${rule.name} execution error: ${errorMessage(err)}`;
  }
  if (msg === undefined) {
    return path !== ''
      ? `validation error: rule ${rule.name} failed at path ${path}`
      : `validation error: rule ${rule.name} execution error: ${error}`;
  }
  const withDot = msg.endsWith('.') ? msg : `${msg}.`;
  return path !== ''
    ? `validation error: ${withDot} rule ${rule.name} failed at path ${path}`
    : `validation error: ${withDot} rule ${rule.name} execution error: ${error}`;
}

/** anyPattern: `validation error: <msg>. rule r[0] failed at path p rule r[1] ...`. */
export function anyPatternFailureMessage(rule: Rule, errors: readonly string[]): string {
  const joined = errors.join(' ');
  const msg = rule.validate?.message;
  if (msg === undefined || msg === '') return `validation error: ${joined}`;
  return msg.endsWith('.') ? `validation error: ${msg} ${joined}` : `validation error: ${msg}. ${joined}`;
}

/** deny: rule message and condition messages joined by `; `, then substituted (reference §3.4). */
export function denyMessage(rule: Rule, ctx: JsonContext, conditionMessages: readonly string[]): string {
  const conditionText = conditionMessages.filter((m) => m !== '').join('; ');
  const parts = [rule.validate?.message ?? '', conditionText].filter((m) => m !== '');
  if (parts.length === 0) return `validation error: rule ${rule.name} failed`;
  try {
    const raw = substituteVariables(parts.join('; '), ctx, { purpose: 'message' });
    return typeof raw === 'string'
      ? raw
      : "the produced message didn't resolve to a string, check your policy definition.";
  } catch (err) {
    // The failure names the variable; without it an unresolvable message left the result unexplained.
    const why = `variables substitution error in rule ${rule.name}: ${errorMessage(err)}`;
    return conditionText === '' ? why : `${conditionText}; ${why}`;
  }
}
