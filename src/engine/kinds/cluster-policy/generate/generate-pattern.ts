/**
 * @module One generate pattern (the rule's own, or one foreach element's), as Kyverno's
 * generator.generate() runs it: substitute variables in the pattern, check a namespaced Policy's
 * scope, pick clone / cloneList / data, and turn each creation into the object that would be
 * written: target identity applied, Kyverno's labels added.
 */
import type { JsonContext } from '../../../context/json-context.js';
import type { JsonObject, KubeObject } from '../../../model/kube-object.js';
import { substituteReferences, substituteVariables } from '../../../variables/substitute.js';
import type { GenerateAction } from './action.js';
import { cloneSourceSpec, manageClone } from './clone.js';
import { manageCloneList } from './clone-list.js';
import type { GenerateCluster } from './cluster.js';
import { manageData } from './data.js';
import { GenerateError } from './errors.js';
import { addGeneratedLabels } from './labels.js';
import { type GenerateOwner, isMap, type ResourceSpec, targetOf, text } from './types.js';

export interface PatternEnv {
  readonly ctx: JsonContext;
  readonly operation: string;
  readonly owner: GenerateOwner;
  readonly synchronize: boolean;
  readonly cluster: GenerateCluster;
  /** Set for a namespaced Policy: targets and clone sources must stay in it. */
  readonly policyNamespace?: string;
}

function substitutePattern(pattern: JsonObject, env: PatternEnv): JsonObject {
  const withRefs = substituteReferences(pattern, env.ctx.meter);
  const out = substituteVariables(withRefs, env.ctx, { operation: env.operation, basePath: '/generate' });
  if (!isMap(out)) throw new GenerateError('generate pattern must be an object after substitution');
  return out;
}

/** Kyverno validateTargetScope / validateCloneSources for namespaced policies. */
function checkScope(pattern: JsonObject, target: ResourceSpec, policyNamespace: string | undefined): void {
  if (policyNamespace === undefined) return;
  if (target.namespace !== policyNamespace) {
    throw new GenerateError(
      `generate.namespace "${target.namespace}" must equal policy namespace "${policyNamespace}"`,
    );
  }
  const clone = isMap(pattern.clone) ? pattern.clone : {};
  const cloneList = isMap(pattern.cloneList) ? pattern.cloneList : {};
  let path: string | undefined;
  let sourceNamespace = '';
  if (text(clone.name) !== '') {
    path = 'generate.clone';
    sourceNamespace = text(clone.namespace);
  } else if (Array.isArray(cloneList.kinds) && cloneList.kinds.length > 0) {
    path = 'generate.cloneList';
    sourceNamespace = text(cloneList.namespace);
  }
  if (path !== undefined && sourceNamespace !== policyNamespace) {
    throw new GenerateError(
      `${path}.namespace "${sourceNamespace}" must equal policy namespace "${policyNamespace}"`,
    );
  }
}

function decide(pattern: JsonObject, target: ResourceSpec, env: PatternEnv): GenerateAction[] {
  const clone = isMap(pattern.clone) ? pattern.clone : undefined;
  if (clone !== undefined && text(clone.name) !== '') {
    return [manageClone(target, cloneSourceSpec(target, clone), env.cluster)];
  }
  const cloneList = isMap(pattern.cloneList) ? pattern.cloneList : undefined;
  if (cloneList !== undefined && Array.isArray(cloneList.kinds) && cloneList.kinds.length > 0) {
    return manageCloneList(target.namespace, cloneList, env.cluster);
  }
  return [manageData(target, pattern.data, env.synchronize, env.cluster)];
}

/** The created object: content, then target identity and labels as Kyverno's generator sets them. */
function materialize(content: KubeObject, target: ResourceSpec, owner: GenerateOwner): KubeObject {
  const meta: Record<string, unknown> = isMap(content.metadata) ? { ...content.metadata } : {};
  if (target.name !== '') meta.name = target.name;
  else delete meta.name;
  if (target.namespace !== '') meta.namespace = target.namespace;
  else delete meta.namespace;
  delete meta.resourceVersion;
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = content;
  const kind = text(content.kind) !== '' ? content.kind : target.kind;
  const apiVersion = target.apiVersion !== '' ? target.apiVersion : content.apiVersion;
  const obj: KubeObject = {
    ...(apiVersion !== undefined ? { apiVersion: text(apiVersion) } : {}),
    ...(kind !== undefined && text(kind) !== '' ? { kind: text(kind) } : {}),
    metadata: meta,
    ...rest,
  };
  addGeneratedLabels(obj, owner);
  return obj;
}

/**
 * Runs one pattern and returns the objects it creates. Throws GenerateError or
 * VariableSubstitutionError when generation cannot finish.
 */
export function generatePattern(rawPattern: JsonObject, env: PatternEnv): KubeObject[] {
  const pattern = substitutePattern(rawPattern, env);
  const target = targetOf(pattern);
  checkScope(pattern, target, env.policyNamespace);
  const created: KubeObject[] = [];
  for (const action of decide(pattern, target, env)) {
    if (action.action !== 'create') continue;
    const obj = materialize(action.object, action.target, env.owner);
    env.cluster.add(obj);
    created.push(obj);
  }
  return created;
}
