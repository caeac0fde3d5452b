/**
 * @module The one request model every face evaluates: an `admission.k8s.io/v1` AdmissionRequest plus
 * what an offline run adds (namespace object, roles, per-policy variable values, extra exceptions).
 * The legacy `EvaluationRequest` and the CEL admission input are derived from it here, and only here.
 */

import { isPatched, markPatched } from '../context/patched-objects.js';
import { objectWithValues } from '../context/values-object.js';
import type { CelAdmissionInput } from '../kinds/cel-shared/admission-evaluation.js';
import { EMPTIED_RESOURCE } from '../kinds/cluster-policy/mutate/emptied-resource.js';
import type { PolicyException } from '../kinds/cluster-policy/types.js';
import type { ExceptionIndex } from '../kinds/policy-exception/exception-index.js';
import type { KubeObject } from '../model/kube-object.js';
import { objectIdentity, resourceForKind, splitApiVersion } from '../model/resource-kinds.js';
import type {
  AdmissionUserInfo,
  EvaluationRequest,
  Operation,
  RequestInfo,
  VariableValues,
} from '../request.js';
import type { EvaluationRuntime } from '../runtime.js';
import { RecentMemo } from '../units/recent-memo.js';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** What an offline run (CLI, playground) knows besides the admission request itself. */
export interface OfflineRequestContext {
  /** The Namespace object of `namespace` (CEL `namespaceObject`, namespaceSelector). */
  readonly namespaceObject?: KubeObject | null;
  /**
   * Labels of the namespace for legacy namespaceSelector matching, when they do not simply come from
   * `namespaceObject` (Kyverno's CLI reads them from the values file with another precedence).
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly roles?: readonly string[];
  readonly clusterRoles?: readonly string[];
  /**
   * Variable values for one legacy policy (values file, `--set`); its global `request.operation`
   * is the operation that policy sees (Kyverno's CLI reads it per policy).
   */
  readonly variables?: (policyName: string) => VariableValues;
  /** kyverno.io PolicyExceptions given outside the set (added to the set's own). */
  readonly exceptions?: readonly PolicyException[];
  /**
   * The operation came from the values file or `--set`, not the request itself (a test row): Kyverno's
   * CLI then still asks ValidatingAdmissionPolicies for a CREATE.
   */
  readonly operationFromValues?: boolean;
  /** Existing objects mutate-existing MutatingPolicies may patch (a test's `targetResources`). */
  readonly mutateExistingTargets?: readonly KubeObject[];
}

/** `admission.k8s.io/v1` AdmissionRequest, plus the offline context. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  readonly subResource?: string;
  readonly requestKind?: GroupVersionKind;
  readonly name: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly operation: Operation;
  /** Absent when no user is known (background scans, a CLI run without a user info file). */
  readonly userInfo?: AdmissionUserInfo;
  /**
   * The new object; null for DELETE, except in the generate controller's evaluation of a deleted
   * trigger, which passes the trigger here too (Kyverno's background context takes the trigger as
   * the new resource, so rules matching DELETE generate on it).
   */
  readonly object: KubeObject | null;
  /** The existing object; null for CREATE. */
  readonly oldObject: KubeObject | null;
  readonly dryRun?: boolean;
  readonly options?: unknown;
  readonly context?: OfflineRequestContext;
}

/**
 * `cli` reproduces Kyverno's CLI processor (forced CREATE for some kinds, old objects that follow the
 * mutations, empty responses kept); `admission` evaluates the request as the webhook receives it.
 */
export type EvaluationProfile = 'cli' | 'admission';

/** A request for `object` as it stands, e.g. a background scan's CREATE. Never throws. */
export function requestForObject(
  object: KubeObject,
  operation: Operation = 'CREATE',
  extra: Partial<Pick<AdmissionRequest, 'userInfo' | 'context' | 'dryRun' | 'uid'>> = {},
): AdmissionRequest {
  const id = objectIdentity(object);
  return {
    uid: extra.uid ?? '',
    kind: { group: id.group, version: id.version, kind: id.kind },
    resource: { group: id.group, version: id.version, resource: id.resource },
    name: id.name,
    namespace: id.namespace,
    operation,
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'UPDATE' || operation === 'DELETE' ? object : null,
    ...(extra.userInfo !== undefined ? { userInfo: extra.userInfo } : {}),
    ...(extra.context !== undefined ? { context: extra.context } : {}),
    ...(extra.dryRun !== undefined ? { dryRun: extra.dryRun } : {}),
  };
}

/** The object the request is about: the new one, else the old one (DELETE), else an empty object. */
export function admittedObject(request: AdmissionRequest): KubeObject {
  return request.object ?? request.oldObject ?? {};
}

/** The operation a value names (`request.operation` from values or `--set`); CREATE for anything else. */
export function operationOf(value: unknown): Operation {
  return value === 'UPDATE' || value === 'DELETE' || value === 'CONNECT' ? value : 'CREATE';
}

