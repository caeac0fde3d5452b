/**
 * @module The Validating/MutatingWebhookConfigurations a policy set needs (reference §9.1, Kyverno's
 * webhook controller), computed from the set and a discovery table without any I/O: one webhook per
 * failure-policy bucket for ClusterPolicy/Policy (`validate.palisade.svc-fail`, `…-ignore`), one of
 * their own for policies with `webhookConfiguration.matchConditions` (fine-grained), and per bucket
 * for each CEL kind, whose path names its policies (`/vpol/a/b`), except the CEL policies with valid
 * matchConditions, `matchPolicy: Exact` or a timeout of their own: each gets its own webhook
 * (`vpol.validate.palisade.svc-fail-finegrained-[ns-]name` on `/vpol/finegrained/[ns/]name`),
 * listed first in its family, sorted by namespace and name, as Kyverno does. Rules list the
 * resources the policies match (wildcards stay wildcards), merged per group/version/scope and
 * operations.
 * Every webhook skips Palisade's own namespace and kube-system (`kubernetes.io/metadata.name`),
 * and Fail webhooks skip the bootstrap resources (Node, CSR, Lease) by a match condition the API
 * server evaluates, so a stopped Palisade cannot keep nodes from registering.
 */

import { parseKindSelector } from '../match/kind-selector.js';
import type { KubeObject, LabelSelector } from '../model/kube-object.js';
import { webhookNeedsOf } from '../policy-set/compile.js';
import type { CompiledSetPolicy, PolicyRef, PolicySet } from '../policy-set/types.js';
import { wildcardMatch } from '../units/wildcard.js';
import type {
  AdmissionOp,
  MatchConditionNeed,
  OwnWebhookNeed,
  WebhookFamily,
  WebhookNeed,
} from './webhook-needs.js';
import { ALL_OPERATIONS } from './webhook-needs.js';

/** One resource the API server serves (`pods`, `pods/exec`, `deployments/scale`), from discovery. */
export interface DiscoveredResource {
  readonly group: string;
  readonly version: string;
  /** The resource's kind; for a subresource, the kind its endpoint takes (e.g. PodExecOptions). */
  readonly kind: string;
  /** Plural name, with `/subresource` for subresources. */
  readonly resource: string;
  readonly namespaced: boolean;
}

/** Where the API server reaches Palisade: its Service (in a pod) or a URL (serve run outside). */
export type WebhookEndpoint =
  | { readonly service: { readonly namespace: string; readonly name: string; readonly port?: number } }
  | { readonly url: string };

export interface WebhookConfigOptions {
  readonly endpoint: WebhookEndpoint;
  /** Base64 of the PEM CA certificates the API server trusts the serving certificate with. */
  readonly caBundle: string;
  /** Palisade's own namespace (excluded, with kube-system). */
  readonly namespace: string;
  /** `--webhook-timeout` in seconds; policies may ask for more (up to 30). */
  readonly timeoutSeconds: number;
}

export type Scope = '*' | 'Cluster' | 'Namespaced';

export interface WebhookRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly AdmissionOp[];
  readonly scope: Scope;
}

/** What became of one policy: the webhooks that now send it requests, kinds discovery did not know. */
export interface PolicyRegistration {
  readonly policy: PolicyRef;
  readonly webhooks: readonly string[];
  readonly unresolvedKinds: readonly string[];
}

export interface WebhookConfigurations {
  readonly validating: KubeObject;
  readonly mutating: KubeObject;
  /** The policy-validation webhook (`/policyvalidate`) for the policy kinds. */
  readonly policyValidating: KubeObject;
  readonly registrations: readonly PolicyRegistration[];
}

export const WEBHOOK_CONFIGURATION_NAMES = {
  validating: 'palisade-resource-validating-webhook-cfg',
  mutating: 'palisade-resource-mutating-webhook-cfg',
  policyValidating: 'palisade-policy-validating-webhook-cfg',
} as const;

export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': 'palisade' } as const;

export const BOOTSTRAP_EXCLUSION: MatchConditionNeed = {
  name: 'palisade-exclude-bootstrap-resources',
  expression: [
    '!(request.resource.group == "" && request.resource.resource == "nodes")',
    '!(request.resource.group == "certificates.k8s.io" && request.resource.resource == "certificatesigningrequests")',
    '!(request.resource.group == "coordination.k8s.io" && request.resource.resource == "leases")',
  ].join(' && '),
};

