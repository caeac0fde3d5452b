/**
 * @module `matchConstraints` of CEL policies: the Kubernetes admission matcher (VAP MatchResources,
 * k8s.io/apiserver webhook predicates as Kyverno's pkg/cel/matching uses them): namespaceSelector,
 * objectSelector, excludeResourceRules, then resourceRules (apiGroups, apiVersions, resources with
 * `*` and subresources, operations, scope, resourceNames). matchPolicy Equivalent is matched as
 * Exact, as Kyverno's matcher does.
 */
import { labelSelectorMatches } from '../../match/label-selector.js';
import type { KubeObject, LabelSelector } from '../../model/kube-object.js';
import type { MatchConstraints, ResourceRule } from './types.js';

/** What an admission request says about the object (k8s admission.Attributes). */
export interface AdmissionAttributes {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource, e.g. `pods`. */
  readonly resource: string;
  readonly subresource: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly object: KubeObject | null;
  readonly oldObject: KubeObject | null;
}

export type MatchOutcome = { readonly matches: boolean; readonly error?: string };

// The two outcomes without an error are shared: a webhook matches every variant of every CEL
// policy per review, and its answers are only read.
const MATCHES: MatchOutcome = Object.freeze({ matches: true });
const NO_MATCH: MatchOutcome = Object.freeze({ matches: false });

function contains(list: readonly string[] | undefined, value: string): boolean {
  if (list === undefined || list === null) return false;
  for (const x of list) if (x === '*' || x === value) return true;
  return false;
}

function resourceMatches(patterns: readonly string[], resource: string, subresource: string): boolean {
  const full = subresource === '' ? resource : `${resource}/${subresource}`;
  for (const p of patterns) {
    if (p === '*/*' || p === full) return true;
    if (p === '*' && subresource === '') return true;
    // What is left are wildcard forms: `pods/*`, `*/scale`.
    if (!p.includes('*')) continue;
    const [res, sub] = p.split('/', 2) as [string, string | undefined];
    if (sub === '*' && res === resource) return true;
    if (res === '*' && sub !== undefined && sub === subresource) return true;
  }
  return false;
}

/** The rule's resources, with `pods/ephemeralcontainers` added to a rule on v1 pods (as Kubernetes does). */
function ruleResourceMatches(rule: ResourceRule, resource: string, subresource: string): boolean {
  const resources = rule.resources ?? [];
  if (resourceMatches(resources, resource, subresource)) return true;
  return (
    resource === 'pods' &&
    subresource === 'ephemeralcontainers' &&
    contains(rule.apiGroups, '') &&
    contains(rule.apiVersions, 'v1') &&
    contains(resources, 'pods') &&
    !resources.includes('pods/ephemeralcontainers')
  );
}

function scopeMatches(rule: ResourceRule, attr: AdmissionAttributes): boolean {
  const scope = rule.scope ?? '*';
  if (scope === '*') return true;
  const isNamespaceObject = attr.resource === 'namespaces' && attr.subresource === '';
  // A Namespace object's request carries its own name as namespace; it is cluster-scoped anyway.
  if (scope === 'Namespaced') return !isNamespaceObject && attr.namespace !== '';
  return isNamespaceObject || attr.namespace === '';
}

function nameMatches(rule: ResourceRule, attr: AdmissionAttributes): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  if (attr.name === '') {
    const generateName = attr.object?.metadata?.generateName;
    return typeof generateName === 'string' && names.some((n) => generateName.startsWith(n));
  }
  return names.includes(attr.name);
}

/** One NamedRuleWithOperations against the request. */
export function resourceRuleMatches(rule: ResourceRule, attr: AdmissionAttributes): boolean {
  return (
    contains(rule.operations, attr.operation) &&
    contains(rule.apiGroups, attr.group) &&
    contains(rule.apiVersions, attr.version) &&
    ruleResourceMatches(rule, attr.resource, attr.subresource) &&
    scopeMatches(rule, attr) &&
    nameMatches(rule, attr)
  );
}

function isEmptySelector(s: LabelSelector | undefined): boolean {
  return (
    s === undefined ||
    s === null ||
    (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0)
  );
}

