/**
 * @module A policy's `status` as the leader writes it (reference §9.1 "Policy readiness", Kyverno's
 * webhook and policystatus controllers), computed from what became of the policy: whether it
 * compiled (else its diagnostics) and whether the served set registered it in a webhook.
 *
 * - kyverno.io ClusterPolicy/Policy: `conditions[type=Ready]` (reason Succeeded/Failed, message
 *   `Ready`, `Not Ready`, or the diagnostics) and `rulecount`.
 * - policies.kyverno.io kinds: `conditionStatus` with `WebhookConfigured` and
 *   `RBACPermissionsGranted` conditions and `ready` (every condition True).
 *
 * Conditions keep their `lastTransitionTime` while their status does not change
 * (meta.SetStatusCondition), so an unchanged policy yields an equal status and is not rewritten.
 */

export interface StatusCondition {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
}

/** What became of one policy object. */
export type PolicyOutcome =
  | {
      readonly compiled: true;
      /** Registered in the webhooks it needs (true when it needs none); else why not. */
      readonly registered: true | { readonly reason: string };
    }
  | { readonly compiled: false; readonly diagnostics: readonly string[] };

/** The reports controller's permissions on the policy's resources (CEL kinds). */
export type RbacOutcome =
  | { readonly needed: false }
  | { readonly needed: true; readonly missing: readonly string[] };

export interface PolicyStatusInput {
  /** The policy object as read (apiVersion, kind, metadata.generation, spec, status). */
  readonly policy: {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata?: { readonly generation?: number };
    readonly spec?: unknown;
    readonly status?: unknown;
  };
  readonly outcome: PolicyOutcome;
  readonly rbac?: RbacOutcome;
  /** RFC 3339 (seconds), for new transitions. */
  readonly now: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** meta.SetStatusCondition: replaces the condition of that type, keeping its transition time if the status is unchanged. */
export function setCondition(
  conditions: readonly StatusCondition[],
  next: Omit<StatusCondition, 'lastTransitionTime'>,
  now: string,
): StatusCondition[] {
  const old = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = old !== undefined && old.status === next.status ? old.lastTransitionTime : now;
  const updated = { ...next, lastTransitionTime };
  return old === undefined
    ? [...conditions, updated]
    : conditions.map((c) => (c.type === next.type ? updated : c));
}

function conditionsOf(v: unknown): StatusCondition[] {
  return Array.isArray(v) ? (v.filter(isObj) as unknown as StatusCondition[]) : [];
}

function condition(
  type: string,
  ok: boolean,
  message: string,
  generation: number | undefined,
): Omit<StatusCondition, 'lastTransitionTime'> {
  return {
    type,
    status: ok ? 'True' : 'False',
    reason: ok ? 'Succeeded' : 'Failed',
    message,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
}

const isAutogen = (name: unknown): boolean => typeof name === 'string' && name.startsWith('autogen-');

/** Kyverno's setRuleCount: rules of each type, autogen rules left out. */
export function ruleCount(spec: unknown): {
  validate: number;
  generate: number;
  mutate: number;
  verifyimages: number;
} {
  const rules = isObj(spec) && Array.isArray(spec.rules) ? spec.rules.filter(isObj) : [];
  const count = (key: string) => rules.filter((r) => !isAutogen(r.name) && r[key] !== undefined).length;
  return {
    validate: count('validate'),
    generate: count('generate'),
    mutate: count('mutate'),
    verifyimages: count('verifyImages'),
  };
}

function readiness(outcome: PolicyOutcome): { ok: boolean; message: string } {
  if (!outcome.compiled) return { ok: false, message: outcome.diagnostics.join('\n') };
  if (outcome.registered === true) return { ok: true, message: 'Ready' };
  return { ok: false, message: `Not Ready: ${outcome.registered.reason}` };
}

function legacyStatus(input: PolicyStatusInput, previous: Obj, generation: number | undefined): Obj {
  const { ok, message } = readiness(input.outcome);
  const { ready: _deprecated, ...kept } = previous;
  return {
    ...kept,
    conditions: setCondition(
      conditionsOf(previous.conditions),
      condition('Ready', ok, message, generation),
      input.now,
    ),
    rulecount: ruleCount(input.policy.spec),
  };
}

function admissionEnabled(spec: unknown): boolean {
  const evaluation = isObj(spec) && isObj(spec.evaluation) ? spec.evaluation : {};
  return !(isObj(evaluation.admission) && evaluation.admission.enabled === false);
}

function celStatus(input: PolicyStatusInput, previous: Obj, generation: number | undefined): Obj {
  const prior = isObj(previous.conditionStatus) ? previous.conditionStatus : {};
  let conditions = conditionsOf(prior.conditions);
  const outcome = input.outcome;
  if (admissionEnabled(input.policy.spec) || !outcome.compiled) {
    const configured = outcome.compiled && outcome.registered === true;
    conditions = setCondition(
      conditions,
      condition(
        'WebhookConfigured',
        configured,
        configured ? 'Webhook configured.' : 'Policy is not configured in the webhook.',
        generation,
      ),
      input.now,
    );
  }
  const rbac = input.rbac ?? { needed: false };
  conditions = setCondition(
    conditions,
    rbac.needed
      ? rbac.missing.length === 0
        ? condition('RBACPermissionsGranted', true, 'Policy is ready for reporting.', generation)
        : condition(
            'RBACPermissionsGranted',
            false,
            `Policy is not ready for reporting, missing permissions: ${rbac.missing.join('; ')}.`,
            generation,
          )
      : condition(
          'RBACPermissionsGranted',
          true,
          'Background scanning disabled; reporting permissions not required.',
          generation,
        ),
    input.now,
  );
  const ready = conditions.every((c) => c.status === 'True');
  const message = readiness(outcome);
  return {
    ...previous,
    conditionStatus: {
      ready,
      conditions,
      ...(!message.ok ? { message: message.message } : {}),
    },
  };
}

/** The status to write for a policy of a kyverno.io or policies.kyverno.io kind. */
export function policyStatus(input: PolicyStatusInput): Obj {
  const previous = isObj(input.policy.status) ? input.policy.status : {};
  const generation = input.policy.metadata?.generation;
  const group = (input.policy.apiVersion ?? '').split('/')[0];
  return group === 'kyverno.io'
    ? legacyStatus(input, previous, generation)
    : celStatus(input, previous, generation);
}

/** Deep equality of two JSON values (to skip writing a status that did not change). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!isObj(a) || !isObj(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson(a[k], b[k]));
}
