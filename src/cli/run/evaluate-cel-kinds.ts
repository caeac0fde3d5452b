/**
 * @module GeneratingPolicies, DeletingPolicies, ImageValidatingPolicies and Kubernetes
 * ValidatingAdmissionPolicies (+ bindings, params) in `palisade test` / `apply`, the way Kyverno's
 * CLI runs them (reference §8.3, §8.6): each evaluated for every resource with an offline CREATE
 * request (GeneratingPolicy, ImageValidatingPolicy, VAP) or as a cleanup candidate (DeletingPolicy).
 * VAPs and GeneratingPolicies see the resource as the mutating policies left it; the other two the
 * resource as loaded.
 * Responses reuse the kyverno.io response shape so result checking (incl. `generatedResource(s)`)
 * and reports treat every family alike.
 */
import {
  type CelPolicyException,
  type CompiledDeletingPolicy,
  type CompiledGeneratingPolicy,
  type CompiledImageValidatingPolicy,
  type CompiledPolicy,
  type CompiledValidatingAdmissionPolicy,
  compileDeletingPolicy,
  compileGeneratingPolicy,
  compileImageValidatingPolicy,
  compileValidatingAdmissionPolicy,
  type EvaluationRuntime,
  evaluateDeletingPolicy,
  evaluateGeneratingPolicy,
  evaluateImageValidatingPolicy,
  evaluateValidatingAdmissionPolicy,
  type KubeObject,
  type KyvernoPolicy,
  type ObjectMeta,
  type Operation,
  objectIdentity,
  type PolicyResponse,
  type RequestInfo,
  type RuleResult,
} from '../../engine/index.js';
import type { IoDiagnostic } from '../../io/codes.js';
import type { LoadedPolicies } from '../../io/files/policies.js';
import { compileAll } from './compile-loaded.js';
import type { EngineResponse } from './evaluate-resources.js';

/** The loaded documents of the kinds this module runs (a subset of `LoadedPolicies`). */
export type CelKindsLoaded = Pick<
  LoadedPolicies,
  | 'generatingPolicies'
  | 'deletingPolicies'
  | 'imageValidatingPolicies'
  | 'admissionPolicies'
  | 'admissionPolicyBindings'
>;

export interface CelKindsSetup {
  readonly loaded: CelKindsLoaded;
  readonly exceptions: readonly CelPolicyException[];
  /** The ports the policies' CEL libraries and params use. */
  readonly runtime: EvaluationRuntime;
  /** The Namespace object of a namespace, when the values file knows it. */
  readonly namespaceObject: (namespace: string) => KubeObject | null;
  readonly requestInfo?: RequestInfo;
}

export interface CelKindsRun {
  /** Policies loaded (bindings are not counted), for the "Applying N policies" line. */
  readonly count: number;
  readonly invalid: readonly string[];
  readonly issues: readonly IoDiagnostic[];
  /**
   * The responses for one resource. `object`, when given, is the resource as the mutating policies
   * left it: ValidatingAdmissionPolicies and GeneratingPolicies see it, ImageValidatingPolicies and
   * DeletingPolicies the resource as loaded (Kyverno's CLI runs those two outside its processor).
   */
  evaluate(resource: KubeObject, operation?: Operation, object?: KubeObject): EngineResponse[];
  /**
   * The responses for one JSON payload: DeletingPolicies evaluate it as a cleanup candidate, as
   * Kyverno's CLI does (the other kinds need a Kubernetes object). Never throws.
   */
  evaluateJson(payload: KubeObject): EngineResponse[];
}

interface Meta {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta & { name: string };
}

/** The kyverno.io-shaped stand-in result checking and reports read (name, namespace, annotations). */
function standIn(p: Meta, key: string, namespace: string | undefined): CompiledPolicy {
  const policy = {
    apiVersion: p.apiVersion,
    kind: p.kind,
    metadata: p.metadata,
    spec: { rules: [] },
  } as unknown as KyvernoPolicy;
  return { policy, key, ...(namespace !== undefined ? { namespace } : {}), rules: [] };
}

function respond(
  p: Meta,
  key: string,
  namespace: string | undefined,
  resource: KubeObject,
  rules: readonly RuleResult[],
  enforce: boolean,
  patched: KubeObject = resource,
): EngineResponse {
  const response: PolicyResponse = {
    policyKey: key,
    policyName: p.metadata.name,
    ...(namespace !== undefined ? { policyNamespace: namespace } : {}),
    policyKind: p.kind,
    resource,
    patchedResource: patched,
    rules,
    validationFailureAction: enforce ? 'Enforce' : 'Audit',
  };
  return { compiled: standIn(p, key, namespace), resource, response };
}

