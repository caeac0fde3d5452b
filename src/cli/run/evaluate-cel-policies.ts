/**
 * @module ValidatingPolicies in `palisade test` / `apply`, the way Kyverno's CLI policy processor
 * runs them: the offline request (operation from values or the test row, CREATE by default),
 * `namespaceObject` from the values file's namespaces, one engine response per policy variant
 * (the policy, then its autogen variants), dropping an unmatched variant only when its
 * constraints are a single plain resource rule (processor `hasSelector`). Responses reuse the kyverno.io response shape so
 * result checking and reports treat both families alike.
 */
import {
  type CelPolicyException,
  type CompiledPolicy,
  type CompiledValidatingPolicy,
  compileValidatingPolicy,
  type EvaluationRuntime,
  evaluateValidatingPolicy,
  evaluateValidatingPolicyJson,
  isSingleRuleMatch,
  type KubeObject,
  type KyvernoPolicy,
  type Operation,
  objectIdentity,
  type PolicyResponse,
  type RequestInfo,
  type VariantResponse,
} from '../../engine/index.js';
import type { IoDiagnostic } from '../../io/codes.js';
import { loadContextFile } from '../../io/files/context-file.js';
import type {
  LoadedMutatingAdmissionPolicy,
  LoadedMutatingAdmissionPolicyBinding,
  LoadedMutatingPolicy,
  LoadedValidatingPolicy,
} from '../../io/files/policies.js';
import { loadResources } from '../../io/files/resources.js';
import type { ApiCallMock, GlobalContextMock } from '../../io/files/test-suite.js';
import type { ValuesSpec } from '../../io/files/values.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { type CompileProblems, compileAll } from './compile-loaded.js';
import { type CelKindsLoaded, prepareCelKinds } from './evaluate-cel-kinds.js';
import {
  compileMutatingAdmissionPolicies,
  compileMutatingPolicies,
  evaluateMutatingPolicies,
} from './evaluate-mutating-policies.js';
import type { EngineResponse } from './evaluate-resources.js';

export interface CelEvaluationInputs {
  readonly policies: readonly CompiledValidatingPolicy[];
  /** The ports the policies' CEL libraries use. */
  readonly runtime: EvaluationRuntime;
  readonly values?: ValuesSpec;
  readonly setValues?: Readonly<Record<string, string>>;
  readonly requestInfo?: RequestInfo;
  /** Forces the operation (a test row's `operation`), overriding values. */
  readonly operation?: Operation;
}

/** Compiles loaded ValidatingPolicies with the exceptions that name them; problems → diagnostics. */
export function compileValidatingPolicies(
  loaded: readonly LoadedValidatingPolicy[],
  exceptions: readonly CelPolicyException[],
): { compiled: CompiledValidatingPolicy[]; invalid: string[]; issues: IoDiagnostic[] } {
  const out: CompileProblems = { invalid: [], issues: [] };
  const compiled = compileAll(loaded, (p) => compileValidatingPolicy(p, { exceptions }), out);
  return { compiled, ...out };
}

/**
 * The kyverno.io-shaped stand-in for a ValidatingPolicy: result rows and reports read only its
 * name, namespace and annotations (e.g. `policies.kyverno.io/scored`); it has no rules of its own.
 */
function asCompiledPolicy(c: CompiledValidatingPolicy): CompiledPolicy {
  const policy = {
    apiVersion: c.policy.apiVersion,
    kind: c.policy.kind,
    metadata: c.policy.metadata,
    spec: { rules: [] },
  } as unknown as KyvernoPolicy;
  return { policy, key: c.key, ...(c.namespace !== undefined ? { namespace: c.namespace } : {}), rules: [] };
}

function operationFrom(inputs: CelEvaluationInputs): Operation {
  if (inputs.operation !== undefined) return inputs.operation;
  const fromSet = inputs.setValues?.['request.operation'];
  const fromValues = inputs.values?.globalValues?.['request.operation'];
  const op = fromSet ?? fromValues;
  return op === 'UPDATE' || op === 'DELETE' || op === 'CONNECT' ? op : 'CREATE';
}

/** Kyverno CLI `Variables.Namespace`: a full `namespaces` object first, else a `namespaceSelector` entry. */
export function namespaceObjectFor(values: ValuesSpec | undefined, namespace: string): KubeObject | null {
  if (values === undefined || namespace === '') return null;
  for (const ns of values.namespaces ?? []) {
    if (ns.metadata?.name === namespace) return ns as KubeObject;
  }
  for (const ns of values.namespaceSelector ?? []) {
    if (ns.name === namespace) {
      return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, ...(ns.labels !== undefined ? { labels: { ...ns.labels } } : {}) },
      };
    }
  }
  return null;
}

