/**
 * @module Auto-generation of rules for Pod controllers (kyverno.io "Auto-Gen Rules for Pod
 * Controllers", Kyverno pkg/autogen/v1 ComputeRules). The original rules come first, then for each
 * eligible rule `autogen-<rule>` (DaemonSet, Deployment, Job, ReplicaSet, ReplicationController,
 * StatefulSet) and `autogen-cronjob-<rule>` (CronJob). The annotation
 * `pod-policies.kyverno.io/autogen-controllers` (`none`, `all` or a comma list) restricts the set; it
 * cannot enable autogen on an ineligible policy.
 */
import type { KyvernoPolicy, Rule } from '../types.js';
import { canAutoGen, POD_CONTROLLERS } from './can-autogen.js';
import {
  generateCronJobRule,
  generateRuleForControllers,
  isAutogenRuleName,
  splitKinds,
} from './generate-rule.js';
import { rewriteSerialized, type TemplateTarget } from './rewrite-references.js';

export const AUTOGEN_CONTROLLERS_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

/** Never throws; returns the policy's rules unchanged when nothing is generated. */
export function computeRules(policy: KyvernoPolicy): Rule[] {
  const rules = policy.spec?.rules ?? [];
  if (!canAutoGen(policy.spec ?? {})) return [...rules];
  const annotation = policy.metadata?.annotations?.[AUTOGEN_CONTROLLERS_ANNOTATION];
  // Not trimmed, as in Kyverno: `Deployment, Job` leaves ` Job` unknown.
  const requested = annotation === undefined ? POD_CONTROLLERS : annotation.split(',');
  const controllers = [...new Set(requested)].sort().join(',');
  if (controllers === 'none') return [...rules];

  const generated: Rule[] = [];
  for (const rule of rules) {
    const forControllers = generateRuleForControllers(rule, stripCronJob(controllers));
    if (forControllers) generated.push(finalize(forControllers, 'pod-controllers'));
    const forCronJob = generateCronJobRule(rule, controllers);
    if (forCronJob) generated.push(finalize(forCronJob, 'cronjob'));
  }
  if (generated.length === 0) return [...rules];
  // Stale autogen rules stored in the policy are replaced by the freshly computed ones.
  return [...rules.filter((r) => !isAutogenRuleName(r.name)), ...generated];
}

function stripCronJob(controllers: string): string {
  return splitKinds(controllers)
    .filter((c) => c !== 'CronJob')
    .join(',');
}

/**
 * Keeps only the fields Kyverno's autogen round-trip keeps, then applies the substring rewriting
 * over the serialized rule (messages, preconditions and context included).
 */
function finalize(rule: Rule, target: TemplateTarget): Rule {
  const out: Rule = { name: rule.name };
  if (rule.match != null && !isEmptyObject(rule.match)) out.match = rule.match;
  if (rule.exclude != null && !isEmptyObject(rule.exclude)) out.exclude = rule.exclude;
  if (rule.context != null && rule.context.length > 0) out.context = rule.context;
  if (rule.preconditions != null && !isEmptyConditions(rule.preconditions))
    out.preconditions = rule.preconditions;
  if (rule.celPreconditions != null && rule.celPreconditions.length > 0)
    out.celPreconditions = rule.celPreconditions;
  if (rule.mutate != null && !isEmptyObject(rule.mutate)) out.mutate = rule.mutate;
  if (rule.validate != null && !isEmptyObject(rule.validate)) out.validate = rule.validate;
  if (rule.verifyImages != null) out.verifyImages = rule.verifyImages;
  if (rule.skipBackgroundRequests != null) out.skipBackgroundRequests = rule.skipBackgroundRequests;
  if (rule.reportProperties != null && Object.keys(rule.reportProperties).length > 0) {
    out.reportProperties = rule.reportProperties;
  }
  return rewriteSerialized(out, target, out.validate?.cel != null);
}

function isEmptyObject(v: object): boolean {
  return Object.keys(v).length === 0;
}

function isEmptyConditions(c: Rule['preconditions']): boolean {
  if (Array.isArray(c)) return c.length === 0;
  return c == null || (c.any == null && c.all == null);
}
