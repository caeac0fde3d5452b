/**
 * @module What Kubernetes-mode evaluation of every CEL policy kind starts with: the request as CEL
 * sees it (`object`, `oldObject`, `request`, `namespaceObject`), the Namespaced-policy scope check,
 * and, for kinds with autogen variants, each variant's matchConstraints before its evaluation.
 */
import type { KubeObject } from '../../model/kube-object.js';
import type { AdmissionUserInfo } from '../../request.js';
import { RecentMemo } from '../../units/recent-memo.js';
import { ruleError } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import type { AutogenFamily } from './autogen.js';
import { type AdmissionAttributes, type MatchOutcome, matchConstraints } from './match-constraints.js';
import type { MatchConstraints } from './types.js';

/** The request around the object, for Kubernetes-mode evaluation. */
export interface CelAdmissionInput {
  readonly attributes: AdmissionAttributes;
  /** The object's Namespace, when known (CEL `namespaceObject`; also for namespaceSelector). */
  readonly namespaceObject: KubeObject | null;
  readonly userInfo?: AdmissionUserInfo;
  readonly dryRun?: boolean;
  /** JSON → CEL conversions already made for this admission request, shared by its policies. */
  readonly conversions?: WeakMap<object, unknown>;
}

/** The AdmissionRequest as CEL `request` sees it (admission/v1 JSON, empty fields omitted). */
export function buildAdmissionRequest(input: CelAdmissionInput): Record<string, unknown> {
  const a = input.attributes;
  const kind = { group: a.group, version: a.version, kind: a.kind };
  const resource = { group: a.group, version: a.version, resource: a.resource };
  const user = input.userInfo ?? {};
  // Field by field in this order, with no spread before other fields (once per request: see
  // docs/decisions/0007-performance.md, V8 builds such literals in the old space).
  const userInfo: Record<string, unknown> = {};
  if (user.username !== undefined) userInfo.username = user.username;
  if (user.uid !== undefined) userInfo.uid = user.uid;
  if (user.groups !== undefined) userInfo.groups = [...user.groups];
  if (user.extra !== undefined) userInfo.extra = user.extra;
  const out: Record<string, unknown> = { uid: '', kind, resource };
  if (a.subresource !== '') {
    out.subResource = a.subresource;
    out.requestSubResource = a.subresource;
  }
  out.requestKind = kind;
  out.requestResource = resource;
  if (a.name !== '') out.name = a.name;
  if (a.namespace !== '') out.namespace = a.namespace;
  out.operation = a.operation;
  out.userInfo = userInfo;
  if (a.object !== null) out.object = a.object;
  if (a.oldObject !== null) out.oldObject = a.oldObject;
  out.dryRun = input.dryRun ?? false;
  return out;
}

/** The CEL variables every admission evaluation binds (a type literal: it is also a CEL activation). */
export type AdmissionData = {
  readonly object: KubeObject | null;
  readonly oldObject: KubeObject | null;
  readonly request: Record<string, unknown>;
  readonly namespaceObject: KubeObject | null;
};

// One per input: the policies of a request share it, and so its CEL conversion (`conversions`).
const dataOf = new RecentMemo<CelAdmissionInput, AdmissionData>(4);

export function admissionData(input: CelAdmissionInput): AdmissionData {
  let data = dataOf.get(input);
  if (data === undefined) {
    data = {
      object: input.attributes.object,
      oldObject: input.attributes.oldObject,
      request: buildAdmissionRequest(input),
      namespaceObject: input.namespaceObject,
    };
    dataOf.set(input, data);
  }
  return data;
}

/** A Namespaced policy (compiled with its `namespace`) answers only requests in that namespace. */
export function outsidePolicyNamespace(
  compiled: { readonly namespace?: string },
  input: CelAdmissionInput,
): boolean {
  return compiled.namespace !== undefined && input.attributes.namespace !== compiled.namespace;
}

/** Which variant a response is for. */
export interface VariantHead {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
}

/** Per compiled variant: its head, its answer when it does not match, its constraints' content. */
interface HeadEntry {
  readonly head: VariantHead;
  readonly unmatched: UnmatchedVariant;
  /** The matchConstraints as JSON: variants whose constraints read the same match alike. */
  readonly constraintsKey: string | undefined;
}

// Per compiled variant: which variant its responses are for, and its answer when it does not match.
const heads = new WeakMap<VariantHead, HeadEntry>();

