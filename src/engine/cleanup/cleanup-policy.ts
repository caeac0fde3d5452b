/**
 * @module ClusterCleanupPolicy / CleanupPolicy (kyverno.io/v2, v2beta1; Kyverno
 * pkg/controllers/cleanup/controller.go): which kinds a run lists, and whether a listed object is
 * deleted. A candidate must be in a namespaced policy's namespace, selected by `match` and not by
 * `exclude` (there is no admission request, so user info is ignored), and meet `conditions`, whose
 * variables see the candidate as `target`, its namespace as `request.namespace`, its `images`, and
 * the policy's `context` entries, loaded once per run before any candidate (as Kyverno does).
 */
import { evaluateConditions } from '../conditions/evaluate.js';
import { extractImages } from '../context/images.js';
import { JsonContext } from '../context/json-context.js';
import { loadContextEntries } from '../context/load-context.js';
import { type Diagnostic, diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { cleanupPolicySchema } from '../kinds/cleanup-policy/schema.js';
import type {
  Conditions,
  ContextEntry,
  MatchResources,
  ResourceFilter,
  Rule,
} from '../kinds/cluster-policy/types.js';
import { ruleMatches } from '../match/match-rule.js';
import type { KubeObject, ObjectMeta } from '../model/kube-object.js';
import type { Ports } from '../ports.js';
import type { Operation } from '../request.js';
import { validateSchema } from '../schema/schema-dsl.js';
import { type CronSchedule, parseCronSchedule } from './cron-next.js';
import type { PropagationPolicy } from './ttl.js';

export interface CleanupPolicy {
  apiVersion: string;
  kind: 'ClusterCleanupPolicy' | 'CleanupPolicy';
  metadata: ObjectMeta & { name: string };
  spec: {
    context?: ContextEntry[];
    match: MatchResources;
    exclude?: MatchResources;
    schedule: string;
    conditions?: Conditions;
    deletionPropagationPolicy?: PropagationPolicy;
  };
  status?: { lastExecutionTime?: string };
}

export interface CompiledCleanupPolicy {
  readonly policy: CleanupPolicy;
  /** Set for a CleanupPolicy: nothing outside this namespace is listed or deleted. */
  readonly namespace: string | undefined;
  /** The kinds `match` names (`Pod`, `apps/v1/Deployment`, …), each listed once per run. */
  readonly kinds: readonly string[];
  readonly schedule: CronSchedule;
}

function filterKinds(filters: readonly ResourceFilter[] | undefined): string[] {
  return (filters ?? []).flatMap((f) => f.resources?.kinds ?? []);
}

/** Checks and prepares a cleanup policy. Never throws. */
export function compileCleanupPolicy(document: unknown): Result<CompiledCleanupPolicy> {
  const issues: Diagnostic[] = validateSchema(cleanupPolicySchema, document);
  const policy = document as CleanupPolicy;
  const kind = (document as { kind?: unknown } | null)?.kind;
  if (kind !== 'ClusterCleanupPolicy' && kind !== 'CleanupPolicy')
    issues.push(diagnostic('policy/unsupported-kind', `${String(kind)} is not a cleanup policy`, ['kind']));
  if (issues.some((d) => d.severity === 'error')) return { ok: false, issues };
  const schedule = parseCronSchedule(policy.spec.schedule);
  if (typeof schedule === 'string')
    return { ok: false, issues: [diagnostic('policy/invalid-value', schedule, ['spec', 'schedule'])] };
  const match = policy.spec.match;
  const kinds = [
    ...new Set([...filterKinds(match.any), ...filterKinds(match.all), ...(match.resources?.kinds ?? [])]),
  ];
  const namespace = kind === 'CleanupPolicy' ? (policy.metadata.namespace ?? 'default') : undefined;
  return { ok: true, value: { policy, namespace, kinds, schedule }, warnings: issues };
}

/**
 * Whether `match` selects the object and `exclude` does not, inside the policy's namespace.
 * `namespaceLabels`: the labels of the object's namespace (namespaceSelector).
 */
export function cleanupCandidateMatches(
  compiled: CompiledCleanupPolicy,
  object: KubeObject,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): boolean {
  const ns = object.metadata?.namespace ?? '';
  if (compiled.namespace !== undefined && ns !== compiled.namespace) return false;
  const rule = { name: 'cleanup', match: compiled.policy.spec.match } as Rule;
  if (compiled.policy.spec.exclude !== undefined) rule.exclude = compiled.policy.spec.exclude;
  return ruleMatches(rule, {
    resource: object,
    // No admission operation: a filter listing operations selects nothing (Kyverno passes "").
    operation: '' as Operation,
    ...(namespaceLabels !== undefined ? { namespaceLabels } : {}),
    ...(compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {}),
  });
}

export type CleanupContext =
  | { readonly ok: true; readonly root: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: string };

/** Loads the policy's `context` entries (once per run), with the ports of the run. Never throws. */
export function loadCleanupContext(compiled: CompiledCleanupPolicy, ports: Ports): CleanupContext {
  const ctx = new JsonContext(
    {},
    ports.clock !== undefined ? { functionContext: { now: () => ports.clock!.now() } } : {},
  );
  try {
    loadContextEntries(compiled.policy.spec.context, ctx, {
      ports,
      ...(compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {}),
    });
    return { ok: true, root: ctx.root };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export type ConditionsVerdict = { readonly met: boolean } | { readonly error: string };

/** Whether the candidate meets `conditions` (absent conditions are met). Never throws. */
export function cleanupConditionsMet(
  compiled: CompiledCleanupPolicy,
  context: Readonly<Record<string, unknown>>,
  object: KubeObject,
  now?: () => Date,
): ConditionsVerdict {
  const conditions = compiled.policy.spec.conditions;
  if (conditions === undefined) return { met: true };
  const images = extractImages(object);
  const root: Record<string, unknown> = {
    ...context,
    target: object,
    request: { namespace: object.metadata?.namespace ?? '' },
    ...(images !== undefined ? { images } : {}),
  };
  const ctx = new JsonContext(root, now !== undefined ? { functionContext: { now } } : {});
  try {
    return { met: evaluateConditions(conditions, ctx).met };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