function labelsOf(o: KubeObject | null | undefined): Record<string, string> {
  const labels = o?.metadata?.labels;
  return labels !== null && typeof labels === 'object' && !Array.isArray(labels) ? labels : {};
}

function namespaceSelectorOutcome(
  selector: LabelSelector | undefined,
  attr: AdmissionAttributes,
  namespaceObject: KubeObject | null,
): MatchOutcome {
  const isNamespaceRequest = attr.resource === 'namespaces';
  // Cluster-scoped objects other than namespaces are never exempted by a namespaceSelector.
  if (attr.namespace === '' && !isNamespaceRequest) return MATCHES;
  if (isEmptySelector(selector)) return MATCHES;
  let labels: Record<string, string>;
  if (
    isNamespaceRequest &&
    attr.subresource === '' &&
    (attr.operation === 'CREATE' || attr.operation === 'UPDATE')
  ) {
    labels = labelsOf(attr.object);
  } else if (namespaceObject === null) {
    // The offline CLI knows no namespace: Kubernetes' well-known name label is all it has.
    labels = { 'kubernetes.io/metadata.name': attr.namespace };
  } else if (namespaceObject.metadata?.name !== attr.namespace) {
    return { matches: false, error: `namespaces "${attr.namespace}" not found` };
  } else {
    labels = labelsOf(namespaceObject);
  }
  return labelSelectorMatches(selector!, labels) ? MATCHES : NO_MATCH;
}

function objectSelectorMatches(selector: LabelSelector | undefined, attr: AdmissionAttributes): boolean {
  if (isEmptySelector(selector)) return true;
  return selectsObject(selector!, attr.object) || selectsObject(selector!, attr.oldObject);
}

function selectsObject(selector: LabelSelector, o: KubeObject | null): boolean {
  return o !== null && Object.keys(o).length > 0 && labelSelectorMatches(selector, labelsOf(o));
}

/** Whether one of `rules` selects the request (a loop: no closure per call). */
function someRuleMatches(rules: readonly ResourceRule[], attr: AdmissionAttributes): boolean {
  for (const r of rules) if (resourceRuleMatches(r, attr)) return true;
  return false;
}

/**
 * Decides whether `constraints` select the request. Never throws. A selector problem (a namespace
 * that is not known) is an error only when the resource rules otherwise match, as in Kubernetes.
 */
export function matchConstraints(
  constraints: MatchConstraints | undefined,
  attr: AdmissionAttributes,
  namespaceObject: KubeObject | null = null,
): MatchOutcome {
  if (constraints === undefined || constraints === null) return NO_MATCH;
  const ns = namespaceSelectorOutcome(constraints.namespaceSelector, attr, namespaceObject);
  if (!ns.matches && ns.error === undefined) return NO_MATCH;
  if (!objectSelectorMatches(constraints.objectSelector, attr)) return NO_MATCH;
  const excluded = constraints.excludeResourceRules;
  if (excluded !== undefined && excluded !== null && someRuleMatches(excluded, attr)) return NO_MATCH;
  const rules = constraints.resourceRules;
  if (rules !== undefined && rules !== null && rules.length > 0 && !someRuleMatches(rules, attr)) {
    return NO_MATCH;
  }
  if (ns.error !== undefined) return { matches: false, error: ns.error };
  return MATCHES;
}

/**
 * True for the plain shape autogen can carry over: exactly one resource rule without
 * resourceNames, no exclusions, no label selectors. Kyverno's CLI (processor `hasSelector`, a
 * misnomer) drops a policy's empty response only for such constraints; other unmatched policies
 * still answer with no rules, which `kyverno test` prints as `Excluded`.
 */
export function isSingleRuleMatch(constraints: MatchConstraints | undefined): boolean {
  if (constraints === undefined || constraints === null) return false;
  if (!isEmptySelector(constraints.namespaceSelector) || !isEmptySelector(constraints.objectSelector)) {
    return false;
  }
  if ((constraints.excludeResourceRules ?? []).length > 0) return false;
  const rules = constraints.resourceRules ?? [];
  return rules.length === 1 && (rules[0]!.resourceNames ?? []).length === 0;
}