function toResponse(
  c: CompiledValidatingPolicy,
  resource: KubeObject,
  rules: VariantResponse['rules'],
  object: KubeObject = resource,
): EngineResponse {
  const response: PolicyResponse = {
    policyKey: c.key,
    policyName: c.policy.metadata.name,
    ...(c.namespace !== undefined ? { policyNamespace: c.namespace } : {}),
    policyKind: c.policy.kind,
    resource,
    patchedResource: object,
    rules,
    validationFailureAction: c.actions.includes('Deny') ? 'Enforce' : 'Audit',
  };
  return { compiled: asCompiledPolicy(c), resource, response };
}

/**
 * Every ValidatingPolicy's responses for one resource. `resource` is the object as loaded (the
 * response key); `object`, when given, is what the policies see (the resource as the mutating
 * policies left it, Kyverno's CLI order). Never throws.
 */
export function evaluateCelPolicies(
  resource: KubeObject,
  inputs: CelEvaluationInputs,
  object: KubeObject = resource,
): EngineResponse[] {
  const out: EngineResponse[] = [];
  const operation = operationFrom(inputs);
  const identity = objectIdentity(resource);
  const namespaceObject = namespaceObjectFor(inputs.values, identity.namespace);
  const attributes = {
    ...identity,
    operation,
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'UPDATE' || operation === 'DELETE' ? object : null,
  };
  for (const c of inputs.policies) {
    if (c.mode === 'JSON') {
      // JSON-mode policies see the resource as a raw payload; only results are reported.
      for (const v of evaluateValidatingPolicyJson(c, object, inputs.runtime)) {
        if (v.rules.length > 0) out.push(toResponse(c, resource, v.rules, object));
      }
      continue;
    }
    if (c.mode !== 'Kubernetes') continue;
    const variants = evaluateValidatingPolicy(
      c,
      {
        attributes,
        namespaceObject,
        ...(inputs.requestInfo !== undefined ? { userInfo: inputs.requestInfo.userInfo } : {}),
      },
      inputs.runtime,
    );
    for (const v of variants) {
      if (v.rules.length === 0 && isSingleRuleMatch(v.matchConstraints)) continue;
      out.push(toResponse(c, resource, v.rules, object));
    }
  }
  return out;
}

/**
 * The responses of the JSON-mode ValidatingPolicies for one JSON payload (bound to `object`, no
 * request, nothing matched by kind). Kyverno's CLI keeps every response, even an empty one, and
 * skips Kubernetes-mode policies for payloads. Never throws.
 */
export function evaluateJsonPayload(
  payload: KubeObject,
  policies: readonly CompiledValidatingPolicy[],
  runtime: EvaluationRuntime,
): EngineResponse[] {
  const out: EngineResponse[] = [];
  for (const c of policies) {
    if (c.mode !== 'JSON') continue;
    for (const v of evaluateValidatingPolicyJson(c, payload, runtime))
      out.push(toResponse(c, payload, v.rules));
  }
  return out;
}

export interface CelPolicySetup {
  readonly policies: readonly LoadedValidatingPolicy[];
  readonly exceptions: readonly CelPolicyException[];
  readonly values?: ValuesSpec;
  readonly setValues?: Readonly<Record<string, string>>;
  readonly requestInfo?: RequestInfo;
  /** A Context file (`context:` of a test, `--context-file`): objects and image metadata CEL reads. */
  readonly contextFile?: string;
  readonly apiCallResponses?: readonly ApiCallMock[];
  readonly globalContextEntries?: readonly GlobalContextMock[];
  /** MutatingPolicies / NamespacedMutatingPolicies (evaluated before the ValidatingPolicies). */
  readonly mutatingPolicies?: readonly LoadedMutatingPolicy[];
  /** Kubernetes MutatingAdmissionPolicies and their bindings (evaluated before MutatingPolicies). */
  readonly mutatingAdmissionPolicies?: readonly LoadedMutatingAdmissionPolicy[];
  readonly mutatingAdmissionPolicyBindings?: readonly LoadedMutatingAdmissionPolicyBinding[];
  /** GeneratingPolicies, DeletingPolicies, ImageValidatingPolicies, ValidatingAdmissionPolicies (+ bindings). */
  readonly celKinds?: CelKindsLoaded;
  /** VAP param files (`--parameter-resource`, test `paramResources`). */
  readonly paramResources?: readonly string[];
  /** Objects mutate-existing MutatingPolicies patch (test `targetResources`); CEL `resource.*` reads them too. */
  readonly targetResources?: readonly KubeObject[];
}

export interface CelPolicyRun {
  /** Loaded ValidatingPolicies (valid or not), for the "Applying N policies" line. */
  readonly count: number;
  /** CEL PolicyExceptions given (Kyverno adds them to the exception count). */
  readonly exceptionCount: number;
  /** Names of policies that failed to compile (Kyverno lists them as skipped). */
  readonly invalid: readonly string[];
  readonly issues: readonly IoDiagnostic[];
  /**
   * The responses of every compiled CEL-family policy for one resource. `object`, when given, is
   * the resource as legacy mutate rules left it: mutating policies start from it and
   * ValidatingPolicies see their result. Never throws.
   */
  evaluate(resource: KubeObject, operation?: Operation, object?: KubeObject): EngineResponse[];
  /**
   * The responses for one JSON payload: JSON-mode ValidatingPolicies, then DeletingPolicies (Kyverno's
   * CLI skips Kubernetes-mode policies for payloads). Never throws.
   */
  evaluateJson(payload: KubeObject): EngineResponse[];
  /** As `evaluate`, also answering the object the mutating policies left (legacy generate rules see it). */
  run(
    resource: KubeObject,
    operation?: Operation,
    object?: KubeObject,
  ): { responses: EngineResponse[]; patched: KubeObject };
}

