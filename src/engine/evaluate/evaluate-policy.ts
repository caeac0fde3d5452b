/**
 * @module Evaluates one compiled ClusterPolicy/Policy against one resource, rule by rule, in Kyverno's
 * order: match/exclude → context → preconditions → exceptions → handler (reference §2.1).
 */
import { computeRules } from '../autogen/autogen.js';
import { evaluateConditions } from '../conditions/evaluate.js';
import type { JsonContext } from '../context/json-context.js';
import { loadContextEntries } from '../context/load-context.js';
import { createRequestContext } from '../context/request-context.js';
import type { Result } from '../diagnostics/diagnostic.js';
import type { MatchInput } from '../match/match-input.js';
import { ruleMatches } from '../match/match-rule.js';
import type { KubeObject, KyvernoPolicy, Rule } from '../policy/types.js';
import type { EvaluationRequest } from '../request.js';
import { runValidator } from '../validate/foreach.js';
import { validatePodSecurityRule } from '../validate/pod-security-rule.js';
import { ruleError, ruleResult } from '../verdict/rule-result.js';
import type { PolicyResponse, RuleResult } from '../verdict/types.js';
import { exceptionKey, matchingExceptions } from './exceptions.js';
import { failureActionForRule } from './failure-action.js';

export interface CompiledPolicy {
  readonly policy: KyvernoPolicy;
  /** `name` for ClusterPolicy, `namespace/name` for Policy. */
  readonly key: string;
  /** The namespace a namespaced `Policy` is confined to. */
  readonly namespace?: string;
  /** The policy's rules followed by their autogen clones. */
  readonly rules: readonly Rule[];
}

/** Prepares a policy once (autogen); never throws. */
export function compilePolicy(policy: KyvernoPolicy): Result<CompiledPolicy> {
  const namespace = policy.kind === 'Policy' ? (policy.metadata.namespace ?? 'default') : undefined;
  const key = namespace !== undefined ? `${namespace}/${policy.metadata.name}` : policy.metadata.name;
  let rules: Rule[];
  try {
    rules = computeRules(policy);
  } catch {
    rules = policy.spec.rules ?? [];
  }
  const value: CompiledPolicy =
    namespace !== undefined ? { policy, key, namespace, rules } : { policy, key, rules };
  return { ok: true, value, warnings: [] };
}

function isEmptyObject(o: KubeObject | undefined): boolean {
  return o === undefined || o === null || Object.keys(o).length === 0;
}

/** Runs every rule of the policy that matches the request; never throws. */
export function evaluatePolicy(compiled: CompiledPolicy, request: EvaluationRequest): PolicyResponse {
  const { policy } = compiled;
  const useOld = isEmptyObject(request.resource) && !isEmptyObject(request.oldResource);
  const resource = useOld ? (request.oldResource ?? {}) : request.resource;
  const namespace = resource.metadata?.namespace;
  const results: RuleResult[] = [];
  let ctx: JsonContext | undefined;
  for (const rule of compiled.rules) {
    if (rule.validate === undefined) continue; // mutate/generate/verifyImages arrive with later issues
    const input: MatchInput = {
      resource,
      operation: request.operation,
      ...(request.subresource !== undefined ? { subresource: request.subresource } : {}),
      ...(request.namespaceLabels !== undefined ? { namespaceLabels: request.namespaceLabels } : {}),
      ...(request.requestInfo !== undefined ? { requestInfo: request.requestInfo } : {}),
      ...(compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {}),
    };
    let matched: boolean;
    try {
      matched = ruleMatches(rule, input);
    } catch (err) {
      results.push(ruleError(rule.name, 'Validation', 'failed to match rule', err));
      continue;
    }
    if (!matched) continue;
    ctx ??= createRequestContext(
      request,
      compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {},
    );
    const result = evaluateValidateRule(compiled, rule, request, resource, input, ctx);
    if (result === undefined) continue;
    results.push(result);
    if (policy.spec.applyRules === 'One' && (result.status === 'pass' || result.status === 'fail')) break;
  }
  return {
    policyKey: compiled.key,
    policyName: policy.metadata.name,
    ...(compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {}),
    policyKind: policy.kind,
    resource: request.resource,
    patchedResource: request.resource,
    rules: results,
    validationFailureAction: failureActionForRule(
      policy,
      compiled.rules[0],
      namespace,
      request.namespaceLabels,
    ),
  };
}

function evaluateValidateRule(
  compiled: CompiledPolicy,
  rule: Rule,
  request: EvaluationRequest,
  resource: KubeObject,
  input: MatchInput,
  ctx: JsonContext,
): RuleResult | undefined {
  const validate = rule.validate ?? {};
  const ruleValues = request.values?.rules[rule.name];
  ctx.checkpoint();
  try {
    for (const [k, v] of Object.entries(ruleValues ?? {})) ctx.set(k, v);
    try {
      loadContextEntries(rule.context, ctx, {
        ports: request.ports,
        ...(compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {}),
        ...(ruleValues !== undefined ? { ruleValues: { ...ruleValues } } : {}),
      });
    } catch (err) {
      return ruleError(rule.name, 'Validation', 'failed to load context', err);
    }
    try {
      const pre = evaluateConditions(rule.preconditions, ctx, { operation: request.operation });
      if (!pre.met) {
        const msg = pre.message === '' ? 'preconditions not met' : `preconditions not met; ${pre.message}`;
        return ruleResult(rule.name, 'Validation', 'skip', msg);
      }
    } catch (err) {
      return ruleError(rule.name, 'Validation', 'failed to evaluate preconditions', err);
    }
    const exceptions = matchingExceptions(
      request.exceptions,
      compiled.key,
      rule.name,
      input,
      ctx,
      request.operation,
    );
    if (validate.podSecurity !== undefined) {
      const skipping = exceptions.find((e) => (e.spec.podSecurity ?? []).length === 0);
      if (skipping !== undefined) {
        return {
          ...ruleResult(
            rule.name,
            'Validation',
            'skip',
            `rule is skipped due to policy exception ${exceptionKey(skipping)}`,
          ),
          exceptions: [exceptionKey(skipping)],
        };
      }
      return validatePodSecurityRule(
        rule,
        resource,
        exceptions.map((e) => ({ key: exceptionKey(e), exception: e })),
      );
    }
    if (exceptions.length > 0) {
      const keys = exceptions.map(exceptionKey);
      return {
        ...ruleResult(
          rule.name,
          'Validation',
          'skip',
          `rule is skipped due to policy exceptions${keys.join(', ')}`,
        ),
        exceptions: keys,
      };
    }
    if (validate.cel !== undefined) {
      return ruleResult(rule.name, 'Validation', 'error', 'validate.cel rules are not supported yet');
    }
    if (validate.manifests !== undefined) {
      return ruleResult(rule.name, 'Validation', 'error', 'validate.manifests rules are not supported yet');
    }
    const env = {
      rule,
      ctx,
      request,
      resource,
      ...(compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {}),
    };
    return runValidator(validate, env, 0, undefined);
  } finally {
    ctx.reset();
  }
}