const MAX_TIMEOUT_SECONDS = 30;
const MAX_MATCH_CONDITIONS = 64;

/**
 * The segment after a CEL family's prefix that marks a policy's own path
 * (`/vpol/finegrained/name`, `/nvpol/finegrained/ns/name`); a shared path never starts with it.
 */
export const OWN_WEBHOOK_SEGMENT = 'finegrained';

interface Family {
  readonly webhook: string;
  readonly path: string;
  readonly mutating: boolean;
  /** The path names its policies (CEL kinds). */
  readonly names: boolean;
}

const FAMILIES: Readonly<Record<WebhookFamily, Family>> = {
  validate: { webhook: 'validate.palisade.svc', path: '/validate', mutating: false, names: false },
  mutate: { webhook: 'mutate.palisade.svc', path: '/mutate', mutating: true, names: false },
  vpol: { webhook: 'vpol.validate.palisade.svc', path: '/vpol', mutating: false, names: true },
  nvpol: { webhook: 'nvpol.validate.palisade.svc', path: '/nvpol', mutating: false, names: true },
  ivpol: { webhook: 'ivpol.validate.palisade.svc', path: '/ivpol/validate', mutating: false, names: true },
  nivpol: { webhook: 'nivpol.validate.palisade.svc', path: '/nivpol/validate', mutating: false, names: true },
  gpol: { webhook: 'gpol.validate.palisade.svc', path: '/gpol', mutating: false, names: true },
  ngpol: { webhook: 'ngpol.validate.palisade.svc', path: '/ngpol', mutating: false, names: true },
  mpol: { webhook: 'mpol.mutate.palisade.svc', path: '/mpol', mutating: true, names: true },
  nmpol: { webhook: 'nmpol.mutate.palisade.svc', path: '/nmpol', mutating: true, names: true },
};

interface RuleEntry {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly scope: Scope;
}

/** Kyverno's FindResources for one kind selector; wildcard kinds are not looked up. */
export function resolveKind(
  selector: string,
  discovery: readonly DiscoveredResource[],
  namespacedPolicy: boolean,
): RuleEntry[] | undefined {
  const s = parseKindSelector(selector);
  if (s.kind === '') return undefined;
  const policyScope: Scope = namespacedPolicy ? 'Namespaced' : '*';
  if (s.kind === '*') {
    const resource = s.subresource === '' ? '*' : `*/${s.subresource}`;
    return [{ group: s.group, version: s.version, resource, scope: policyScope }];
  }
  const parents = discovery.filter(
    (r) =>
      !r.resource.includes('/') &&
      wildcardMatch(s.group, r.group) &&
      wildcardMatch(s.version, r.version) &&
      wildcardMatch(s.kind, r.kind),
  );
  const out: RuleEntry[] = [];
  for (const p of parents) {
    const scope: Scope = p.namespaced ? 'Namespaced' : '*';
    if (s.subresource === '') {
      out.push({ group: p.group, version: p.version, resource: p.resource, scope });
      continue;
    }
    for (const r of discovery) {
      if (r.group !== p.group || r.version !== p.version) continue;
      const [parent, sub] = r.resource.split('/', 2);
      if (parent === p.resource && sub !== undefined && wildcardMatch(s.subresource, sub))
        out.push({ group: p.group, version: p.version, resource: r.resource, scope });
    }
  }
  return out.length > 0 ? out : undefined;
}

/** One webhook being assembled. */
interface Draft {
  readonly name: string;
  readonly path: string;
  readonly family: Family;
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly entries: Map<string, { entry: RuleEntry; ops: Set<AdmissionOp> }>;
  readonly policies: CompiledSetPolicy[];
  readonly matchConditions: readonly MatchConditionNeed[];
  timeoutSeconds: number;
  /** A CEL policy's own webhook (its path names no other policy). */
  readonly own?: { readonly ref: PolicyRef; readonly need: OwnWebhookNeed };
}

