/**
 * @module Builds one Pod-controller clone of a rule (Kyverno generateRule / generateRuleForControllers /
 * generateCronJobRule): renames it, swaps kinds in the filters that matched Pod, and nests
 * patterns/patches under `spec.template` (or `spec.jobTemplate`). Returns undefined when the rule
 * gets no clone. Operates on plain JSON copies. See Kyverno pkg/autogen/v1/rule.go.
 */
import { kindListContains } from '../../../match/kind-selector.js';
import type { MatchResources, ResourceFilter, Rule } from '../types.js';
import { isRecord } from './can-autogen.js';
import { shiftReferences } from './rewrite-references.js';

type JsonRecord = Record<string, unknown>;
type FilterRewrite = (filters: ResourceFilter[], kinds: string[]) => ResourceFilter[];

/** The six non-CronJob controllers, sorted as Kyverno's splitKinds leaves them. */
export const TEMPLATE_CONTROLLERS: readonly string[] = [
  'DaemonSet',
  'Deployment',
  'Job',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
];

/**
 * The group/version each controller kind is written with in an autogen rule's match and exclude
 * (Kyverno pkg/autogen/v1/internal/gvk.go, ConvertKindsToGVK): the clones match only these served
 * versions (e.g. not a batch/v1beta1 CronJob), while the rule they come from names `Pod` alone.
 */
const CONTROLLER_GVK: Readonly<Record<string, string>> = {
  DaemonSet: 'apps/v1/DaemonSet',
  Deployment: 'apps/v1/Deployment',
  Job: 'batch/v1/Job',
  StatefulSet: 'apps/v1/StatefulSet',
  ReplicaSet: 'apps/v1/ReplicaSet',
  ReplicationController: 'v1/ReplicationController',
  CronJob: 'batch/v1/CronJob',
  Pod: 'v1/Pod',
};

const toGvk = (kinds: readonly string[]): string[] => kinds.map((k) => CONTROLLER_GVK[k] ?? k);

const MAX_RULE_NAME = 63;

export function autogenRuleName(prefix: 'autogen' | 'autogen-cronjob', name: string): string {
  return `${prefix}-${name}`.slice(0, MAX_RULE_NAME);
}

export function isAutogenRuleName(name: string): boolean {
  return String(name).startsWith('autogen-');
}

export function splitKinds(controllers: string): string[] {
  return controllers.split(',').sort();
}

/** The clone for Deployment, DaemonSet, … (`controllers` is the comma list without CronJob, or `all`). */
export function generateRuleForControllers(rule: Rule, controllers: string): Rule | undefined {
  if (isAutogenRuleName(rule.name) || controllers === '') return undefined;
  const excludeKinds = kindsOf(rule.exclude);
  if (!kindListContains(kindsOf(rule.match), 'Pod')) return undefined;
  if (excludeKinds.length > 0 && !kindListContains(excludeKinds, 'Pod')) return undefined;
  let kinds: string[];
  if (controllers === 'all') {
    kinds = [...TEMPLATE_CONTROLLERS];
  } else {
    const requested = splitKinds(controllers);
    const known = requested.filter((c) => TEMPLATE_CONTROLLERS.includes(c));
    // Unknown names pass through untouched when nothing known was requested (Kyverno quirk).
    kinds = known.length > 0 ? known : requested;
  }
  return generateRule(
    autogenRuleName('autogen', rule.name),
    rule,
    'template',
    'spec/template',
    kinds,
    (fs, ks) => fs.map((f) => (kindListContains(f.resources?.kinds ?? [], 'Pod') ? withKinds(f, ks) : f)),
  );
}

/** The CronJob clone, built on top of the controllers clone and nested once more. */
export function generateCronJobRule(rule: Rule, controllers: string): Rule | undefined {
  if (!controllers.includes('CronJob') && !controllers.includes('all')) return undefined;
  const base = generateRuleForControllers(rule, controllers);
  if (base === undefined) return undefined;
  return generateRule(
    autogenRuleName('autogen-cronjob', rule.name),
    base,
    'jobTemplate',
    'spec/jobTemplate/spec/template',
    ['CronJob'],
    (fs, ks) => fs.map((f) => withKinds(f, ks)),
  );
}

function withKinds(f: ResourceFilter, kinds: string[]): ResourceFilter {
  return { ...f, resources: { ...f.resources, kinds: [...kinds] } };
}

/** Kyverno's MatchResources.GetKinds: legacy, then all[], then any[]. */
function kindsOf(m: MatchResources | undefined): string[] {
  if (m == null) return [];
  return [
    ...(m.resources?.kinds ?? []),
    ...(m.all ?? []).flatMap((f) => f.resources?.kinds ?? []),
    ...(m.any ?? []).flatMap((f) => f.resources?.kinds ?? []),
  ];
}

