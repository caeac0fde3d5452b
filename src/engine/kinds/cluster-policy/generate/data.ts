/**
 * @module `generate.data` (Kyverno pkg/background/generate/data.go manageData): the literal object
 * becomes the target when it does not exist yet; an existing target is updated only with
 * `synchronize: true` (and an update is not a new generated resource).
 */
import { cloneJson } from '../../../context/json-context.js';
import type { KubeObject } from '../../../model/kube-object.js';
import type { GenerateAction } from './action.js';
import type { GenerateCluster } from './cluster.js';
import { GenerateError } from './errors.js';
import { isMap, type ResourceSpec } from './types.js';

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  return typeof v === 'string' ? 'string' : typeof v;
}

export function manageData(
  target: ResourceSpec,
  data: unknown,
  synchronize: boolean,
  cluster: GenerateCluster,
): GenerateAction {
  if (data === undefined || data === null) return { action: 'skip', target };
  if (!isMap(data)) throw new GenerateError(`generate.data must be an object, got ${typeName(data)}`);
  if (cluster.get(target) !== undefined) return { action: synchronize ? 'update' : 'skip', target };
  return { action: 'create', target, object: cloneJson(data) as KubeObject };
}
