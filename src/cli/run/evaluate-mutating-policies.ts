/**
 * @module MutatingPolicies in `palisade test` / `apply`, the way Kyverno's CLI policy processor runs
 * them: MutatingAdmissionPolicies first, then every MutatingPolicy variant in turn on the object the
 * previous ones left (CEL `request` keeps describing the admitted object; the operation as for
 * ValidatingPolicies, CREATE by default). All of them share the final patched object; an unmatched
 * variant is dropped only when its constraints are a single plain resource rule (processor
 * `hasSelector`). Mutate-existing policies (`evaluation.mutateExisting.enabled`) are applied to the
 * admitted object like the others and then to the test's target resources (`targetResources`):
 * each target response is keyed by the trigger and carries the patched target. Responses reuse
 * the kyverno.io response shape.
 */

import {
  type CelPolicyException,
  type CompiledPolicy,
  type EvaluationRuntime,
  isSingleRuleMatch,
  type KubeObject,
  type KyvernoPolicy,
  type Operation,
  type PolicyResponse,
  type RequestInfo,
  resourceForKind,
  splitApiVersion,
} from '../../engine/index.js';
import {
  type CompiledMutatingAdmissionPolicy,
  compileMutatingAdmissionPolicy,
  evaluateMutatingAdmissionPolicy,
} from '../../engine/kinds/mutating-admission-policy/mutating-admission-policy.js';
import { evaluateMutateExisting } from '../../engine/kinds/mutating-policy/mutating-existing.js';
import {
  type CompiledMutatingPolicy,
  compileMutatingPolicy,
  evaluateMutatingPolicy,
} from '../../engine/kinds/mutating-policy/mutating-policy.js';
import type { IoDiagnostic } from '../../io/codes.js';
import type {
  LoadedMutatingAdmissionPolicy,
  LoadedMutatingAdmissionPolicyBinding,
  LoadedMutatingPolicy,
} from '../../io/files/policies.js';
import type { ValuesSpec } from '../../io/files/values.js';
import { type CompileProblems, compileAll } from './compile-loaded.js';
import { namespaceObjectFor } from './evaluate-cel-policies.js';
import type { EngineResponse } from './evaluate-resources.js';

export interface MutatingEvaluationInputs {
  readonly policies: readonly CompiledMutatingPolicy[];
  /** The ports the policies' CEL libraries and params use. */
  readonly runtime: EvaluationRuntime;
  /** MutatingAdmissionPolicies, applied before the MutatingPolicies (Kyverno's order). */
  readonly admissionPolicies?: readonly CompiledMutatingAdmissionPolicy[];
  readonly values?: ValuesSpec;
  readonly setValues?: Readonly<Record<string, string>>;
  readonly requestInfo?: RequestInfo;
  /** Forces the operation (a test row's `operation`), overriding values. */
  readonly operation?: Operation;
  /** Existing objects mutate-existing policies may patch (a test's `targetResources`). */
  readonly targets?: readonly KubeObject[];
}

/** Compiles loaded MutatingPolicies with the exceptions that name them; problems → diagnostics. */
export function compileMutatingPolicies(
  loaded: readonly LoadedMutatingPolicy[],
  exceptions: readonly CelPolicyException[],
): { compiled: CompiledMutatingPolicy[]; invalid: string[]; issues: IoDiagnostic[] } {
  const out: CompileProblems = { invalid: [], issues: [] };
  const compiled = compileAll(loaded, (p) => compileMutatingPolicy(p, { exceptions }), out);
  return { compiled, ...out };
}

/** Compiles loaded MutatingAdmissionPolicies with their bindings; problems → diagnostics. */
export function compileMutatingAdmissionPolicies(
  loaded: readonly LoadedMutatingAdmissionPolicy[],
  bindings: readonly LoadedMutatingAdmissionPolicyBinding[],
): { compiled: CompiledMutatingAdmissionPolicy[]; invalid: string[]; issues: IoDiagnostic[] } {
  const all = bindings.map((b) => b.policy);
  const out: CompileProblems = { invalid: [], issues: [] };
  const compiled = compileAll(loaded, (p) => compileMutatingAdmissionPolicy(p, all), out);
  return { compiled, ...out };
}

/** The kyverno.io-shaped stand-in for a MutatingPolicy (name, namespace and annotations only). */
function asCompiledPolicy(c: {
  readonly policy: { readonly apiVersion: string; readonly kind: string; readonly metadata: object };
  readonly key: string;
  readonly namespace?: string;
}): CompiledPolicy {
  const policy = {
    apiVersion: c.policy.apiVersion,
    kind: c.policy.kind,
    metadata: c.policy.metadata,
    spec: { rules: [] },
  } as unknown as KyvernoPolicy;
  return { policy, key: c.key, ...(c.namespace !== undefined ? { namespace: c.namespace } : {}), rules: [] };
}

function field(o: unknown, key: string): string {
  const v = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : '';
}

/**
 * The request's group/version/kind/resource/subresource. A kind the values file declares as a
 * subresource (`subresources[]`, e.g. Binding as `pods/binding`) is requested as its parent's
 * subresource, as Kyverno's CLI does for resources given offline.
 */