function addEntry(draft: Draft, entry: RuleEntry, ops: readonly AdmissionOp[]): void {
  const key = `${entry.group}\u0000${entry.version}\u0000${entry.resource}\u0000${entry.scope}`;
  let slot = draft.entries.get(key);
  if (slot === undefined) {
    slot = { entry, ops: new Set() };
    draft.entries.set(key, slot);
  }
  for (const op of ops) slot.ops.add(op);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Entries merged into rules: one per group/version/scope and operation set, resources sorted. */
function rulesOf(draft: Draft): WebhookRule[] {
  const grouped = new Map<
    string,
    { g: string; v: string; scope: Scope; ops: AdmissionOp[]; resources: string[] }
  >();
  for (const { entry, ops } of draft.entries.values()) {
    const opList = ALL_OPERATIONS.filter((o) => ops.has(o));
    const key = `${entry.group}\u0000${entry.version}\u0000${entry.scope}\u0000${opList.join(',')}`;
    let rule = grouped.get(key);
    if (rule === undefined) {
      rule = { g: entry.group, v: entry.version, scope: entry.scope, ops: opList, resources: [] };
      grouped.set(key, rule);
    }
    rule.resources.push(entry.resource);
  }
  // Kyverno's ClusterPolicy webhooks take `pods/ephemeralcontainers` wherever they take v1 pods, so
  // that `kubectl debug` is judged by the Pod rules (the engine matches Pod to that subresource).
  const legacy = !draft.family.names;
  const withEphemeral = (r: { g: string; v: string; resources: string[] }): string[] =>
    legacy &&
    (r.g === '' || r.g === '*') &&
    (r.v === 'v1' || r.v === '*') &&
    (r.resources.includes('pods') || r.resources.includes('*'))
      ? [...r.resources, 'pods/ephemeralcontainers']
      : r.resources;
  return [...grouped.values()]
    .map((r) => ({
      apiGroups: [r.g],
      apiVersions: [r.v],
      resources: [...new Set(withEphemeral(r))].sort(compare),
      operations: r.ops,
      scope: r.scope,
    }))
    .sort(
      (a, b) =>
        compare(a.apiGroups[0] ?? '', b.apiGroups[0] ?? '') ||
        compare(a.apiVersions[0] ?? '', b.apiVersions[0] ?? '') ||
        compare(a.resources.join(','), b.resources.join(',')) ||
        compare(a.operations.join(','), b.operations.join(',')) ||
        compare(a.scope, b.scope),
    );
}

/** A CEL rule's cross product, so that it merges with others like a resolved kind. */
function celEntries(rule: NonNullable<WebhookNeed['rules']>[number]): RuleEntry[] {
  const out: RuleEntry[] = [];
  const groups = rule.apiGroups.length > 0 ? rule.apiGroups : ['*'];
  const versions = rule.apiVersions.length > 0 ? rule.apiVersions : ['*'];
  for (const group of groups)
    for (const version of versions)
      for (const resource of rule.resources) out.push({ group, version, resource, scope: rule.scope });
  return out;
}

export function clientConfig(
  endpoint: WebhookEndpoint,
  caBundle: string,
  path: string,
): Record<string, unknown> {
  if ('url' in endpoint) return { url: `${endpoint.url.replace(/\/+$/, '')}${path}`, caBundle };
  const { namespace, name, port } = endpoint.service;
  return { service: { namespace, name, path, port: port ?? 443 }, caBundle };
}

/** Palisade's namespace and kube-system are never sent; a policy's own selector narrows further. */
function namespaceSelector(namespace: string, own?: LabelSelector): Record<string, unknown> {
  const values = [...new Set([namespace, 'kube-system'])].sort(compare);
  const exclusion = { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values };
  const labels = own?.matchLabels ?? {};
  return {
    ...(Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {}),
    matchExpressions: [...(own?.matchExpressions ?? []).map((e) => ({ ...e })), exclusion],
  };
}

const policyKey = (ref: PolicyRef): string =>
  ref.namespace !== undefined ? `${ref.namespace}/${ref.name}` : ref.name;

function webhookObject(draft: Draft, options: WebhookConfigOptions): Record<string, unknown> {
  const bootstrap =
    draft.failurePolicy === 'Fail' && !draft.matchConditions.some((c) => c.name === BOOTSTRAP_EXCLUSION.name)
      ? [BOOTSTRAP_EXCLUSION]
      : [];
  // The API server refuses a webhook with more than 64 conditions (and so the whole configuration):
  // then Palisade alone evaluates the policy's, as it does anyway.
  const policyConditions =
    draft.matchConditions.length + bootstrap.length <= MAX_MATCH_CONDITIONS ? draft.matchConditions : [];
  const conditions = [...policyConditions, ...bootstrap];
  const own = draft.own?.need;
  return {
    name: draft.name,
    clientConfig: clientConfig(options.endpoint, options.caBundle, draft.path),
    rules: rulesOf(draft),
    failurePolicy: draft.failurePolicy,
    sideEffects: 'NoneOnDryRun',
    admissionReviewVersions: ['v1'],
    namespaceSelector: namespaceSelector(options.namespace, own?.namespaceSelector),
    objectSelector: own?.objectSelector !== undefined ? structuredClone(own.objectSelector) : {},
    timeoutSeconds: draft.timeoutSeconds,
    matchPolicy: own?.matchPolicy ?? 'Equivalent',
    ...(conditions.length > 0 ? { matchConditions: conditions.map((c) => ({ ...c })) } : {}),
    ...(draft.family.mutating ? { reinvocationPolicy: 'IfNeeded' } : {}),
  };
}

function configuration(kind: string, name: string, webhooks: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name, labels: { ...MANAGED_BY_LABEL } },
    webhooks,
  } as KubeObject;
}

