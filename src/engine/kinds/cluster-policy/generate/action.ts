/**
 * @module What the generator decides for one target (Kyverno pkg/background/generate/response.go):
 * create it, leave it (skip), or update an existing one. Only creations are reported as generated
 * resources, as Kyverno's generator returns only the targets it created.
 */
import type { KubeObject } from '../../../model/kube-object.js';
import type { ResourceSpec } from './types.js';

export type GenerateAction =
  | { readonly action: 'create'; readonly target: ResourceSpec; readonly object: KubeObject }
  | { readonly action: 'skip' | 'update'; readonly target: ResourceSpec };
