/**
 * @module MutatingPolicies in `palisade test` / `apply`, the way Kyverno's CLI policy processor runs
 * them: every policy variant sees the same request object (the operation as for ValidatingPolicies,
 * CREATE by default), the policies' patched object is the one of the last variant that mutated,
 * and an unmatched variant is dropped only when its constraints are a single plain resource rule
 * (processor `hasSelector`). Mutate-existing policies (`evaluation.mutateExisting.enabled`) are
 * not applied to the admitted object. Responses reuse the kyverno.io response shape.
 */
import {
  type CompiledMutatingAdmissionPolicy,
  compileMutatingAdmissionPolicy,
  evaluateMutatingAdmissionPolicy,
} from '../../engine/cel-policies/mutating-admission-policy.js';
import {
  type CompiledMutatingPolicy,
  compileMutatingPolicy,
  evaluateMutatingPolicy,
} from '../../engine/cel-policies/mutating-policy.js';
import {
  type CelPolicyException,
  type CompiledPolicy,
  isSingleRuleMatch,
  type KubeObject,
  type KyvernoPolicy,
  type Operation,
  type PolicyResponse,
  type Ports,
  type RequestInfo,
  resourceForKind,
  splitApiVersion,
} from '../../engine/index.js';
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
  /** MutatingAdmissionPolicies, applied before the MutatingPolicies (Kyverno's order). */
  readonly admissionPolicies?: readonly CompiledMutatingAdmissionPolicy[];
  readonly values?: ValuesSpec;
  readonly setValues?: Readonly<Record<string, string>>;
  readonly requestInfo?: RequestInfo;
  /** Forces the operation (a test row's `operation`), overriding values. */
  readonly operation?: Operation;
}

/** Compiles loaded MutatingPolicies with the exceptions that name them; problems → diagnostics. */
export function compileMutatingPolicies(
  loaded: readonly LoadedMutatingPolicy[],
  exceptions: readonly CelPolicyException[],
  ports: Ports,
): { compiled: CompiledMutatingPolicy[]; invalid: string[]; issues: IoDiagnostic[] } {
  const out: CompileProblems = { invalid: [], issues: [] };
  const compiled = compileAll(loaded, (p) => compileMutatingPolicy(p, { exceptions, ports }), out);
  return { compiled, ...out };
}

/** Compiles loaded MutatingAdmissionPolicies with their bindings; problems → diagnostics. */
export function compileMutatingAdmissionPolicies(
  loaded: readonly LoadedMutatingAdmissionPolicy[],
  bindings: readonly LoadedMutatingAdmissionPolicyBinding[],
  ports: Ports,
): { compiled: CompiledMutatingAdmissionPolicy[]; invalid: string[]; issues: IoDiagnostic[] } {
  const all = bindings.map((b) => b.policy);
  const out: CompileProblems = { invalid: [], issues: [] };
  const compiled = compileAll(loaded, (p) => compileMutatingAdmissionPolicy(p, all, { ports }), out);
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

function operationFrom(inputs: MutatingEvaluationInputs): Operation {
  if (inputs.operation !== undefined) return inputs.operation;
  const op = inputs.setValues?.['request.operation'] ?? inputs.values?.globalValues?.['request.operation'];
  return op === 'UPDATE' || op === 'DELETE' || op === 'CONNECT' ? op : 'CREATE';
}

/** Every MutatingPolicy's responses for one resource, and the resource they leave. Never throws. */
export function evaluateMutatingPolicies(
  resource: KubeObject,
  inputs: MutatingEvaluationInputs,
): { responses: EngineResponse[]; patched: KubeObject } {
  const operation = operationFrom(inputs);
  const { group, version } = splitApiVersion(resource.apiVersion ?? '');
  const kind = resource.kind ?? '';
  const namespace = resource.metadata?.namespace ?? '';
  const namespaceObject = namespaceObjectFor(inputs.values, namespace);
  const attributes = {
    group,
    version,
    kind,
    resource: resourceForKind(kind),
    subresource: '',
    namespace,
    name: resource.metadata?.name ?? '',
    operation,
    object: operation === 'DELETE' ? null : resource,
    oldObject: operation === 'UPDATE' || operation === 'DELETE' ? resource : null,
  };
  const out: EngineResponse[] = [];
  let patched = resource;
  const input = {
    namespaceObject,
    ...(inputs.requestInfo !== undefined ? { userInfo: inputs.requestInfo.userInfo } : {}),
  };
  // Each MutatingAdmissionPolicy sees the object the previous one left; Kyverno's CLI runs them on CREATE.
  for (const c of inputs.admissionPolicies ?? []) {
    const object = operation === 'DELETE' ? null : patched;
    const r = evaluateMutatingAdmissionPolicy(c, {
      ...input,
      attributes: { ...attributes, operation: 'CREATE', object, oldObject: null },
    });
    if (r.rules.length === 0) continue;
    if (r.patched !== undefined) patched = r.patched;
    const key = c.policy.metadata.name;
    out.push(toResponse({ policy: c.policy, key }, resource, patched, r.rules));
  }
  const answered: { c: CompiledMutatingPolicy; rules: PolicyResponse['rules'] }[] = [];
  const base = patched;
  const mpolAttributes = {
    ...attributes,
    object: attributes.object === null ? null : base,
    oldObject: attributes.oldObject === null ? null : base,
  };
  for (const c of inputs.policies) {
    if (c.mutateExisting) continue;
    const variants = evaluateMutatingPolicy(c, { ...input, attributes: mpolAttributes });
    for (const v of variants) {
      if (v.patched !== undefined) patched = v.patched;
      if (v.rules.length === 0 && isSingleRuleMatch(v.matchConstraints)) continue;
      answered.push({ c, rules: v.rules });
    }
  }
  for (const { c, rules } of answered) out.push(toResponse(c, resource, patched, rules));
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