function requestKind(
  resource: KubeObject,
  values: ValuesSpec | undefined,
): { group: string; version: string; kind: string; resource: string; subresource: string } {
  const { group, version } = splitApiVersion(resource.apiVersion ?? '');
  const kind = resource.kind ?? '';
  for (const entry of values?.subresources ?? []) {
    const sub = (entry as Record<string, unknown> | null)?.subresource;
    const parent = (entry as Record<string, unknown> | null)?.parentResource;
    if (field(sub, 'kind') !== kind || field(sub, 'group') !== group || field(sub, 'version') !== version)
      continue;
    const [parentName, subName] = field(sub, 'name').split('/', 2);
    if (subName === undefined) continue;
    return {
      group: field(parent, 'group'),
      version: field(parent, 'version'),
      kind: field(parent, 'kind'),
      resource: field(parent, 'name') || (parentName ?? ''),
      subresource: subName,
    };
  }
  return { group, version, kind, resource: resourceForKind(kind), subresource: '' };
}

function operationFrom(inputs: MutatingEvaluationInputs): Operation {
  if (inputs.operation !== undefined) return inputs.operation;
  const op = inputs.setValues?.['request.operation'] ?? inputs.values?.globalValues?.['request.operation'];
  return op === 'UPDATE' || op === 'DELETE' || op === 'CONNECT' ? op : 'CREATE';
}

/**
 * Every MutatingPolicy's responses for one resource, and the object they leave. `resource` is the
 * object as loaded (the response key); `object`, when given, is what the policies see (the
 * resource as legacy mutate rules patched it). Never throws.
 */
export function evaluateMutatingPolicies(
  resource: KubeObject,
  inputs: MutatingEvaluationInputs,
  object: KubeObject = resource,
): { responses: EngineResponse[]; patched: KubeObject } {
  const operation = operationFrom(inputs);
  const namespace = resource.metadata?.namespace ?? '';
  const namespaceObject = namespaceObjectFor(inputs.values, namespace);
  const attributes = {
    ...requestKind(resource, inputs.values),
    namespace,
    name: resource.metadata?.name ?? '',
    operation,
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'UPDATE' || operation === 'DELETE' ? object : null,
  };
  const out: EngineResponse[] = [];
  let patched = object;
  const input = {
    namespaceObject,
    ...(inputs.requestInfo !== undefined ? { userInfo: inputs.requestInfo.userInfo } : {}),
  };
  // Each MutatingAdmissionPolicy sees the object the previous one left; Kyverno's CLI runs them on CREATE.
  for (const c of inputs.admissionPolicies ?? []) {
    const current = operation === 'DELETE' ? null : patched;
    const r = evaluateMutatingAdmissionPolicy(
      c,
      { ...input, attributes: { ...attributes, operation: 'CREATE', object: current, oldObject: null } },
      inputs.runtime,
    );
    if (r.rules.length === 0) continue;
    if (r.patched !== undefined) patched = r.patched;
    const key = c.policy.metadata.name;
    out.push(toResponse({ policy: c.policy, key }, resource, patched, r.rules));
  }
  const answered: { c: CompiledMutatingPolicy; rules: PolicyResponse['rules'] }[] = [];
  const base = patched;
  const admitted = {
    ...input,
    attributes: {
      ...attributes,
      object: attributes.object === null ? null : base,
      oldObject: attributes.oldObject === null ? null : base,
    },
  };
  for (const c of inputs.policies) {
    const current =
      admitted.attributes.object === null
        ? admitted
        : { ...admitted, attributes: { ...admitted.attributes, object: patched } };
    for (const v of evaluateMutatingPolicy(c, current, inputs.runtime, admitted)) {
      if (v.patched !== undefined) patched = v.patched;
      if (v.rules.length === 0 && isSingleRuleMatch(v.matchConstraints)) continue;
      answered.push({ c, rules: v.rules });
    }
  }
  for (const { c, rules } of answered) out.push(toResponse(c, resource, patched, rules));
  if ((inputs.targets ?? []).length > 0) {
    for (const r of evaluateMutateExisting(inputs.policies, admitted, inputs.targets ?? [], inputs.runtime)) {
      out.push(toResponse(r.policy, resource, patched, r.rules));
    }
  }
  return { responses: out, patched };
}

function toResponse(
  c: {
    readonly policy: {
      readonly apiVersion: string;
      readonly kind: string;
      readonly metadata: { name: string };
    };
    readonly key: string;
    readonly namespace?: string;
  },
  resource: KubeObject,
  patched: KubeObject,
  rules: PolicyResponse['rules'],
): EngineResponse {
  const response: PolicyResponse = {
    policyKey: c.key,
    policyName: c.policy.metadata.name,
    ...(c.namespace !== undefined ? { policyNamespace: c.namespace } : {}),
    policyKind: c.policy.kind,
    resource,
    patchedResource: patched,
    rules,
    validationFailureAction: 'Audit',
  };
  return { compiled: asCompiledPolicy(c), resource, response };
}
