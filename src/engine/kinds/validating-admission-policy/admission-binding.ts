/**
 * @module What ValidatingAdmissionPolicy and MutatingAdmissionPolicy bindings share offline, as
 * Kyverno's CLI does it without a cluster (pkg/admissionpolicy validate.go / mutate.go,
 * `process*WithoutClient`): which bindings apply to a request, and the `params` object a binding
 * selects from the given param resources (`--parameter-resource`, test `paramResources`).
 */
import { labelSelectorMatches } from '../../match/label-selector.js';
import type { KubeObject, LabelSelector } from '../../model/kube-object.js';
import type { CelAdmissionInput } from '../cel-shared/admission-evaluation.js';
import { matchConstraints } from '../cel-shared/match-constraints.js';
import type { MatchConstraints } from '../cel-shared/types.js';

export interface ParamKind {
  apiVersion?: string;
  kind?: string;
}

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: LabelSelector;
  parameterNotFoundAction?: 'Allow' | 'Deny';
}

/** The parts of a binding the offline evaluation reads. */
export interface AdmissionBindingSpec {
  readonly policyName?: string;
  readonly paramRef?: ParamRef;
  readonly matchResources?: MatchConstraints;
}

/**
 * The Namespace CEL sees as `namespaceObject` (and namespaceSelector matches): the one given, else a
 * stand-in with the name and `kubernetes.io/metadata.name` label; none for cluster-scoped objects and
 * for Namespaces themselves.
 */
export function requestNamespaceObject(input: CelAdmissionInput): KubeObject | null {
  const a = input.attributes;
  const name = a.resource === 'namespaces' && a.group === '' ? '' : a.namespace;
  if (input.namespaceObject !== null) return input.namespaceObject;
  if (name === '') return null;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  };
}

/**
 * The bindings that apply, in the order given: those without `matchResources`, and those whose
 * `matchResources` select the request (a matching error skips the binding, as Kyverno logs and
 * moves on). The policy's own matchConstraints are not consulted here: offline, Kyverno checks
 * them only for a policy without bindings.
 */
export function applicableBindings<B extends { readonly spec?: AdmissionBindingSpec }>(
  bindings: readonly B[],
  input: CelAdmissionInput,
  namespaceObject: KubeObject | null,
): B[] {
  return bindings.filter((b) => {
    const constraints = b.spec?.matchResources;
    if (constraints === undefined || constraints === null) return true;
    const m = matchConstraints(constraints, input.attributes, namespaceObject);
    return m.error === undefined && m.matches;
  });
}

/** A plain object of `paramKind` (when the policy names one). */
function ofKind(p: KubeObject, kind: ParamKind): boolean {
  if (kind.kind !== undefined && kind.kind !== '' && p.kind !== kind.kind) return false;
  return kind.apiVersion === undefined || kind.apiVersion === '' || p.apiVersion === kind.apiVersion;
}

/**
 * What `params` is for a binding, Kyverno's offline way:
 * - with `paramRef.selector`: every param resource whose labels match (namespace is not
 *   consulted), as a list object `{items: [...]}` — even for a single match;
 * - with `paramRef.name`: the first param resource of that name (namespace is not consulted);
 *   without a name, the first one in `paramRef.namespace`;
 * - nothing found (or no paramKind / paramRef): null. `parameterNotFoundAction` is not applied
 *   offline; expressions reading a null `params` fail instead.
 */
export function selectParams(
  paramKind: ParamKind | undefined,
  paramRef: ParamRef | undefined,
  resources: readonly KubeObject[],
): KubeObject | null {
  if (paramKind === undefined || paramKind === null || paramRef === undefined || paramRef === null) {
    return null;
  }
  const candidates = resources.filter((p) => ofKind(p, paramKind));
  const selector = paramRef.selector;
  if (selector !== undefined && selector !== null) {
    const items = candidates.filter((p) =>
      labelSelectorMatches(selector, (p.metadata?.labels ?? {}) as Record<string, string>),
    );
    return items.length > 0 ? ({ items } as KubeObject) : null;
  }
  const found = candidates.find((p) => {
    if (paramRef.name !== undefined && paramRef.name !== '') return p.metadata?.name === paramRef.name;
    return (
      paramRef.namespace !== undefined &&
      paramRef.namespace !== '' &&
      (p.metadata?.namespace ?? '') === paramRef.namespace
    );
  });
  return found ?? null;
}