/**
 * Compiles the ValidatingPolicies of a run once, with the CEL data sources Kyverno's CLI offers
 * offline (Context file resources and images, `apiCallResponses`, `globalContextEntries`).
 */
export function prepareCelPolicies(setup: CelPolicySetup): CelPolicyRun {
  const issues: IoDiagnostic[] = [];
  let contextObjects: readonly KubeObject[] = [];
  let contextImages: readonly Readonly<Record<string, unknown>>[] = [];
  if (setup.contextFile !== undefined) {
    const ctx = loadContextFile(setup.contextFile);
    issues.push(...ctx.issues);
    contextObjects = ctx.resources;
    contextImages = ctx.images;
  }
  const params = loadResources(setup.paramResources ?? []);
  issues.push(...params.issues);
  const ports = createOfflinePorts({
    admissionParams: params.resources.map((r) => r.object),
    clusterObjects: [...contextObjects, ...(setup.targetResources ?? [])],
    allowClusterReads: true,
    // Kyverno's CLI always answers image metadata from its fake context, never a registry.
    images: contextImages,
    ...(setup.apiCallResponses !== undefined ? { apiCallResponses: setup.apiCallResponses } : {}),
    ...(setup.globalContextEntries !== undefined ? { globalContextEntries: setup.globalContextEntries } : {}),
  });
  const runtime: EvaluationRuntime = { ports };
  const c = compileValidatingPolicies(setup.policies, setup.exceptions);
  issues.push(...c.issues);
  const mpol = compileMutatingPolicies(setup.mutatingPolicies ?? [], setup.exceptions);
  issues.push(...mpol.issues);
  const maps = compileMutatingAdmissionPolicies(
    setup.mutatingAdmissionPolicies ?? [],
    setup.mutatingAdmissionPolicyBindings ?? [],
  );
  issues.push(...maps.issues);
  const kinds = prepareCelKinds({
    loaded: setup.celKinds ?? EMPTY_CEL_KINDS,
    exceptions: setup.exceptions,
    runtime,
    ...(setup.requestInfo !== undefined ? { requestInfo: setup.requestInfo } : {}),
    namespaceObject: (ns) => namespaceObjectFor(setup.values, ns),
  });
  issues.push(...kinds.issues);
  return {
    count:
      setup.policies.length +
      (setup.mutatingPolicies?.length ?? 0) +
      (setup.mutatingAdmissionPolicies?.length ?? 0) +
      kinds.count,
    exceptionCount: setup.exceptions.length,
    invalid: [...c.invalid, ...mpol.invalid, ...maps.invalid, ...kinds.invalid],
    issues,
    evaluate: (resource, operation, object = resource) => run(resource, operation, object).responses,
    run: (resource, operation, object = resource) => run(resource, operation, object),
    evaluateJson: (payload) => [
      ...evaluateJsonPayload(payload, c.compiled, runtime),
      ...kinds.evaluateJson(payload),
    ],
  };

  function run(
    resource: KubeObject,
    operation: Operation | undefined,
    object: KubeObject,
  ): { responses: EngineResponse[]; patched: KubeObject } {
    const shared = {
      runtime,
      ...(setup.values !== undefined ? { values: setup.values } : {}),
      ...(setup.setValues !== undefined ? { setValues: setup.setValues } : {}),
      ...(setup.requestInfo !== undefined ? { requestInfo: setup.requestInfo } : {}),
      ...(operation !== undefined ? { operation } : {}),
    };
    // Kyverno's CLI order: MutatingAdmissionPolicies, MutatingPolicies, then ValidatingPolicies,
    // ValidatingAdmissionPolicies and GeneratingPolicies on their result; ImageValidatingPolicies
    // and DeletingPolicies see the resource as loaded.
    const mutated = evaluateMutatingPolicies(
      resource,
      {
        policies: mpol.compiled,
        admissionPolicies: maps.compiled,
        ...(setup.targetResources !== undefined ? { targets: setup.targetResources } : {}),
        ...shared,
      },
      object,
    );
    return {
      responses: [
        ...mutated.responses,
        ...evaluateCelPolicies(resource, { policies: c.compiled, ...shared }, mutated.patched),
        ...kinds.evaluate(resource, operation, mutated.patched),
      ],
      patched: mutated.patched,
    };
  }
}

const EMPTY_CEL_KINDS: CelKindsLoaded = {
  generatingPolicies: [],
  deletingPolicies: [],
  imageValidatingPolicies: [],
  admissionPolicies: [],
  admissionPolicyBindings: [],
};
