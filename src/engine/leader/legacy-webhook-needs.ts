/**
 * @module The webhooks a ClusterPolicy/Policy needs (Kyverno's webhook controller, mergeWebhook and
 * collectResourceDescriptions): the validating webhook for validate, generate, mutate-existing and
 * image-check rules (operations default to all four), the mutating webhook for mutate and
 * verifyImages rules (CREATE and UPDATE by default), each in the policy's failure-policy bucket.
 * Generate rules add the kinds they generate (CREATE, UPDATE, DELETE) so that downstream changes
 * reach the webhook. An `exclude.any` entry naming only kinds and operations takes those away.
 */
import type { CompiledPolicy } from '../kinds/cluster-policy/evaluate-policy.js';
import type { MatchResources, ResourceDescription, Rule } from '../kinds/cluster-policy/types.js';
import {
  hasVerifyImageChecks,
  hasVerifyImages,
} from '../kinds/cluster-policy/verify-images/image-verification.js';
import {
  type AdmissionOp,
  ALL_OPERATIONS,
  type KindNeed,
  type MatchConditionNeed,
  type WebhookNeed,
} from './webhook-needs.js';

const CREATE_UPDATE: readonly AdmissionOp[] = ['CREATE', 'UPDATE'];
const CREATE_UPDATE_DELETE: readonly AdmissionOp[] = ['CREATE', 'UPDATE', 'DELETE'];

type KindOps = Map<string, Set<AdmissionOp>>;

function add(out: KindOps, kind: string, ops: readonly AdmissionOp[]): void {
  let set = out.get(kind);
  if (set === undefined) {
    set = new Set();
    out.set(kind, set);
  }
  for (const op of ops) set.add(op);
}

function operationsOf(
  d: ResourceDescription | undefined,
  fallback: readonly AdmissionOp[],
): readonly AdmissionOp[] {
  const ops = (d?.operations ?? []).filter((o): o is AdmissionOp =>
    (ALL_OPERATIONS as readonly string[]).includes(o),
  );
  return ops.length > 0 ? ops : fallback;
}

/** Kyverno's collectResourceDescriptions. */
function collect(rule: Rule, fallback: readonly AdmissionOp[], out: KindOps): void {
  const match: MatchResources = rule.match ?? {};
  const descriptions = [
    match.resources,
    ...(match.all ?? []).map((f) => f.resources),
    ...(match.any ?? []).map((f) => f.resources),
  ];
  const local: KindOps = new Map();
  for (const d of descriptions)
    for (const kind of d?.kinds ?? []) add(local, kind, operationsOf(d, fallback));
  for (const f of rule.exclude?.any ?? []) {
    const d = f.resources;
    const onlyKindsAndOps =
      (f.subjects ?? []).length === 0 &&
      (f.roles ?? []).length === 0 &&
      (f.clusterRoles ?? []).length === 0 &&
      d !== undefined &&
      d.name === undefined &&
      (d.names ?? []).length === 0 &&
      (d.namespaces ?? []).length === 0 &&
      d.annotations === undefined &&
      d.selector === undefined &&
      d.namespaceSelector === undefined;
    if (!onlyKindsAndOps) continue;
    const ops = (d.operations ?? []).length > 0 ? operationsOf(d, []) : ALL_OPERATIONS;
    for (const kind of (d.kinds ?? []).length > 0 ? (d.kinds ?? []) : [...local.keys()]) {
      const set = local.get(kind);
      if (set !== undefined) for (const op of ops) set.delete(op);
    }
  }
  for (const [kind, ops] of local) add(out, kind, [...ops]);
}

function generatedKinds(generate: Record<string, unknown>): string[] {
  const kinds: string[] = [];
  const one = (g: Record<string, unknown>): void => {
    if (typeof g.kind === 'string' && g.kind !== '') kinds.push(g.kind);
    else {
      const list = (g.cloneList as { kinds?: unknown } | undefined)?.kinds;
      if (Array.isArray(list)) for (const k of list) if (typeof k === 'string') kinds.push(k);
    }
  };
  one(generate);
  const each = generate.foreach;
  if (Array.isArray(each))
    for (const g of each) if (g !== null && typeof g === 'object') one(g as Record<string, unknown>);
  return kinds;
}

const isMutateExisting = (r: Rule): boolean =>
  r.mutate !== undefined && Array.isArray(r.mutate.targets) && r.mutate.targets.length > 0;

function kindNeeds(rules: readonly Rule[], validating: boolean): KindNeed[] {
  const out: KindOps = new Map();
  for (const rule of rules) {
    if (rule.generate !== undefined) {
      collect(rule, ALL_OPERATIONS, out);
      for (const kind of generatedKinds(rule.generate as Record<string, unknown>))
        add(out, kind, CREATE_UPDATE_DELETE);
    } else if (validating) {
      if (rule.validate !== undefined || hasVerifyImageChecks(rule) || isMutateExisting(rule))
        collect(rule, ALL_OPERATIONS, out);
    } else if ((rule.mutate !== undefined && !isMutateExisting(rule)) || hasVerifyImages(rule)) {
      collect(rule, CREATE_UPDATE, out);
    }
  }
  return [...out]
    .filter(([, ops]) => ops.size > 0)
    .map(([selector, ops]) => ({ selector, operations: ALL_OPERATIONS.filter((o) => ops.has(o)) }));
}

function timeoutOf(spec: Record<string, unknown>): number | undefined {
  const own = spec.webhookTimeoutSeconds;
  if (typeof own === 'number') return own;
  const cfg = spec.webhookConfiguration as { timeoutSeconds?: unknown } | undefined;
  return typeof cfg?.timeoutSeconds === 'number' ? cfg.timeoutSeconds : undefined;
}

function matchConditionsOf(spec: Record<string, unknown>): MatchConditionNeed[] | undefined {
  const list = (spec.webhookConfiguration as { matchConditions?: unknown } | undefined)?.matchConditions;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.filter(
    (c): c is MatchConditionNeed =>
      c !== null && typeof c === 'object' && typeof c.name === 'string' && typeof c.expression === 'string',
  );
}

/** The webhooks a compiled ClusterPolicy/Policy needs (none with `spec.admission: false`). */
export function legacyWebhookNeeds(compiled: CompiledPolicy): WebhookNeed[] {
  const spec = compiled.policy.spec;
  if (spec.admission === false) return [];
  const rules = compiled.rules;
  const hasValidating = rules.some(
    (r) =>
      r.validate !== undefined || r.generate !== undefined || isMutateExisting(r) || hasVerifyImageChecks(r),
  );
  const hasMutating = rules.some(
    (r) => (r.mutate !== undefined && !isMutateExisting(r)) || hasVerifyImages(r),
  );
  const failurePolicy = spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail';
  const timeoutSeconds = timeoutOf(spec);
  const matchConditions = matchConditionsOf(spec);
  const base = {
    failurePolicy,
    namespaced: compiled.namespace !== undefined,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(matchConditions !== undefined ? { matchConditions } : {}),
  } as const;
  const out: WebhookNeed[] = [];
  if (hasValidating) out.push({ ...base, family: 'validate', kinds: kindNeeds(rules, true) });
  if (hasMutating) out.push({ ...base, family: 'mutate', kinds: kindNeeds(rules, false) });
  return out;
}
