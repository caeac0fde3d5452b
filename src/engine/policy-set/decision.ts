/**
 * @module The admission decision over every policy result: enforced failures deny the request with
 * Kyverno's message (reference §3.4, pkg/webhooks/utils/block.go wording for ClusterPolicy/Policy,
 * the CEL handlers' `Policy <name> failed: …` for the CEL kinds), Audit failures are kept
 * apart, and the patch is the RFC 6902 diff from the request's object to the mutated one.
 */
import fastJsonPatch from 'fast-json-patch';
import type { KubeObject } from '../model/kube-object.js';
import { goYamlNestedMap } from './go-yaml.js';
import { celPolicyMessage } from './results.js';
import type {
  AdmissionOutcome,
  AdmissionState,
  GeneratedObject,
  PolicyResult,
  RuleFailure,
} from './types.js';

// DeletingPolicies answer cleanup questions; their verdicts never decide an admission.
const NOT_ADMISSION = new Set(['DeletingPolicy', 'NamespacedDeletingPolicy']);

function isEnforced(result: PolicyResult, rule: string, status: 'fail' | 'error'): boolean {
  const action = result.ruleActions?.[rule] ?? result.response.validationFailureAction;
  if (action !== 'Enforce') return false;
  return status === 'fail' || result.failurePolicy !== 'Ignore';
}

// Kyverno's own kinds; the CEL kinds' handlers word their denials differently.
const LEGACY_KINDS = new Set(['ClusterPolicy', 'Policy']);

/** `<Kind>/<ns>/<name>`, the namespace empty for a cluster-scoped object (Kyverno's format string). */
function resourceName(object: KubeObject): string {
  return `${object.kind ?? ''}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/**
 * Kyverno's denial for ClusterPolicy/Policy rules (pkg/webhooks/utils/block.go): `resource
 * <Kind>/<ns>/<name> was blocked due to the following policies` and the policy → rule → message map
 * as Go's YAML encoder writes it.
 */
export function blockedMessage(object: KubeObject, failures: readonly RuleFailure[]): string {
  const byPolicy = new Map<string, Map<string, string>>();
  for (const f of failures) {
    const rules = byPolicy.get(f.policy.name) ?? new Map<string, string>();
    rules.set(f.rule, f.message);
    byPolicy.set(f.policy.name, rules);
  }
  return `\n\nresource ${resourceName(object)} was blocked due to the following policies \n\n${goYamlNestedMap(byPolicy)}`;
}

/**
 * The CEL kinds' denial (pkg/webhooks/resource/vpol/handler.go, ivpol/handler.go): `Policy <name>
 * failed: <message>` (`error:` for an error) per failed rule, joined by `; ` as Go's multierr joins.
 */
export function celDeniedMessage(failures: readonly RuleFailure[]): string {
  return failures.map((f) => celPolicyMessage(f.policy.name, f.status, f.message)).join('; ');
}

function deniedMessage(object: KubeObject, enforced: readonly RuleFailure[]): string {
  return enforced.every((f) => !LEGACY_KINDS.has(f.policy.kind))
    ? celDeniedMessage(enforced)
    : blockedMessage(object, enforced);
}

/** Splits failures into enforced and audit ones; collects generated objects and patched targets. */
function collect(results: readonly PolicyResult[]) {
  const enforced: RuleFailure[] = [];
  const audit: RuleFailure[] = [];
  const generated: GeneratedObject[] = [];
  const targets: GeneratedObject[] = [];
  for (const r of results) {
    const decides = !NOT_ADMISSION.has(r.response.policyKind);
    for (const rule of r.response.rules) {
      if (rule.generatedResources !== undefined)
        for (const object of rule.generatedResources) generated.push({ policy: r.policy, object });
      if (rule.patchedTargets !== undefined)
        for (const [i, object] of rule.patchedTargets.entries()) {
          const subresource = rule.patchedTargetSubresources?.[i] ?? '';
          targets.push({ policy: r.policy, object, ...(subresource !== '' ? { subresource } : {}) });
        }
      if (!decides || (rule.status !== 'fail' && rule.status !== 'error')) continue;
      if (rule.type !== 'Validation' && rule.type !== 'ImageVerify') continue;
      const failure: RuleFailure = {
        policy: r.policy,
        rule: rule.name,
        status: rule.status,
        message: rule.message,
      };
      (isEnforced(r, rule.name, rule.status) ? enforced : audit).push(failure);
    }
  }
  return { enforced, audit, generated, targets };
}

/**
 * The outcome of an admission once every phase has run. Never throws. A denial's message is written
 * when first read (then kept): `apply` denies most resources it checks and never prints it, and
 * Kyverno's message (a Go YAML map of every failure) was ~4% of its CPU.
 */
export function decide(state: AdmissionState): AdmissionOutcome {
  const { enforced, audit, generated, targets } = collect(state.results);
  const requested = state.request.object;
  const patchedObject = requested === null ? null : state.object;
  const patch =
    requested === null || state.object === requested ? [] : fastJsonPatch.compare(requested, state.object);
  const stoppedBy = state.runtime.budget?.stopped;
  // Literals in the former spreads' key order (allowed, message, the rest, stoppedBy last), not a
  // `rest` object spread into one: a spread is V8's slow path, and this runs once per request.
  let outcome: Mutable<AdmissionOutcome>;
  if (enforced.length === 0)
    outcome = {
      allowed: true,
      responses: state.results,
      patchedObject,
      patch,
      warnings: state.warnings,
      enforcedFailures: enforced,
      auditFailures: audit,
      generated,
      mutatedTargets: targets,
    };
  else {
    const original = state.original;
    let message: string | undefined;
    // An enumerable getter in the place of the former property: spreads, JSON and deep equality see
    // the same keys in the same order, and the same text.
    outcome = {
      allowed: false,
      get message() {
        message ??= deniedMessage(original, enforced);
        return message;
      },
      responses: state.results,
      patchedObject,
      patch,
      warnings: state.warnings,
      enforcedFailures: enforced,
      auditFailures: audit,
      generated,
      mutatedTargets: targets,
    };
  }
  if (stoppedBy !== undefined) outcome.stoppedBy = stoppedBy;
  return outcome;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
