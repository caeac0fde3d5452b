/**
 * @module `generate.cloneList` (Kyverno clone.go manageCloneList): clones every object of the
 * listed kinds in `cloneList.namespace` that matches `cloneList.selector` into the target
 * namespace under its own name; objects already in the target namespace are skipped.
 */
import { labelSelectorMatches } from '../../../match/label-selector.js';
import type { LabelSelector } from '../../../model/kube-object.js';
import type { GenerateAction } from './action.js';
import { manageClone } from './clone.js';
import type { GenerateCluster } from './cluster.js';
import { labelsOf } from './labels.js';
import { isMap, type ResourceSpec, text } from './types.js';

/** Kyverno's GetKindFromGVK: `Kind`, `version/Kind` or `group/version/Kind`. */
export function splitKind(entry: string): { apiVersion: string; kind: string } {
  const parts = entry.split('/');
  if (parts.length === 1) return { apiVersion: '', kind: parts[0] ?? '' };
  if (parts.length === 2) return { apiVersion: parts[0] ?? '', kind: parts[1] ?? '' };
  return { apiVersion: `${parts[0]}/${parts[1]}`, kind: parts.slice(2).join('/') };
}

export function manageCloneList(
  targetNamespace: string,
  cloneList: Record<string, unknown>,
  cluster: GenerateCluster,
): GenerateAction[] {
  const sourceNamespace = text(cloneList.namespace);
  const selector = isMap(cloneList.selector) ? (cloneList.selector as LabelSelector) : undefined;
  const kinds = Array.isArray(cloneList.kinds) ? cloneList.kinds.map(text) : [];
  const actions: GenerateAction[] = [];
  for (const entry of kinds) {
    const { apiVersion, kind } = splitKind(entry);
    for (const source of cluster.list(apiVersion, kind, sourceNamespace)) {
      if (selector !== undefined && !labelSelectorMatches(selector, labelsOf(source))) continue;
      const sourceSpec: ResourceSpec = {
        apiVersion: text(source.apiVersion),
        kind: text(source.kind),
        namespace: text(source.metadata?.namespace),
        name: text(source.metadata?.name),
      };
      const target: ResourceSpec = { ...sourceSpec, namespace: targetNamespace };
      if (sourceSpec.namespace === targetNamespace) {
        actions.push({ action: 'skip', target });
        continue;
      }
      actions.push(manageClone(target, sourceSpec, cluster));
    }
  }
  return actions;
}
