/**
 * @module One patch step (Kyverno `pkg/engine/mutate/mutation.go` Mutate/ForEach): substitute the
 * variables of `patchStrategicMerge` / `patchesJson6902`, apply the patch to a copy of the resource
 * and report `pass` (changed), `skip` ("no patches applied") or `error` with Kyverno's wording.
 */
import { deepEqualJson } from '../../../conditions/operators/_deep-equal.js';
import type { JsonContext } from '../../../context/json-context.js';
import { isMap } from '../../../model/json-map.js';
import type { KubeObject } from '../../../model/kube-object.js';
import { substituteVariables } from '../../../variables/substitute.js';
import { errorMessage } from '../../../verdict/rule-result.js';
import { applyStrategicMergePatch } from './patch-strategic-merge.js';
import { applyJsonPatch, decodeOperations, JsonPatchError, parseJsonPatch } from './patches-json6902.js';

export type PatchStatus = 'pass' | 'skip' | 'error';

export interface PatchOutcome {
  readonly status: PatchStatus;
  /** The patched resource (`pass`), or the input unchanged. */
  readonly resource: KubeObject;
  readonly message: string;
}

/** The patch-bearing fields of a mutate rule or of one mutate foreach entry. */
export interface PatchSpec {
  readonly patchStrategicMerge?: unknown;
  readonly patchesJson6902?: unknown;
}

export interface PatchOptions {
  readonly operation?: string;
  /** Kyverno-style path of the patch block in error messages, e.g. `/mutate`. */
  readonly basePath?: string;
  /**
   * Set for a rule-level `patchesJson6902` (named rule): Kyverno rejects variables in its paths,
   * while foreach patches commonly use `{{elementIndex}}` there.
   */
  readonly forbidPathVariablesIn?: string;
}

export function patchError(text: string, cause?: unknown): PatchOutcome & { status: 'error' } {
  const message = cause === undefined ? text : `${text}: ${errorMessage(cause)}`;
  return { status: 'error', resource: {}, message };
}

/** `pass` message of a mutate rule (Kyverno buildSuccessMessage). */
export function successMessage(r: KubeObject): string {
  if (Object.keys(r).length === 0) return 'mutated resource';
  const ns = r.metadata?.namespace ?? '';
  const base = `mutated ${r.kind ?? ''}/${r.metadata?.name ?? ''}`;
  return ns === '' ? base : `${base} in namespace ${ns}`;
}

/** Kyverno's policy validation forbids variables in rule-level JSON patch paths (ruleForbiddenSectionsHaveVariables). */
function variableInPath(jsonPatch: unknown): string | undefined {
  let ops: readonly { path: string }[];
  try {
    ops = typeof jsonPatch === 'string' ? parseJsonPatch(jsonPatch) : decodeOperations(jsonPatch);
  } catch {
    // Unparsable before substitution (e.g. an unquoted `{{ }}` value): checked after substitution.
    return undefined;
  }
  return ops.find((op) => op.path.includes('{{'))?.path;
}

function jsonPatchOperations(value: unknown) {
  if (typeof value === 'string') return parseJsonPatch(value);
  if (Array.isArray(value)) return decodeOperations(value);
  throw new JsonPatchError(
    `patchesJson6902 must be a string holding a list of operations, got ${value === null ? 'null' : typeof value}`,
  );
}

/**
 * Applies the strategic-merge patch when there is one, else the JSON patch (Kyverno NewPatcher).
 * Never throws.
 */
export function patchResource(
  spec: PatchSpec,
  ctx: JsonContext,
  resource: KubeObject,
  options: PatchOptions = {},
): PatchOutcome {
  const hasPsm = spec.patchStrategicMerge !== undefined && spec.patchStrategicMerge !== null;
  const hasJson = spec.patchesJson6902 !== undefined && spec.patchesJson6902 !== '';
  if (!hasPsm && !hasJson) return patchError('empty mutate rule');
  if (!hasPsm && options.forbidPathVariablesIn !== undefined) {
    const bad = variableInPath(spec.patchesJson6902);
    if (bad !== undefined) {
      return patchError(
        'invalid patchesJson6902',
        new Error(
          `rule "${options.forbidPathVariablesIn}" should not have variables in patchesJSON6902 path section: ${bad}`,
        ),
      );
    }
  }
  let substituted: unknown;
  try {
    const block = hasPsm
      ? { patchStrategicMerge: spec.patchStrategicMerge }
      : { patchesJson6902: spec.patchesJson6902 };
    substituted = substituteVariables(block, ctx, {
      ...(options.operation !== undefined ? { operation: options.operation } : {}),
      basePath: options.basePath ?? '',
    });
  } catch (err) {
    return patchError('variable substitution failed', err);
  }
  const block = isMap(substituted) ? substituted : {};
  let patched: unknown;
  try {
    if (hasPsm) patched = applyStrategicMergePatch(resource, block.patchStrategicMerge);
    else patched = applyJsonPatch(resource, jsonPatchOperations(block.patchesJson6902));
  } catch (err) {
    return patchError('failed to patch resource', err);
  }
  if (!isMap(patched)) {
    return patchError('failed to patch resource', new Error('the patched document is not an object'));
  }
  if (deepEqualJson(resource, patched)) return { status: 'skip', resource, message: 'no patches applied' };
  return { status: 'pass', resource: patched as KubeObject, message: 'resource patched' };
}