/**
 * The policy kinds `/policyvalidate` checks at create and update (Kyverno's policy webhook, and its
 * `/globalcontextvalidate` for GlobalContextEntries).
 */
export const POLICY_VALIDATION_RULES: readonly WebhookRule[] = [
  {
    apiGroups: ['kyverno.io'],
    apiVersions: ['*'],
    resources: ['clusterpolicies', 'globalcontextentries', 'policies'],
    operations: ['CREATE', 'UPDATE'],
    scope: '*',
  },
  {
    apiGroups: ['policies.kyverno.io'],
    apiVersions: ['*'],
    resources: [
      'generatingpolicies',
      'imagevalidatingpolicies',
      'mutatingpolicies',
      'namespacedgeneratingpolicies',
      'namespacedimagevalidatingpolicies',
      'namespacedmutatingpolicies',
      'namespacedvalidatingpolicies',
      'validatingpolicies',
    ],
    operations: ['CREATE', 'UPDATE'],
    scope: '*',
  },
];

export const POLICY_VALIDATION_PATH = '/policyvalidate';

function policyValidating(options: WebhookConfigOptions): KubeObject {
  return configuration('ValidatingWebhookConfiguration', WEBHOOK_CONFIGURATION_NAMES.policyValidating, [
    {
      name: 'validate-policy.palisade.svc',
      clientConfig: clientConfig(options.endpoint, options.caBundle, POLICY_VALIDATION_PATH),
      rules: POLICY_VALIDATION_RULES.map((r) => ({ ...r })),
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      timeoutSeconds: Math.min(MAX_TIMEOUT_SECONDS, options.timeoutSeconds),
      matchPolicy: 'Equivalent',
    },
  ]);
}

function clampTimeout(seconds: number): number {
  return Math.min(MAX_TIMEOUT_SECONDS, Math.max(1, Math.trunc(seconds)));
}

/**
 * A CEL family's shared path names its policies, sorted; a policy named like the own-webhook marker
 * goes last, so that the path never reads as one policy's own.
 */
function sharedPath(prefix: string, policies: readonly CompiledSetPolicy[]): string {
  const names = [...new Set(policies.map((p) => p.ref.name))].sort(compare);
  if (names.length > 1 && names[0] === OWN_WEBHOOK_SEGMENT) names.push(names.shift() ?? '');
  return `${prefix}/${names.join('/')}`;
}

/**
 * Families by name; in a CEL family, the policies' own webhooks first (Fail, then Ignore, each by
 * namespace and name), then the shared Fail and Ignore ones (Kyverno's buildWebhookRules order).
 */
function webhookOrder(a: Draft, b: Draft): number {
  const family = compare(a.family.webhook, b.family.webhook);
  if (family !== 0 || !a.family.names) return family || compare(a.name, b.name);
  if ((a.own === undefined) !== (b.own === undefined)) return a.own !== undefined ? -1 : 1;
  const bucket = compare(a.failurePolicy, b.failurePolicy);
  if (bucket !== 0 || a.own === undefined || b.own === undefined) return bucket;
  return (
    compare(a.own.ref.namespace ?? '', b.own.ref.namespace ?? '') || compare(a.own.ref.name, b.own.ref.name)
  );
}