function legacyRequestInfo(request: AdmissionRequest): RequestInfo | undefined {
  if (request.userInfo === undefined) return undefined;
  return {
    userInfo: request.userInfo,
    roles: request.context?.roles ?? [],
    clusterRoles: request.context?.clusterRoles ?? [],
    ...(request.dryRun !== undefined ? { dryRun: request.dryRun } : {}),
  };
}

/** What every legacy policy's request shares, derived once per admission request. */
interface LegacyShared {
  readonly requestInfo: RequestInfo | undefined;
  readonly namespaceLabels: Readonly<Record<string, string>> | undefined;
}

// The last few requests (see RecentMemo), like the memos below.
const legacyShared = new RecentMemo<AdmissionRequest, LegacyShared>(4);

function sharedOf(request: AdmissionRequest): LegacyShared {
  let shared = legacyShared.get(request);
  if (shared === undefined) {
    const ctx = request.context;
    shared = {
      requestInfo: legacyRequestInfo(request),
      namespaceLabels:
        ctx?.namespaceLabels ??
        (ctx?.namespaceObject?.metadata?.labels as Record<string, string> | undefined),
    };
    legacyShared.set(request, shared);
  }
  return shared;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The last request made and what it was made from (see legacyEvaluationRequest). */
interface LastLegacy {
  readonly request: AdmissionRequest;
  readonly current: KubeObject;
  readonly exceptions: ExceptionIndex;
  readonly runtime: EvaluationRuntime;
  readonly profile: EvaluationProfile;
  readonly values: VariableValues | undefined;
  readonly made: EvaluationRequest;
}

/**
 * Where one admission keeps the last legacy request it made: per admission, so a request is neither
 * kept alive after its answer nor met by another admission interleaved with it (serve).
 */
export interface LegacyRequestMemo {
  last?: LastLegacy;
}

/**
 * The legacy engine's request for one policy. `current` is the object as the mutations so far left
 * it. In the `cli` profile an UPDATE's old object is `current` too (Kyverno's CLI has no old object).
 * The request is a function of these arguments and of the policy's values only (not of its name):
 * the policies of one request that get the same values (all of them in serve, those a values file
 * does not name in the CLI) share the last one made, kept in `memo`.
 */
export function legacyEvaluationRequest(
  memo: LegacyRequestMemo,
  request: AdmissionRequest,
  policyName: string,
  current: KubeObject,
  exceptions: ExceptionIndex,
  runtime: EvaluationRuntime,
  profile: EvaluationProfile,
): EvaluationRequest {
  const values = request.context?.variables?.(policyName);
  const last = memo.last;
  if (
    last !== undefined &&
    last.request === request &&
    last.current === current &&
    last.values === values &&
    last.exceptions === exceptions &&
    last.runtime === runtime &&
    last.profile === profile
  )
    return last.made;
  const made = makeLegacyRequest(request, values, current, exceptions, runtime, profile);
  memo.last = { request, current, exceptions, runtime, profile, values, made };
  return made;
}

function makeLegacyRequest(
  request: AdmissionRequest,
  values: VariableValues | undefined,
  current: KubeObject,
  exceptions: ExceptionIndex,
  runtime: EvaluationRuntime,
  profile: EvaluationProfile,
): EvaluationRequest {
  const operation =
    values !== undefined ? operationOf(values.global['request.operation']) : request.operation;
  const shared = sharedOf(request);
  // Built field by field: this runs once per policy per request.
  // Kyverno's CLI reads the object back from the context after adding the values (see values-object).
  const resource =
    values !== undefined && operation !== 'DELETE' && current !== EMPTIED_RESOURCE
      ? objectWithValues(current, values.global, 'object')
      : current;
  // A patched object read back with the values is still the patched object (context/patched-objects.ts).
  patchedLike(current, resource);
  const out: Mutable<EvaluationRequest> = { resource, operation, ports: runtime.ports, exceptions };
  // Kyverno's CLI re-decodes a patched object with Go integers; its webhook is not followed there.
  if (profile === 'cli') out.goIntegers = true;
  if (runtime.limits !== undefined) out.limits = runtime.limits;
  if (runtime.signal !== undefined) out.signal = runtime.signal;
  if (runtime.budget !== undefined) out.budget = runtime.budget;
  if (values !== undefined) out.values = values;
  if (shared.requestInfo !== undefined) out.requestInfo = shared.requestInfo;
  if (shared.namespaceLabels !== undefined) out.namespaceLabels = shared.namespaceLabels;
  if (request.subResource !== undefined && request.subResource !== '') {
    out.subresource = request.subResource;
    // Offline, a subresource request comes from the values file's `subresources`: Kyverno's CLI then
    // matches rules against the parent's kind (`Deployment/scale` for a Scale object).
    if (profile === 'cli') out.resourceKind = request.kind;
  }
  if (operation === 'DELETE') {
    // A DELETE carries no new object, but for the generate controller's deleted trigger (see `object`).
    out.resource = profile === 'admission' && request.object !== null ? current : {};
    out.oldResource = current;
  } else if (operation === 'UPDATE') {
    out.oldResource =
      profile === 'cli'
        ? values !== undefined
          ? patchedLike(current, objectWithValues(current, values.global, 'oldObject'))
          : current
        : (request.oldObject ?? current);
  }
  return out;
}

/** `made` from `from`, marked patched when `from` is (context/patched-objects.ts). */
function patchedLike(from: KubeObject, made: KubeObject): KubeObject {
  if (made !== from && isPatched(from)) markPatched(made);
  return made;
}

export interface CelView {
  /** The object as the mutations so far left it (null: no object, as for a DELETE). */
  readonly object: KubeObject | null;
  /** Forces the operation (Kyverno's CLI asks some kinds for a CREATE whatever the request says). */
  readonly operation?: Operation;
  /** Names the request after this object instead of the request's kind and resource (`cli` profile). */
  readonly identityOf?: KubeObject;
}

// One memo of JSON → CEL conversions per admission request (see CelAdmissionInput.conversions).
const conversionMemos = new RecentMemo<AdmissionRequest, WeakMap<object, unknown>>(4);

function conversionsOf(request: AdmissionRequest): WeakMap<object, unknown> {
  let memo = conversionMemos.get(request);
  if (memo === undefined) {
    memo = new WeakMap();
    conversionMemos.set(request, memo);
  }
  return memo;
}

// The plain views (the object as it stands, nothing forced) of a request, per profile and object:
// every policy evaluated on that object shares one input, hence one CEL conversion.
const plainInputs = new RecentMemo<AdmissionRequest, Map<string, WeakMap<object, CelAdmissionInput>>>(4);
const NO_OBJECT = {};

// celAdmissionInput's last answer: the same (request, profile, object) gets the same input.
const last: {
  request: AdmissionRequest | undefined;
  profile: EvaluationProfile | undefined;
  key: object | undefined;
  input: CelAdmissionInput | undefined;
} = { request: undefined, profile: undefined, key: undefined, input: undefined };

/** The CEL kinds' admission input for the request as `view` sees it. Never throws. */
export function celAdmissionInput(
  request: AdmissionRequest,
  view: CelView,
  profile: EvaluationProfile,
): CelAdmissionInput {
  if (view.operation !== undefined || view.identityOf !== undefined)
    return buildCelInput(request, view, profile);
  const key = view.object ?? NO_OBJECT;
  // The commonest ask is the last one again (the next policy of the same request).
  if (request === last.request && profile === last.profile && key === last.key && last.input !== undefined)
    return last.input;
  // Looked up without closures: every CEL policy of a request asks (once per policy when timed).
  let byProfile = plainInputs.get(request);
  if (byProfile === undefined) {
    byProfile = new Map();
    plainInputs.set(request, byProfile);
  }
  let byObject = byProfile.get(profile);
  if (byObject === undefined) {
    byObject = new WeakMap();
    byProfile.set(profile, byObject);
  }
  let input = byObject.get(key);
  if (input === undefined) {
    input = buildCelInput(request, view, profile);
    byObject.set(key, input);
  }
  last.request = request;
  last.profile = profile;
  last.key = key;
  last.input = input;
  return input;
}

function buildCelInput(
  request: AdmissionRequest,
  view: CelView,
  profile: EvaluationProfile,
): CelAdmissionInput {
  const operation = view.operation ?? request.operation;
  // Built field by field, with no spread before other fields (see admit.ts's requestBudget).
  const identity =
    view.identityOf !== undefined
      ? objectIdentity(view.identityOf)
      : {
          group: request.kind.group,
          version: request.kind.version,
          kind: request.kind.kind,
          resource: request.resource.resource,
          subresource: request.subResource ?? '',
          namespace: request.namespace,
          name: request.name,
        };
  let oldObject: KubeObject | null = null;
  if (operation === 'UPDATE' || operation === 'DELETE') {
    oldObject = profile === 'cli' ? view.object : (request.oldObject ?? view.object);
  }
  const namespaceObject = identity.namespace === '' ? null : (request.context?.namespaceObject ?? null);
  const input: { -readonly [K in keyof CelAdmissionInput]: CelAdmissionInput[K] } = {
    attributes: {
      group: identity.group,
      version: identity.version,
      kind: identity.kind,
      resource: identity.resource,
      subresource: identity.subresource,
      namespace: identity.namespace,
      name: identity.name,
      operation,
      object: operation === 'DELETE' ? null : view.object,
      oldObject,
    },
    namespaceObject,
  };
  if (request.userInfo !== undefined) input.userInfo = request.userInfo;
  // Kyverno's CLI never tells CEL policies about dry runs.
  if (profile === 'admission' && request.dryRun !== undefined) input.dryRun = request.dryRun;
  input.conversions = conversionsOf(request);
  return input;
}

/** group/version/kind and plural resource of a kind named by apiVersion and kind. */
export function kindTarget(apiVersion: string, kind: string): GroupVersionKind & { resource: string } {
  return { ...splitApiVersion(apiVersion), kind, resource: resourceForKind(kind) };
}
