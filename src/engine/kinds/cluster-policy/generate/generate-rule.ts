/**
 * @module Generate rule handler. Runs after match, context, preconditions and exceptions have
 * passed (Kyverno's background checks give such a rule `pass`), then computes what the background
 * controller would create (reference §5): the rule's pattern or each foreach element's, against
 * the cluster port for clone sources and existing targets. The engine never writes anything; the
 * objects are returned as `generatedResources`.
 */

import type { KubeObject } from '../../../model/kube-object.js';
import { valuesForRule } from '../../../request.js';
import { ruleError, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { RuleEnv } from '../validate/rule-env.js';
import { createGenerateCluster } from './cluster.js';
import { generateForeach } from './foreach.js';
import { generatePattern, type PatternEnv } from './generate-pattern.js';
import { isMap, patternOf } from './types.js';

function triggerOf(resource: unknown): KubeObject {
  return isMap(resource) ? (resource as KubeObject) : {};
}

/** Computes the objects a generate rule wants; never throws and never writes. */
export function generateRule(env: RuleEnv): RuleResult | undefined {
  const { rule, request } = env;
  const block = rule.generate;
  if (!isMap(block)) return undefined;
  // Kyverno matches generate rules against the (empty) new object on DELETE; a trigger that only
  // the old object matches makes the rule fail so its downstream can be cleaned up, or, for a rule
  // matching DELETE, generated for by the background controller, which evaluates the deleted
  // trigger as the new object.
  if (request.operation === 'DELETE' && Object.keys(request.resource).length === 0)
    return ruleResult(rule.name, 'Generation', 'fail', '');

  const trigger = triggerOf(env.resource);
  const patternEnv: PatternEnv = {
    ctx: env.ctx,
    operation: request.operation,
    owner: {
      policyName: env.policyName ?? '',
      policyNamespace: env.policyNamespace ?? '',
      ruleName: rule.name,
      trigger,
    },
    synchronize: block.synchronize === true,
    cluster: createGenerateCluster(request.ports.cluster, trigger),
    ...(env.policyNamespace !== undefined ? { policyNamespace: env.policyNamespace } : {}),
  };
  try {
    let generated: KubeObject[];
    if (block.foreach !== undefined && block.foreach !== null) {
      const ruleValues = valuesForRule(request.values?.rules, rule.name);
      const foreachValues = valuesForRule(request.values?.foreachValues, rule.name);
      generated = generateForeach(block.foreach, rule.name, {
        ...patternEnv,
        contextEnv: {
          ports: request.ports,
          ...(env.policyNamespace !== undefined ? { policyNamespace: env.policyNamespace } : {}),
          ...(ruleValues !== undefined ? { ruleValues: { ...ruleValues } } : {}),
        },
        ...(foreachValues !== undefined ? { foreachValues } : {}),
      });
    } else {
      generated = generatePattern(patternOf(block), patternEnv);
    }
    return { ...ruleResult(rule.name, 'Generation', 'pass', ''), generatedResources: generated };
  } catch (err) {
    // The verdict stays `pass` (see RuleResult.generateError); the controller reports the failure.
    const failure = ruleError(rule.name, 'Generation', 'failed to generate resource', err).message;
    return { ...ruleResult(rule.name, 'Generation', 'pass', ''), generateError: failure };
  }
}