type UnmatchedVariant = VariantHead & { readonly rules: readonly RuleResult[] };

function headOf(variant: VariantHead): HeadEntry {
  let entry = heads.get(variant);
  if (entry === undefined) {
    const head: VariantHead = {
      ...(variant.autogen !== undefined ? { autogen: variant.autogen } : {}),
      ...(variant.matchConstraints !== undefined ? { matchConstraints: variant.matchConstraints } : {}),
    };
    entry = {
      head,
      unmatched: { ...head, rules: [] },
      constraintsKey: constraintsKey(variant.matchConstraints),
    };
    heads.set(variant, entry);
  }
  return entry;
}

// Per compiled variant list: its variants' entries, found with one lookup per policy, not per variant.
const headLists = new WeakMap<readonly VariantHead[], readonly HeadEntry[]>();

function headsOf(variants: readonly VariantHead[]): readonly HeadEntry[] {
  let entries = headLists.get(variants);
  if (entries === undefined) {
    entries = variants.map(headOf);
    headLists.set(variants, entries);
  }
  return entries;
}

function constraintsKey(constraints: MatchConstraints | undefined): string | undefined {
  if (constraints === undefined || constraints === null) return undefined;
  try {
    return JSON.stringify(constraints);
  } catch {
    return undefined;
  }
}

// Per request, the outcome of each distinct matchConstraints: the policies of a set often declare
// the same ones (every PSS policy and each of its autogen variants), and an outcome is a function of
// the constraints and the request alone (attributes, namespace). Outcomes are only read. The table
// is made for the second policy of an input: `apply` makes an input per policy, which would only
// pay for it (null: one policy seen).
const matchOutcomes = new RecentMemo<CelAdmissionInput, Map<string, MatchOutcome> | null>(4);

function outcomesOf(input: CelAdmissionInput): Map<string, MatchOutcome> | undefined {
  const known = matchOutcomes.get(input);
  if (known === undefined) {
    matchOutcomes.set(input, null);
    return undefined;
  }
  if (known !== null) return known;
  const outcomes = new Map<string, MatchOutcome>();
  matchOutcomes.set(input, outcomes);
  return outcomes;
}

function variantMatch(
  variant: VariantHead,
  key: string | undefined,
  input: CelAdmissionInput,
  outcomes: Map<string, MatchOutcome> | undefined,
): MatchOutcome {
  if (key === undefined || outcomes === undefined)
    return matchConstraints(variant.matchConstraints, input.attributes, input.namespaceObject);
  let m = outcomes.get(key);
  if (m === undefined) {
    m = matchConstraints(variant.matchConstraints, input.attributes, input.namespaceObject);
    outcomes.set(key, m);
  }
  return m;
}

/**
 * One response per variant (the policy, then its autogen variants): none outside the policy's
 * namespace; per variant its matchConstraints (an error is answered by `matchErrorRule`, no match
 * by no rules), then `evaluate` on the request's data, computed once.
 */
export function evaluateVariants<
  V extends VariantHead,
  R extends { readonly rules: readonly RuleResult[] },
  A = undefined,
>(
  compiled: { readonly namespace?: string; readonly variants: readonly V[] },
  input: CelAdmissionInput,
  matchErrorRuleName: string,
  evaluate: (variant: V, data: AdmissionData, arg: A) => R,
  arg?: A,
): (VariantHead & (R | { readonly rules: readonly RuleResult[] }))[] {
  if (outsidePolicyNamespace(compiled, input)) return [];
  const data = admissionData(input);
  const outcomes = outcomesOf(input);
  // A loop, and `evaluate`'s context as an argument: no closure per policy and request.
  const variants = compiled.variants;
  const heads = headsOf(variants);
  // Sized once (`[]` grows its store to 17 at the first push).
  const out = new Array<VariantHead & (R | { readonly rules: readonly RuleResult[] })>(variants.length);
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[i] as V;
    const { head, unmatched, constraintsKey: key } = heads[i] as HeadEntry;
    const m = variantMatch(variant, key, input, outcomes);
    if (m.error !== undefined) {
      out[i] = Object.assign({}, head, {
        rules: [ruleError(matchErrorRuleName, 'Validation', 'failed to execute matching', m.error)],
      });
    } else if (!m.matches) out[i] = unmatched;
    // Object.assign rather than two spreads (V8's slow path): once per evaluated variant.
    else out[i] = Object.assign({}, head, evaluate(variant, data, arg as A));
  }
  return out;
}
