/**
 * @module Applies compiled policies to resources the way Kyverno's CLI policy processor does:
 * policies with mutate rules first (each sees the resource patched by the previous ones), then the
 * others, generate rules last; the operation comes from the `request.operation` value (default CREATE).
 */
import {
  type CompiledPolicy,
  type EvaluationRequest,
  evaluatePolicy,
  type KubeObject,
  type Limits,
  type Operation,
  type PolicyException,
  type PolicyResponse,
  type Ports,
  type RequestInfo,
} from '../../engine/index.js';
import { computeVariableValues, namespaceLabels, type ValuesSpec } from '../../io/files/values.js';

export interface EvaluationInputs {
  readonly policies: readonly CompiledPolicy[];
  readonly values?: ValuesSpec;
  readonly setValues?: Readonly<Record<string, string>>;
  readonly requestInfo?: RequestInfo;
  readonly exceptions?: readonly PolicyException[];
  readonly ports: Ports;
  /** Forces the operation (a test row's `operation`), overriding values. */
  readonly operation?: Operation;
  readonly limits?: Partial<Limits>;
}

export interface EngineResponse {
  readonly compiled: CompiledPolicy;
  /** The resource as loaded (the key test rows are matched against). */
  readonly resource: KubeObject;
  readonly response: PolicyResponse;
}

function hasMutate(p: CompiledPolicy): boolean {
  return (p.policy.spec.rules ?? []).some((r) => r.mutate !== undefined);
}

function operationFrom(value: unknown): Operation {
  return value === 'UPDATE' || value === 'DELETE' || value === 'CONNECT' ? value : 'CREATE';
}

function buildRequest(
  compiled: CompiledPolicy,
  resource: KubeObject,
  original: KubeObject,
  inputs: EvaluationInputs,
): EvaluationRequest {
  const values = computeVariableValues(
    inputs.values,
    inputs.setValues ?? {},
    compiled.policy.metadata.name,
    original.metadata?.name ?? '',
  );
  const operation = inputs.operation ?? operationFrom(values.global['request.operation']);
  const global =
    inputs.operation !== undefined
      ? { ...values.global, 'request.operation': inputs.operation }
      : values.global;
  const labels = namespaceLabels(inputs.values, resource.metadata?.namespace);
  const base = {
    operation,
    values: { ...values, global },
    ports: inputs.ports,
    ...(inputs.requestInfo !== undefined ? { requestInfo: inputs.requestInfo } : {}),
    ...(labels !== undefined ? { namespaceLabels: labels } : {}),
    ...(inputs.exceptions !== undefined ? { exceptions: inputs.exceptions } : {}),
    ...(inputs.limits !== undefined ? { limits: inputs.limits } : {}),
  };
  if (operation === 'DELETE') return { ...base, resource: {}, oldResource: resource };
  if (operation === 'UPDATE') return { ...base, resource, oldResource: resource };
  return { ...base, resource };
}

/** Every policy's response for one resource, in Kyverno's processing order. Never throws. */
export function evaluateResource(resource: KubeObject, inputs: EvaluationInputs): EngineResponse[] {
  return evaluateLegacyPolicies(resource, inputs).responses;
}

/**
 * As `evaluateResource`, also answering the resource as the mutate rules left it: Kyverno's CLI
 * hands that object on to MutatingAdmissionPolicies and MutatingPolicies. Never throws.
 */
export function evaluateLegacyPolicies(
  resource: KubeObject,
  inputs: EvaluationInputs,
): { responses: EngineResponse[]; patched: KubeObject } {
  const run = runLegacyPolicies(resource, inputs);
  return { responses: [...run.responses, ...run.generate(run.patched)], patched: run.patched };
}

/** The legacy phases before the CEL kinds, and the generate phase Kyverno's CLI runs after them. */
export interface LegacyRun {
  /** Mutate, then validate (and verifyImages) responses. */
  readonly responses: EngineResponse[];
  /** The resource as the mutate rules left it. */
  readonly patched: KubeObject;
  /**
   * The generate rules' responses on `object`: Kyverno's CLI runs them last, on the resource as
   * legacy mutate rules, MutatingAdmissionPolicies and MutatingPolicies left it.
   */
  generate(object: KubeObject): EngineResponse[];
}

interface SplitPolicy {
  /** The policy without its generate rules; undefined when it has nothing else. */
  readonly main?: CompiledPolicy;
  /** Its generate rules alone; undefined when it has none. */
  readonly generate?: CompiledPolicy;
}

// Split once per compiled policy: the engine caches per-policy rule tables by object identity.
const splitCache = new WeakMap<CompiledPolicy, SplitPolicy>();

function splitGenerate(compiled: CompiledPolicy): SplitPolicy {
  const hit = splitCache.get(compiled);
  if (hit !== undefined) return hit;
  const generateRules = compiled.rules.filter((r) => r.generate !== undefined);
  let split: SplitPolicy;
  if (generateRules.length === 0) split = { main: compiled };
  else {
    const others = compiled.rules.filter((r) => r.generate === undefined);
    split = {
      ...(others.length > 0 ? { main: { ...compiled, rules: others } } : {}),
      generate: { ...compiled, rules: generateRules },
    };
  }
  splitCache.set(compiled, split);
  return split;
}

/**
 * Runs the legacy policies the way Kyverno's CLI processor does: policies with mutate rules first
 * (each sees the resource patched by the previous ones), then validation; generate rules are held
 * back for `generate`, which the caller runs once the CEL mutating policies have had their turn.
 * Never throws.
 */
export function runLegacyPolicies(resource: KubeObject, inputs: EvaluationInputs): LegacyRun {
  const ordered = [...inputs.policies.filter(hasMutate), ...inputs.policies.filter((p) => !hasMutate(p))];
  const out: EngineResponse[] = [];
  let current = resource;
  for (const compiled of ordered) {
    const main = splitGenerate(compiled).main;
    if (main === undefined) continue;
    const response = evaluatePolicy(main, buildRequest(main, current, resource, inputs));
    out.push({ compiled, resource, response });
    if (
      hasMutate(compiled) &&
      response.patchedResource !== undefined &&
      Object.keys(response.patchedResource).length > 0
    ) {
      current = response.patchedResource;
    }
  }
  return {
    responses: out,
    patched: current,
    generate: (object) => {
      const generated: EngineResponse[] = [];
      for (const compiled of ordered) {
        const gen = splitGenerate(compiled).generate;
        if (gen === undefined) continue;
        const response = evaluatePolicy(gen, buildRequest(gen, object, resource, inputs));
        generated.push({ compiled, resource, response });
      }
      return generated;
    },
  };
}