/** Computes the three configurations for `set`; deterministic for equal inputs (webhooks sorted by name). */
export function webhookConfigurations(
  set: PolicySet,
  discovery: readonly DiscoveredResource[],
  options: WebhookConfigOptions,
): WebhookConfigurations {
  const drafts = new Map<string, Draft>();
  const draftFor = (need: WebhookNeed, policy: CompiledSetPolicy): Draft => {
    const family = FAMILIES[need.family];
    const bucket = need.failurePolicy === 'Ignore' ? 'ignore' : 'fail';
    const own = family.names ? need.ownWebhook : undefined;
    const fine = (need.matchConditions !== undefined && !family.names) || own !== undefined;
    const key = fine ? policyKey(policy.ref) : '';
    const name = fine
      ? `${family.webhook}-${bucket}-finegrained-${key.replace('/', '-')}`
      : `${family.webhook}-${bucket}`;
    let draft = drafts.get(name);
    if (draft === undefined) {
      draft = {
        name,
        path:
          own !== undefined
            ? `${family.path}/${OWN_WEBHOOK_SEGMENT}/${key}`
            : fine
              ? `${family.path}/${bucket}/finegrained/${key}`
              : family.names
                ? family.path
                : `${family.path}/${bucket}`,
        family,
        failurePolicy: need.failurePolicy,
        entries: new Map(),
        policies: [],
        matchConditions: own?.matchConditions ?? (fine ? (need.matchConditions ?? []) : []),
        // A CEL policy's own webhook takes its own timeout, shorter than the default or not.
        timeoutSeconds:
          own !== undefined && need.timeoutSeconds !== undefined
            ? clampTimeout(need.timeoutSeconds)
            : options.timeoutSeconds,
        ...(own !== undefined ? { own: { ref: policy.ref, need: own } } : {}),
      };
      drafts.set(name, draft);
    }
    return draft;
  };

  const registrations: PolicyRegistration[] = [];
  for (const policy of set.policies) {
    const webhooks = new Set<string>();
    const unresolved: string[] = [];
    for (const need of webhookNeedsOf(policy)) {
      const draft = draftFor(need, policy);
      let contributed = false;
      for (const k of need.kinds ?? []) {
        const entries = resolveKind(k.selector, discovery, need.namespaced);
        if (entries === undefined) unresolved.push(k.selector);
        for (const e of entries ?? []) addEntry(draft, e, k.operations);
        contributed ||= entries !== undefined;
      }
      for (const r of need.rules ?? []) {
        const entries = celEntries(r);
        for (const e of entries) addEntry(draft, e, r.operations);
        contributed ||= entries.length > 0;
      }
      if (contributed) {
        if (!draft.policies.includes(policy)) draft.policies.push(policy);
        webhooks.add(draft.name);
      }
      if (need.timeoutSeconds !== undefined && draft.own === undefined)
        draft.timeoutSeconds = Math.min(
          MAX_TIMEOUT_SECONDS,
          Math.max(draft.timeoutSeconds, need.timeoutSeconds),
        );
    }
    registrations.push({
      policy: policy.ref,
      webhooks: [...webhooks].sort(compare),
      unresolvedKinds: [...new Set(unresolved)],
    });
  }

  const validating: Record<string, unknown>[] = [];
  const mutating: Record<string, unknown>[] = [];
  for (const draft of [...drafts.values()].sort(webhookOrder)) {
    if (draft.entries.size === 0) continue;
    const path =
      draft.family.names && draft.own === undefined ? sharedPath(draft.path, draft.policies) : draft.path;
    const webhook = webhookObject({ ...draft, path }, options);
    (draft.family.mutating ? mutating : validating).push(webhook);
  }
  return {
    validating: configuration(
      'ValidatingWebhookConfiguration',
      WEBHOOK_CONFIGURATION_NAMES.validating,
      validating,
    ),
    mutating: configuration('MutatingWebhookConfiguration', WEBHOOK_CONFIGURATION_NAMES.mutating, mutating),
    policyValidating: policyValidating(options),
    registrations,
  };
}
