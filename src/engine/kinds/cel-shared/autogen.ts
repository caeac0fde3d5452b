/**
 * @module Pod-controller autogen for ValidatingPolicies (Kyverno pkg/cel/autogen,
 * pkg/cel/policies/vpol/autogen): a policy matching only core/v1 pods gets one extra spec per
 * replacement family — `defaults` (Deployments, DaemonSets, ReplicaSets, StatefulSets, Jobs;
 * `object.spec` → `object.spec.template.spec`) and `cronjobs` (`object.spec` →
 * `object.spec.jobTemplate.spec.template.spec`) — evaluated as separate policies of the same name.
 */
import type { MatchConstraints, ResourceRule, ValidatingPolicySpec } from './types.js';

export type AutogenFamily = 'defaults' | 'cronjobs';

export interface AutogenTarget {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
}

export interface AutogenVariant {
  readonly family: AutogenFamily;
  readonly targets: readonly AutogenTarget[];
  readonly spec: ValidatingPolicySpec;
}

const CONTROLLERS: Readonly<Record<string, { target: AutogenTarget; family: AutogenFamily }>> = {
  daemonsets: {
    target: { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet' },
    family: 'defaults',
  },
  deployments: {
    target: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' },
    family: 'defaults',
  },
  replicasets: {
    target: { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet' },
    family: 'defaults',
  },
  statefulsets: {
    target: { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet' },
    family: 'defaults',
  },
  jobs: { target: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job' }, family: 'defaults' },
  cronjobs: {
    target: { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob' },
    family: 'cronjobs',
  },
};

const REPLACEMENTS: Readonly<Record<AutogenFamily, readonly (readonly [string, string])[]>> = {
  defaults: [
    ['spec', 'spec.template.spec'],
    ['metadata', 'spec.template.metadata'],
  ],
  cronjobs: [
    ['spec', 'spec.jobTemplate.spec.template.spec'],
    ['metadata', 'spec.jobTemplate.spec.template.metadata'],
  ],
};

function hasLabels(s: MatchConstraints['namespaceSelector']): boolean {
  return (
    s !== undefined &&
    s !== null &&
    (Object.keys(s.matchLabels ?? {}).length > 0 || (s.matchExpressions ?? []).length > 0)
  );
}

function only(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && list.length === 1 && list[0] === value;
}

/** Whether the constraints select exactly core/v1 pods with nothing that cannot carry over. */
export function canAutogen(match: MatchConstraints | undefined): boolean {
  if (match === undefined || match === null) return false;
  if (hasLabels(match.namespaceSelector) || hasLabels(match.objectSelector)) return false;
  if ((match.excludeResourceRules ?? []).length > 0) return false;
  const rules = match.resourceRules ?? [];
  if (rules.length !== 1) return false;
  const rule = rules[0]!;
  if ((rule.resourceNames ?? []).length > 0) return false;
  return only(rule.apiGroups, '') && only(rule.apiVersions, 'v1') && only(rule.resources, 'pods');
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/**
 * Replaces every `from` with `to`, except where `from` is followed by `.name` or `.namespace` as a
 * whole segment: those stay on the controller's own metadata (Kyverno's protected suffixes).
 */
function replaceUnprotected(text: string, from: string, to: string): string {
  let out = '';
  let rest = text;
  for (let i = rest.indexOf(from); i >= 0; i = rest.indexOf(from)) {
    out += rest.slice(0, i);
    const after = rest.slice(i + from.length);
    const protectedSuffix = ['.namespace', '.name'].some(
      (s) => after.startsWith(s) && !isIdentifierChar(after[s.length]),
    );
    out += protectedSuffix ? from : to;
    rest = after;
  }
  return out + rest;
}

/** Applies a family's field rewrites to every string of the spec (expressions and messages). */
export function rewriteForFamily(text: string, family: AutogenFamily): string {
  let out = text;
  for (const [from, to] of REPLACEMENTS[family]) {
    out = replaceUnprotected(out, `object.${from}`, `object.${to}`);
    out = replaceUnprotected(out, `oldObject.${from}`, `oldObject.${to}`);
  }
  return out;
}

function constraintsFor(targets: readonly AutogenTarget[], rule: ResourceRule): MatchConstraints {
  const byGroupVersion = new Map<string, { group: string; version: string; resources: Set<string> }>();
  for (const t of targets) {
    const key = `${t.group}\u0000${t.version}`;
    const entry = byGroupVersion.get(key) ?? { group: t.group, version: t.version, resources: new Set() };
    entry.resources.add(t.resource);
    byGroupVersion.set(key, entry);
  }
  const sorted = [...byGroupVersion.values()].sort(
    (a, b) => a.group.localeCompare(b.group) || a.version.localeCompare(b.version),
  );
  return {
    resourceRules: sorted.map((gv) => ({
      apiGroups: [gv.group],
      apiVersions: [gv.version],
      resources: [...gv.resources].sort(),
      ...(rule.operations !== undefined ? { operations: [...rule.operations] } : {}),
    })),
  };
}

/**
 * The autogen variants of a policy spec, `defaults` before `cronjobs`. `autogen.podControllers
 * .controllers` (lowercase plural resource names) narrows the set; an explicit empty list turns
 * autogen off. Never throws.
 */
export function autogenVariants(spec: ValidatingPolicySpec): AutogenVariant[] {
  if (!canAutogen(spec.matchConstraints)) return [];
  const configured = spec.autogen?.podControllers?.controllers;
  const names = configured === undefined || configured === null ? Object.keys(CONTROLLERS) : [...configured];
  const families = new Map<AutogenFamily, AutogenTarget[]>();
  for (const name of new Set(names)) {
    const c = CONTROLLERS[name];
    if (c === undefined) continue;
    families.set(c.family, [...(families.get(c.family) ?? []), c.target]);
  }
  const rule = spec.matchConstraints!.resourceRules![0]!;
  const out: AutogenVariant[] = [];
  for (const family of ['defaults', 'cronjobs'] as const) {
    const targets = families.get(family);
    if (targets === undefined) continue;
    const { matchConstraints: _, ...rest } = spec;
    const rewritten = JSON.parse(rewriteForFamily(JSON.stringify(rest), family)) as ValidatingPolicySpec;
    const sortedTargets = [...targets].sort(
      (a, b) =>
        a.group.localeCompare(b.group) ||
        a.version.localeCompare(b.version) ||
        a.resource.localeCompare(b.resource),
    );
    out.push({
      family,
      targets: sortedTargets,
      spec: { ...rewritten, matchConstraints: constraintsFor(targets, rule) },
    });
  }
  return out;
}
