/**
 * @module The resource Kyverno hands on after a mutate rule's error: its mutate responses for an
 * error carry an empty object (pkg/engine/mutate NewErrorResponse), and both the engine (the next
 * rules of the policy) and the callers (the CLI's next policies of every kind; the mutating
 * webhook's next mutating policies) go on with it. An empty object matches no rule ("resource is
 * empty"), so nothing after the error reports a result. One frozen object, known by identity.
 */
import type { KubeObject } from '../../../model/kube-object.js';

export const EMPTIED_RESOURCE: KubeObject = Object.freeze({}) as KubeObject;
