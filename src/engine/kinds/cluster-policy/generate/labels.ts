/**
 * @module The labels Kyverno stamps on generated objects and clone sources (Kyverno
 * pkg/background/common/{labels,constants}.go ManageLabels/PolicyInfo/TriggerInfo and
 * pkg/background/generate/source.go addSourceLabels/TagSource).
 */
import type { KubeObject } from '../../../model/kube-object.js';
import { type GenerateOwner, isMap, text } from './types.js';

export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const VALUE_KYVERNO = 'kyverno';
export const LABEL_POLICY_NAME = 'generate.kyverno.io/policy-name';
export const LABEL_POLICY_NAMESPACE = 'generate.kyverno.io/policy-namespace';
export const LABEL_RULE_NAME = 'generate.kyverno.io/rule-name';
export const LABEL_TRIGGER_VERSION = 'generate.kyverno.io/trigger-version';
export const LABEL_TRIGGER_GROUP = 'generate.kyverno.io/trigger-group';
export const LABEL_TRIGGER_KIND = 'generate.kyverno.io/trigger-kind';
export const LABEL_TRIGGER_NAMESPACE = 'generate.kyverno.io/trigger-namespace';
export const LABEL_TRIGGER_UID = 'generate.kyverno.io/trigger-uid';
export const LABEL_TRIGGER_NAME = 'generate.kyverno.io/trigger-name';
export const LABEL_SOURCE_GROUP = 'generate.kyverno.io/source-group';
export const LABEL_SOURCE_VERSION = 'generate.kyverno.io/source-version';
export const LABEL_SOURCE_KIND = 'generate.kyverno.io/source-kind';
export const LABEL_SOURCE_NAMESPACE = 'generate.kyverno.io/source-namespace';
export const LABEL_SOURCE_NAME = 'generate.kyverno.io/source-name';
export const LABEL_SOURCE_UID = 'generate.kyverno.io/source-uid';
export const LABEL_CLONE_SOURCE = 'generate.kyverno.io/clone-source';

/** Splits `group/version` (or a core `version`) like schema.ParseGroupVersion. */
export function groupVersion(apiVersion: string): { group: string; version: string } {
  const at = apiVersion.indexOf('/');
  if (at < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, at), version: apiVersion.slice(at + 1) };
}

/** The object's labels as strings (YAML may have decoded `v: 1` as a number). */
export function labelsOf(obj: KubeObject): Record<string, string> {
  const raw = obj.metadata?.labels;
  const out: Record<string, string> = {};
  if (!isMap(raw)) return out;
  for (const [k, v] of Object.entries(raw)) out[k] = text(v);
  return out;
}

function setLabels(obj: KubeObject, labels: Record<string, string>): void {
  obj.metadata = { ...(isMap(obj.metadata) ? obj.metadata : {}), labels };
}

/** ManageLabels: managed-by, policy and trigger identity, overriding what the object had. */
export function addGeneratedLabels(obj: KubeObject, owner: GenerateOwner): void {
  const labels = labelsOf(obj);
  const trigger = owner.trigger;
  const gv = groupVersion(text(trigger.apiVersion));
  labels[LABEL_MANAGED_BY] = VALUE_KYVERNO;
  labels[LABEL_POLICY_NAME] = owner.policyName;
  labels[LABEL_POLICY_NAMESPACE] = owner.policyNamespace;
  labels[LABEL_RULE_NAME] = owner.ruleName;
  labels[LABEL_TRIGGER_VERSION] = gv.version;
  labels[LABEL_TRIGGER_GROUP] = gv.group;
  labels[LABEL_TRIGGER_KIND] = text(trigger.kind);
  labels[LABEL_TRIGGER_NAMESPACE] = text(trigger.metadata?.namespace);
  labels[LABEL_TRIGGER_UID] = text(trigger.metadata?.uid);
  setLabels(obj, labels);
}

/**
 * The labels a clone carries from its source: Kyverno tags the source object itself with
 * `clone-source` before copying it, then adds the source identity to the copy: group, version,
 * kind, namespace and uid (a source read from the cluster has one; the generate controller deletes
 * a synchronized clone whose source is gone). The name is kept too (older Kyverno wrote it, and its
 * webhook still looks clones up by it).
 */
export function addCloneSourceLabels(copy: KubeObject, source: KubeObject): void {
  const labels = labelsOf(copy);
  const gv = groupVersion(text(source.apiVersion));
  labels[LABEL_CLONE_SOURCE] = '';
  labels[LABEL_SOURCE_GROUP] = gv.group;
  labels[LABEL_SOURCE_VERSION] = gv.version;
  labels[LABEL_SOURCE_KIND] = text(source.kind);
  labels[LABEL_SOURCE_NAMESPACE] = text(source.metadata?.namespace);
  labels[LABEL_SOURCE_NAME] = text(source.metadata?.name);
  const uid = text(source.metadata?.uid);
  if (uid !== '') labels[LABEL_SOURCE_UID] = uid;
  setLabels(copy, labels);
}