function generateRule(
  name: string,
  source: Rule,
  tplKey: 'template' | 'jobTemplate',
  shift: string,
  kinds: string[],
  rewriteFilters: FilterRewrite,
): Rule | undefined {
  const rule = JSON.parse(JSON.stringify(source)) as Rule;
  rule.name = name;
  const gvks = toGvk(kinds);
  rule.match = rewriteMatch(rule.match ?? {}, gvks, rewriteFilters, true);
  if (rule.exclude != null) rule.exclude = rewriteMatch(rule.exclude, gvks, rewriteFilters, false);
  const nest = (v: unknown): JsonRecord => ({ spec: { [tplKey]: v ?? null } });

  const mutate = rule.mutate;
  if (mutate != null) {
    if (mutate.patchStrategicMerge != null) {
      rule.mutate = { patchStrategicMerge: nest(mutate.patchStrategicMerge) };
      return rule;
    }
    if (Array.isArray(mutate.foreach) && mutate.foreach.length > 0) {
      rule.mutate = {
        foreach: mutate.foreach.map((f: unknown) => {
          const fe = isRecord(f) ? f : {};
          const out: JsonRecord = { list: fe.list };
          if (fe.context != null) out.context = fe.context;
          if (fe.preconditions != null) out.preconditions = fe.preconditions;
          out.patchStrategicMerge = nest(fe.patchStrategicMerge);
          return out;
        }),
      };
      return rule;
    }
  }
  const validate = rule.validate as JsonRecord | undefined;
  // Each branch rebuilds validate from scratch, as Kyverno does, keeping only the fields it copies.
  if (validate != null) {
    const carried = (pivot: string): JsonRecord => {
      const out: JsonRecord = {};
      const message = shiftReferences(
        typeof validate.message === 'string' ? validate.message : '',
        shift,
        pivot,
      );
      if (message !== '') out.message = message;
      for (const key of ['failureAction', 'failureActionOverrides', 'allowExistingViolations']) {
        if (validate[key] != null) out[key] = validate[key];
      }
      return out;
    };
    if (validate.pattern != null) {
      rule.validate = { ...carried('pattern'), pattern: nest(validate.pattern) };
      return rule;
    }
    if (validate.deny != null) {
      rule.validate = { ...carried('deny'), deny: validate.deny };
      return rule;
    }
    if (isRecord(validate.podSecurity)) {
      const ps = validate.podSecurity;
      const podSecurity: JsonRecord = {};
      if (ps.level != null) podSecurity.level = ps.level;
      if (ps.version != null) podSecurity.version = ps.version;
      if (Array.isArray(ps.exclude) && ps.exclude.length > 0) podSecurity.exclude = ps.exclude;
      rule.validate = { ...carried('podSecurity'), podSecurity };
      return rule;
    }
    if (validate.anyPattern != null) {
      const patterns = Array.isArray(validate.anyPattern) ? validate.anyPattern : [];
      rule.validate = { ...carried('anyPattern'), anyPattern: patterns.map(nest) };
      return rule;
    }
    if (Array.isArray(validate.foreach) && validate.foreach.length > 0) {
      rule.validate = { ...carried('pattern'), foreach: validate.foreach };
      return rule;
    }
    if (validate.cel != null) return rule;
    if (validate.assert != null) {
      rule.validate = { ...validate, assert: nestAssertion(validate.assert, tplKey) };
      return rule;
    }
  }
  if (rule.verifyImages != null) return rule;
  return undefined;
}

function rewriteMatch(
  m: MatchResources,
  kinds: string[],
  rewrite: FilterRewrite,
  isMatch: boolean,
): MatchResources {
  if ((m.any?.length ?? 0) > 0) return { ...m, any: rewrite(m.any!, kinds) };
  if ((m.all?.length ?? 0) > 0) return { ...m, all: rewrite(m.all!, kinds) };
  // Legacy form: match kinds are always replaced, exclude kinds only when it had some.
  if (isMatch || (m.resources?.kinds?.length ?? 0) > 0) {
    return { ...m, resources: { ...m.resources, kinds: [...kinds] } };
  }
  return m;
}

/** `validate.assert`: object/oldObject subtrees move under spec.<tplKey>. */
function nestAssertion(tree: unknown, tplKey: string): unknown {
  if (!isRecord(tree)) return tree;
  const out: JsonRecord = { ...tree };
  for (const n of ['object', 'oldObject']) {
    const sub = tree[n];
    if (isRecord(sub)) out[n] = { spec: { [tplKey]: { ...sub } } };
  }
  return out;
}
