/** @module What the matcher is asked: the object, the admission operation and who asked. */
import type { KubeObject } from '../model/kube-object.js';
import type { Operation, RequestInfo } from '../request.js';
import type { KindSelectorSource } from './kind-selector.js';

export interface MatchInput {
  /** The object matched (the new object, or the old object on DELETE). */
  readonly resource: KubeObject;
  readonly operation: Operation;
  readonly subresource?: string;
  /** The kind the request names, when it is not the object's own (see EvaluationRequest.resourceKind). */
  readonly resourceKind?: { readonly group: string; readonly version: string; readonly kind: string };
  /** Labels of the resource's namespace; absent means an empty label set. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly requestInfo?: RequestInfo;
  /** Set for a namespaced `Policy`: only resources in this namespace match. */
  readonly policyNamespace?: string;
  /** The compiled policy's parsed kind selectors; absent: each selector is parsed where it is used. */
  readonly selectors?: KindSelectorSource;
}
