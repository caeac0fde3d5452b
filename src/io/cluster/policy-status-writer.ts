/**
 * @module The leader's policy status writer: every policy object in the cluster (kyverno.io and
 * policies.kyverno.io kinds, where their CRDs are installed) gets the status the engine computes
 * (policyStatus) from whether it compiles, checked with the CLI's loader, and whether the served
 * set registered it in a webhook. Written through the status subresource with the read
 * resourceVersion (a 409 waits for the next round); an unchanged status is not written.
 */
import {
  type PolicyOutcome,
  type PolicyRegistration,
  policyStatus,
  type RbacOutcome,
  sameJson,
} from '../../engine/index.js';
import { isConflict, isNotFound, type KubeRest } from './kube-rest.js';

interface PolicyKind {
  readonly group: 'kyverno.io' | 'policies.kyverno.io';
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** The version to read it at, when not the group's preferred one (kyverno.io prefers v2, where
   * PolicyException and the cleanup kinds live; its policies are served at v1). */
  readonly version?: string;
}

/** The kinds whose policies are served by admission webhooks (and so have a readiness). */
export const STATUS_KINDS: readonly PolicyKind[] = [
  { group: 'kyverno.io', kind: 'ClusterPolicy', plural: 'clusterpolicies', namespaced: false, version: 'v1' },
  { group: 'kyverno.io', kind: 'Policy', plural: 'policies', namespaced: true, version: 'v1' },
  { group: 'policies.kyverno.io', kind: 'ValidatingPolicy', plural: 'validatingpolicies', namespaced: false },
  {
    group: 'policies.kyverno.io',
    kind: 'NamespacedValidatingPolicy',
    plural: 'namespacedvalidatingpolicies',
    namespaced: true,
  },
  {
    group: 'policies.kyverno.io',
    kind: 'ImageValidatingPolicy',
    plural: 'imagevalidatingpolicies',
    namespaced: false,
  },
  {
    group: 'policies.kyverno.io',
    kind: 'NamespacedImageValidatingPolicy',
    plural: 'namespacedimagevalidatingpolicies',
    namespaced: true,
  },
  { group: 'policies.kyverno.io', kind: 'MutatingPolicy', plural: 'mutatingpolicies', namespaced: false },
  {
    group: 'policies.kyverno.io',
    kind: 'NamespacedMutatingPolicy',
    plural: 'namespacedmutatingpolicies',
    namespaced: true,
  },
  { group: 'policies.kyverno.io', kind: 'GeneratingPolicy', plural: 'generatingpolicies', namespaced: false },
  {
    group: 'policies.kyverno.io',
    kind: 'NamespacedGeneratingPolicy',
    plural: 'namespacedgeneratingpolicies',
    namespaced: true,
  },
];

interface PolicyObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
  };
  spec?: Record<string, unknown>;
  status?: unknown;
}

export interface StatusWriterOptions {
  readonly rest: KubeRest;
  /** The policy's load errors as `field.path: message` lines (none: it compiles). */
  readonly check: (object: unknown) => Promise<readonly string[]>;
  /** RFC 3339 now (injected for tests). */
  readonly now?: () => string;
}

export interface StatusRound {
  readonly written: readonly string[];
  readonly unchanged: number;
  readonly conflicts: number;
}

