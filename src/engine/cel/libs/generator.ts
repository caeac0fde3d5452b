/**
 * @module Kyverno's `generator` library for GeneratingPolicies: `generator.Apply(namespace, [objects])`
 * (and `generator.Apply([objects])`, which targets the policy's own scope). The `generator` value is
 * a per-evaluation `GeneratorContext` bound as a CEL variable; it records the objects instead of
 * creating them, as Kyverno's CLI evaluation mode does (uid, managedFields, annotations,
 * resourceVersion and creationTimestamp cleared; `*List` objects expanded); in the cluster a clone
 * also carries its source's uid (`labelSources`).
 */
import type { KubeObject } from '../../model/kube-object.js';
import { CelEvalError } from '../errors.js';
import { fromCel } from '../values.js';
import type { CelFunctionEntry, CelLibrary } from './types.js';

export interface GeneratorScope {
  /** The namespace of a namespaced policy: generation outside it is denied. */
  readonly policyNamespace?: string;
  /** True when objects of this kind have no namespace (cluster-scoped). */
  readonly isClusterScoped?: (apiVersion: string, kind: string) => boolean;
  /**
   * Label an object read from the cluster (one with a resourceVersion: a clone) with its uid as
   * `generate.kyverno.io/source-uid`, as Kyverno does in the cluster (not in its CLI), so that the
   * generate controller follows the source and keeps the clone when the policy is deleted.
   */
  readonly labelSources?: boolean;
}

/** Kyverno's label naming the object a GeneratingPolicy cloned (pkg/cel/libs addGenerateLabels). */
export const LABEL_SOURCE_UID = 'generate.kyverno.io/source-uid';

/** The value behind the CEL variable `generator`; collects what `Apply` generated. */
export class GeneratorContext {
  readonly generated: KubeObject[] = [];
  readonly scope: GeneratorScope;
  constructor(scope: GeneratorScope = {}) {
    this.scope = scope;
  }

  /** Records the objects; `true` like Kyverno's overload (so `all(ns, generator.apply(...))` works). */
  apply(namespace: string | undefined, list: unknown): true {
    const policyNs = this.scope.policyNamespace;
    const target = namespace ?? policyNs ?? '';
    if (policyNs !== undefined && policyNs !== '' && target !== policyNs) {
      throw new CelEvalError(
        `failed to generate resources: cross-namespace generation denied: a policy in namespace "${policyNs}" cannot generate resources in namespace "${target}"`,
      );
    }
    const items = fromCel(list);
    if (!Array.isArray(items))
      throw new CelEvalError('failed to generate resources: expected a list of objects');
    for (const item of items) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new CelEvalError('failed to generate resources: every item must be an object');
      }
      const obj = item as KubeObject & { items?: unknown };
      const expanded =
        typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)
          ? (obj.items as KubeObject[])
          : [obj];
      for (const o of expanded) this.generated.push(this.#tidy(o, target, policyNs));
    }
    return true;
  }

  #tidy(o: KubeObject, namespace: string, policyNs: string | undefined): KubeObject {
    const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    const kind = typeof o.kind === 'string' ? o.kind : '';
    let ns = namespace;
    if (this.scope.isClusterScoped?.(apiVersion, kind) === true) {
      if (namespace !== '' && policyNs !== undefined && policyNs !== '') {
        throw new CelEvalError(
          `failed to generate resources: cross-scope generation denied: a policy scoped to namespace "${namespace}" cannot generate cluster-scoped resource ${apiVersion}/${kind}`,
        );
      }
      ns = '';
    }
    const meta = { ...(o.metadata ?? {}) } as Record<string, unknown>;
    if (
      this.scope.labelSources === true &&
      typeof meta.resourceVersion === 'string' &&
      meta.resourceVersion !== ''
    ) {
      const labels = typeof meta.labels === 'object' && meta.labels !== null ? meta.labels : {};
      meta.labels = { ...labels, [LABEL_SOURCE_UID]: typeof meta.uid === 'string' ? meta.uid : '' };
    }
    for (const k of ['uid', 'managedFields', 'annotations', 'resourceVersion', 'creationTimestamp'])
      delete meta[k];
    if (ns === '') delete meta.namespace;
    else meta.namespace = ns;
    return { ...o, metadata: meta } as KubeObject;
  }
}

/** `Apply`, and since Kyverno 1.18 the same overloads under the camel-case name `apply`. */
const functions: CelFunctionEntry[] = ['Apply', 'apply'].flatMap((name): CelFunctionEntry[] => [
  {
    signature: `GeneratorContext.${name}(string, list): bool`,
    impl: (self: GeneratorContext, namespace: string, list: unknown) => self.apply(namespace, list),
  },
  {
    signature: `GeneratorContext.${name}(list): bool`,
    impl: (self: GeneratorContext, list: unknown) => self.apply(undefined, list),
  },
]);

/** Registered for GeneratingPolicies only; the `generator` variable carries the context. */
export function generatorLibrary(): CelLibrary {
  return { name: 'generator', types: [{ name: 'GeneratorContext', ctor: GeneratorContext }], functions };
}
