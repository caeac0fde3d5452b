/**
 * @module `generate.clone` (Kyverno pkg/background/generate/clone.go manageClone): copies an existing
 * object of the target's kind into the target, dropping the fields that identify the original
 * (uid, selfLink, creationTimestamp, managedFields, resourceVersion, and ownerReferences when it
 * changes namespace) and labelling the copy with its source.
 */
import { cloneJson } from '../../../context/json-context.js';
import type { KubeObject } from '../../../model/kube-object.js';
import type { GenerateAction } from './action.js';
import type { GenerateCluster } from './cluster.js';
import { GenerateError } from './errors.js';
import { addCloneSourceLabels } from './labels.js';
import { isMap, type ResourceSpec, specText, text } from './types.js';

const IDENTITY_FIELDS = ['uid', 'selfLink', 'creationTimestamp', 'managedFields', 'resourceVersion'];

/** The clone of `source` as the target's content, before the target identity is applied. */
export function cloneSourceObject(source: KubeObject, targetNamespace: string): KubeObject {
  const copy = cloneJson(source);
  addCloneSourceLabels(copy, source);
  const meta: Record<string, unknown> = isMap(copy.metadata) ? { ...copy.metadata } : {};
  for (const field of IDENTITY_FIELDS) delete meta[field];
  if (text(source.metadata?.namespace) !== targetNamespace) delete meta.ownerReferences;
  copy.metadata = meta;
  return copy;
}

/** Clones `source` (an identity) into `target`; throws GenerateError when the source is missing. */
export function manageClone(
  target: ResourceSpec,
  source: ResourceSpec,
  cluster: GenerateCluster,
): GenerateAction {
  if (source.namespace === target.namespace && source.name === target.name) {
    return { action: 'skip', target };
  }
  const sourceObj = cluster.get(source);
  if (sourceObj === undefined) throw new GenerateError(`source resource ${specText(source)} not found`);
  const object = cloneSourceObject(sourceObj, target.namespace);
  if (cluster.get(target) !== undefined) return { action: 'update', target };
  return { action: 'create', target, object };
}

/** The source identity `generate.clone` names: the target's kind in `clone.namespace/clone.name`. */
export function cloneSourceSpec(target: ResourceSpec, clone: Record<string, unknown>): ResourceSpec {
  return {
    apiVersion: target.apiVersion,
    kind: target.kind,
    namespace: text(clone.namespace),
    name: text(clone.name),
  };
}