/** Compiles the policies of these kinds once; `evaluate` answers per resource. Never throws. */
export function prepareCelKinds(setup: CelKindsSetup): CelKindsRun {
  const acc = { invalid: [] as string[], issues: [] as IoDiagnostic[] };
  const { loaded, exceptions } = setup;
  const gpols = compileAll(loaded.generatingPolicies, (p) => compileGeneratingPolicy(p, { exceptions }), acc);
  const dpols = compileAll(loaded.deletingPolicies, (p) => compileDeletingPolicy(p, { exceptions }), acc);
  const ivpols = compileAll(
    loaded.imageValidatingPolicies,
    (p) => compileImageValidatingPolicy(p, { exceptions }),
    acc,
  );
  // VAP params come from the `admissionParams` port (`--parameter-resource`, test `paramResources`).
  const bindings = loaded.admissionPolicyBindings.map((b) => b.policy);
  const vaps = compileAll(
    loaded.admissionPolicies,
    (p) => compileValidatingAdmissionPolicy(p, bindings),
    acc,
  );
  const count =
    loaded.generatingPolicies.length +
    loaded.deletingPolicies.length +
    loaded.imageValidatingPolicies.length +
    loaded.admissionPolicies.length;
  return {
    count,
    invalid: acc.invalid,
    issues: acc.issues,
    evaluate: (resource, operation, object = resource) =>
      evaluateCelKinds(resource, object, { gpols, dpols, ivpols, vaps }, setup, operation ?? 'CREATE'),
    evaluateJson: (payload) => evaluateDeletingPolicies(payload, dpols, setup),
  };
}

interface CompiledKinds {
  readonly gpols: readonly CompiledGeneratingPolicy[];
  readonly dpols: readonly CompiledDeletingPolicy[];
  readonly ivpols: readonly CompiledImageValidatingPolicy[];
  readonly vaps: readonly CompiledValidatingAdmissionPolicy[];
}

/** The offline CREATE request Kyverno's CLI builds for `object`. */
function createInput(object: KubeObject, setup: CelKindsSetup) {
  const base = objectIdentity(object);
  const namespaceObject = base.namespace === '' ? null : setup.namespaceObject(base.namespace);
  const userInfo = setup.requestInfo?.userInfo;
  const create = {
    attributes: { ...base, operation: 'CREATE' as const, object, oldObject: null },
    namespaceObject,
    ...(userInfo !== undefined ? { userInfo } : {}),
  };
  return { base, namespaceObject, create };
}

function evaluateCelKinds(
  resource: KubeObject,
  object: KubeObject,
  kinds: CompiledKinds,
  setup: CelKindsSetup,
  operation: Operation,
): EngineResponse[] {
  const out: EngineResponse[] = [];
  // Kyverno's CLI builds a CREATE request for these kinds whatever the values say.
  const loaded = createInput(resource, setup);
  const patched = object === resource ? loaded : createInput(object, setup);
  for (const c of kinds.gpols) {
    const outcome = evaluateGeneratingPolicy(c, patched.create, setup.runtime);
    // An unmatched GeneratingPolicy leaves no response (Kyverno drops a nil result).
    if (outcome.matched)
      out.push(respond(c.policy, c.key, c.namespace, resource, outcome.rules, true, object));
  }
  // Kyverno's CLI keeps one response per ImageValidatingPolicy, empty when it does not apply (rows read `Excluded`).
  for (const c of kinds.ivpols) {
    const rule = evaluateImageValidatingPolicy(c, loaded.create, setup.runtime);
    const rules = rule !== undefined ? [rule] : [];
    out.push(respond(c.policy, c.key, c.namespace, resource, rules, c.actions.includes('Deny')));
  }
  // Kyverno's CLI keeps every VAP's response, empty when nothing matched (rows read `Excluded`).
  for (const c of kinds.vaps) {
    const outcome = evaluateValidatingAdmissionPolicy(
      c,
      operation === 'CREATE' ? patched.create : withOperation(patched.create, object, operation),
      setup.runtime,
    );
    const rules = outcome.matched ? outcome.rules : [];
    const enforce = !outcome.matched || outcome.actions.includes('Deny');
    out.push(respond(c.policy, c.policy.metadata.name, undefined, resource, rules, enforce, object));
  }
  out.push(...evaluateDeletingPolicies(resource, kinds.dpols, setup, loaded));
  return out;
}

/** Every DeletingPolicy answers: pass "resource matched" or fail "resource did not match". */
function evaluateDeletingPolicies(
  resource: KubeObject,
  dpols: readonly CompiledDeletingPolicy[],
  setup: CelKindsSetup,
  input = createInput(resource, setup),
): EngineResponse[] {
  return dpols.map((c) => {
    const rule = evaluateDeletingPolicy(
      c,
      { ...input.base, object: resource, oldObject: null },
      input.namespaceObject,
      setup.runtime,
    );
    return respond(c.policy, c.key, c.namespace, resource, [rule], true);
  });
}

function withOperation<T extends { attributes: object }>(
  input: T,
  resource: KubeObject,
  operation: Operation,
): T {
  return {
    ...input,
    attributes: {
      ...input.attributes,
      operation,
      object: operation === 'DELETE' ? null : resource,
      oldObject: operation === 'UPDATE' || operation === 'DELETE' ? resource : null,
    },
  };
}
