/**
 * @module Typed view of a `generate` block (Kyverno api/kyverno/v1 `Generation`, `GeneratePattern`,
 * `ForEachGeneration`). The policy model keeps `rule.generate` untyped; these readers pick the
 * fields the generator uses without trusting their shapes.
 */
import type { JsonObject, KubeObject, LabelSelector } from '../../../model/kube-object.js';
import type { Conditions, ContextEntry } from '../types.js';

/** Identity of one object: what Kyverno calls a ResourceSpec. */
export interface ResourceSpec {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface CloneFrom {
  readonly namespace?: string;
  readonly name?: string;
}

export interface CloneList {
  readonly namespace?: string;
  readonly kinds?: readonly string[];
  readonly selector?: LabelSelector;
}

/** The part of a generate block that variables are substituted in. */
export interface GeneratePattern {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly data?: unknown;
  readonly clone?: CloneFrom;
  readonly cloneList?: CloneList;
}

export interface ForEachGeneration extends GeneratePattern {
  readonly list?: string;
  readonly context?: ContextEntry[];
  readonly preconditions?: Conditions;
}

export interface Generation extends GeneratePattern {
  readonly synchronize?: boolean;
  readonly orphanDownstreamOnPolicyDelete?: boolean;
  readonly generateExisting?: boolean;
  readonly foreach?: readonly ForEachGeneration[];
}

/** Who asked for the generation: stamped on every generated object as labels. */
export interface GenerateOwner {
  readonly policyName: string;
  /** `''` for a ClusterPolicy. */
  readonly policyNamespace: string;
  readonly ruleName: string;
  readonly trigger: KubeObject;
}

const PATTERN_KEYS = [
  'apiVersion',
  'kind',
  'namespace',
  'name',
  'uid',
  'data',
  'clone',
  'cloneList',
] as const;

/** The substitutable part of a generate (or foreach) block, as plain JSON. */
export function patternOf(block: JsonObject | GeneratePattern): JsonObject {
  const out: JsonObject = {};
  const source = block as JsonObject;
  for (const key of PATTERN_KEYS) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field, or `''` when absent or of another type (Go's zero value). */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** The target identity of a substituted pattern. */
export function targetOf(pattern: JsonObject): ResourceSpec {
  return {
    apiVersion: text(pattern.apiVersion),
    kind: text(pattern.kind),
    namespace: text(pattern.namespace),
    name: text(pattern.name),
  };
}

/** `apiVersion/kind/namespace/name`, as Kyverno's ResourceSpec.String() prints it. */
export function specText(spec: ResourceSpec): string {
  return [spec.apiVersion, spec.kind, spec.namespace, spec.name].join('/');
}