const keyOf = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? ''}/${name}`;

function outcomeOf(errors: readonly string[], registration: PolicyRegistration | undefined): PolicyOutcome {
  if (errors.length > 0) return { compiled: false, diagnostics: errors };
  if (registration === undefined)
    return { compiled: true, registered: { reason: 'the policy is not in the set this server serves' } };
  if (registration.webhooks.length === 0 && registration.unresolvedKinds.length > 0)
    return {
      compiled: true,
      registered: {
        reason: `no webhook registered: the API server serves no ${registration.unresolvedKinds.join(', ')}`,
      },
    };
  return { compiled: true, registered: true };
}

function backgroundEnabled(spec: Record<string, unknown> | undefined): boolean {
  const evaluation = (spec?.evaluation ?? {}) as { background?: { enabled?: boolean } };
  return evaluation.background?.enabled !== false;
}

interface Gvr {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

function gvrsOf(spec: Record<string, unknown> | undefined): Gvr[] {
  const rules = ((spec?.matchConstraints ?? {}) as { resourceRules?: unknown }).resourceRules;
  const out: Gvr[] = [];
  if (!Array.isArray(rules)) return out;
  for (const r of rules as { apiGroups?: string[]; apiVersions?: string[]; resources?: string[] }[])
    for (const group of r.apiGroups ?? [])
      for (const version of r.apiVersions ?? [])
        for (const resource of r.resources ?? []) out.push({ group, version, resource });
  return out;
}

export function createStatusWriter(options: StatusWriterOptions) {
  const { rest } = options;
  const now = options.now ?? (() => new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
  // Load errors by uid and generation: a policy is compiled again only when its spec changes.
  const checked = new Map<string, readonly string[]>();

  const preferredVersion = async (group: string): Promise<string | undefined> => {
    try {
      const g = await rest.get<{ preferredVersion?: { groupVersion?: string } }>(`/apis/${group}`);
      return g.preferredVersion?.groupVersion;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };

  /** What this server's account may not do on the resources (get, list, watch), for reporting. */
  const rbacFor = async (gvrs: readonly Gvr[], cache: Map<string, string[]>): Promise<RbacOutcome> => {
    const missing: string[] = [];
    for (const gvr of gvrs) {
      const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
      let denied = cache.get(key);
      if (denied === undefined) {
        denied = [];
        for (const verb of ['get', 'list', 'watch']) {
          const review = await rest.post<{ status?: { allowed?: boolean; reason?: string } }>(
            '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
            {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: { resourceAttributes: { ...gvr, verb } },
            },
          );
          if (review.status?.allowed !== true) denied.push(`${verb} ${key}`);
        }
        cache.set(key, denied);
      }
      missing.push(...denied);
    }
    return { needed: true, missing };
  };

  return async function writeStatuses(
    registrations: readonly PolicyRegistration[],
    signal: AbortSignal,
  ): Promise<StatusRound> {
    const byKey = new Map(
      registrations.map((r) => [keyOf(r.policy.kind, r.policy.namespace, r.policy.name), r]),
    );
    const versions = new Map<string, string | undefined>();
    for (const group of ['kyverno.io', 'policies.kyverno.io'])
      versions.set(group, await preferredVersion(group));
    const rbacCache = new Map<string, string[]>();
    const written: string[] = [];
    let unchanged = 0;
    let conflicts = 0;
    const seen = new Set<string>();
    for (const k of STATUS_KINDS) {
      const preferred = versions.get(k.group);
      if (preferred === undefined) continue;
      const gv = k.version !== undefined ? `${k.group}/${k.version}` : preferred;
      let items: PolicyObject[];
      try {
        items = (await rest.get<{ items?: PolicyObject[] }>(`/apis/${gv}/${k.plural}`)).items ?? [];
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      for (const item of items) {
        if (signal.aborted) return { written, unchanged, conflicts };
        const name = item.metadata?.name ?? '';
        const namespace = k.namespaced ? item.metadata?.namespace : undefined;
        // Lists do not carry apiVersion/kind on items; the status computation needs them.
        const policy = { ...item, apiVersion: gv, kind: k.kind };
        const cacheKey = `${item.metadata?.uid ?? name}@${item.metadata?.generation ?? 0}`;
        seen.add(cacheKey);
        let errors = checked.get(cacheKey);
        if (errors === undefined) {
          errors = await options.check(policy);
          checked.set(cacheKey, errors);
        }
        const outcome = outcomeOf(errors, byKey.get(keyOf(k.kind, namespace, name)));
        const rbac =
          k.group === 'policies.kyverno.io' && backgroundEnabled(item.spec)
            ? await rbacFor(gvrsOf(item.spec), rbacCache)
            : ({ needed: false } as const);
        const status = policyStatus({ policy, outcome, rbac, now: now() });
        if (sameJson(status, item.status)) {
          unchanged++;
          continue;
        }
        const path = `/apis/${gv}/${namespace !== undefined ? `namespaces/${namespace}/` : ''}${k.plural}/${name}/status`;
        try {
          await rest.put(path, { ...policy, status });
          written.push(keyOf(k.kind, namespace, name));
        } catch (err) {
          if (isConflict(err)) conflicts++;
          else if (!isNotFound(err)) throw err;
        }
      }
    }
    for (const key of checked.keys()) if (!seen.has(key)) checked.delete(key);
    return { written, unchanged, conflicts };
  };
}
