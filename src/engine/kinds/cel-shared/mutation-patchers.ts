/**
 * @module Turning the value of a mutation expression into a patched object, as Kubernetes'
 * mutating admission patchers do (k8s.io/apiserver/pkg/admission/plugin/policy/mutating/patch):
 * `JSONPatch` expressions yield a list of `JSONPatch{op, path, value, from}` applied with RFC 6902
 * semantics (no path creation); `ApplyConfiguration` expressions yield an `Object{...}` merged with
 * structured-merge-diff (apply-configuration.ts). Shared by MutatingPolicy and
 * MutatingAdmissionPolicy.
 */
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { constructedTypeName } from '../../cel/object-construction.js';
import { fromCel } from '../../cel/values.js';
import { isMap } from '../../model/json-map.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { PatchType } from '../mutating-policy/types.js';
import { applyConfiguration, type MergeSchema } from './apply-configuration.js';
import { hasNilList, isNilList, jsonRoundTrip, nilList } from './nil-lists.js';
import { CEL_NULL_VALUE } from './typed/typed-value.js';

/** A mutation expression returned something that cannot be applied. */
export class MutationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MutationError';
  }
}

const JSON_PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function celTypeOf(v: unknown): string {
  const typed = constructedTypeName(v);
  if (typed !== undefined) return typed;
  if (v === null || v === undefined) return 'null_type';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

/**
 * Kubernetes' CheckTypeNamesMatchFieldPathNames: an `Object.a.b{}` value must sit at field path
 * `a.b` of the root `Object{}` (list elements take the list field's name).
 */
function checkTypeNames(v: unknown, expected: string): void {
  if (Array.isArray(v)) {
    for (const x of v) checkTypeNames(x, expected);
    return;
  }
  if (!isMap(v) && !(v instanceof Map)) return;
  const actual = constructedTypeName(v);
  if (actual === undefined) return;
  if (actual !== expected) {
    throw new MutationError(`type mismatch: expected object of type ${expected}, got ${actual}`);
  }
  const entries = v instanceof Map ? [...v].map(([k, x]) => [String(k), x] as const) : Object.entries(v);
  for (const [k, x] of entries) checkTypeNames(x, `${expected}.${k}`);
}

function toOperations(raw: unknown): Operation[] {
  if (!Array.isArray(raw)) {
    throw new MutationError(`unsupported patch type: expected list of JSONPatch, got ${celTypeOf(raw)}`);
  }
  return raw.map((item, i) => {
    const name = constructedTypeName(item);
    if (name !== undefined && name !== 'JSONPatch') {
      throw new MutationError(`unsupported patch type: element ${i} is ${name}, expected JSONPatch`);
    }
    const op = fromCel(item);
    if (!isMap(op)) throw new MutationError(`invalid JSONPatch at index ${i}: not an object`);
    if (typeof op.op !== 'string' || !JSON_PATCH_OPS.has(op.op)) {
      throw new MutationError(
        `invalid JSONPatch at index ${i}: unsupported op ${JSON.stringify(op.op ?? '')}`,
      );
    }
    if (typeof op.path !== 'string') throw new MutationError(`invalid JSONPatch at index ${i}: missing path`);
    return op as unknown as Operation;
  });
}

/**
 * Applies JSON patch operations with RFC 6902 semantics; errors name the failing operation. The
 * object goes through JSON as in Kubernetes' JSONPatch patcher (even with no operation), so its nil
 * lists come out as `null`.
 */
export function applyStrictJsonPatch(object: KubeObject, operations: readonly Operation[]): KubeObject {
  if (operations.length === 0 && !hasNilList(object)) return object;
  let doc: unknown = jsonRoundTrip(object);
  for (const [i, op] of operations.entries()) {
    try {
      doc = fastJsonPatch.applyOperation(doc, structuredClone(op), true, true, false, i).newDocument;
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new MutationError(
        `JSON Patch: ${op.op} operation does not apply: doc is missing path: ${op.path} (${why})`,
      );
    }
  }
  if (!isMap(doc)) throw new MutationError('JSON Patch: the patched object is not an object');
  return doc as KubeObject;
}

/**
 * Kubernetes converts each `Object{}` field with `Value()` (apiserver cel/mutation/dynamic
 * convertField): CEL `null` becomes protobuf's NullValue enum (`CEL_NULL_VALUE` in the patch), which
 * a typed conversion then rejects. Fields of nested `Object` values, also inside lists, are walked.
 */
function nullFieldsAsNullValue(raw: unknown, plain: unknown): void {
  if (Array.isArray(raw)) {
    if (Array.isArray(plain)) for (const [i, x] of raw.entries()) nullFieldsAsNullValue(x, plain[i]);
    return;
  }
  if (constructedTypeName(raw) === undefined || !isMap(plain)) return;
  const entries = raw instanceof Map ? [...raw] : Object.entries(raw as Record<string, unknown>);
  for (const [k, x] of entries) {
    const key = String(k);
    if (!Object.hasOwn(plain, key)) continue;
    if (x === null) plain[key] = CEL_NULL_VALUE;
    else nullFieldsAsNullValue(x, plain[key]);
  }
}

/**
 * The CEL values a mutation expression reads (its activation's `object`, `oldObject`, …), with the
 * plain object `object`'s CEL value was converted from: an empty list copied from them verbatim is
 * not one CEL built.
 */
export interface MutationInputs {
  readonly object: KubeObject;
  readonly celObject: unknown;
  readonly others: readonly unknown[];
}

export interface MutationOptions {
  /** What the expression read; without it every empty list of the patch counts as CEL-built. */
  readonly inputs?: MutationInputs;
  /** A MutatingPolicy's `evaluation.useServerSideApply`: a typed patch may set atomic values. */
  readonly serverSideApply?: boolean;
}

/**
 * The empty arrays of the inputs' CEL values, each with whether it stands for a nil list (only a
 * nil list of the plain object does).
 */
function inputEmptyLists(inputs: MutationInputs): Map<unknown, boolean> {
  const out = new Map<unknown, boolean>();
  const walk = (cel: unknown, plain: unknown): void => {
    if (Array.isArray(cel)) {
      if (cel.length === 0) {
        if (!out.has(cel)) out.set(cel, isNilList(plain));
        return;
      }
      for (const [i, x] of cel.entries()) walk(x, Array.isArray(plain) ? plain[i] : undefined);
      return;
    }
    if (typeof cel !== 'object' || cel === null) return;
    const entries = cel instanceof Map ? [...cel] : Object.entries(cel);
    for (const [k, x] of entries) walk(x, isMap(plain) ? plain[String(k)] : undefined);
  };
  walk(inputs.celObject, inputs.object);
  for (const v of inputs.others) walk(v, undefined);
  return out;
}

/**
 * Kubernetes' convertField builds each list field of an `Object{}` (also of the `Object` elements
 * of a list it built) by appending to a nil slice: an empty list CEL built is a nil list, one read
 * from the inputs stays as it was (nil-lists.ts).
 */
function markNilLists(raw: unknown, plain: unknown, inputs: () => Map<unknown, boolean>): void {
  if (constructedTypeName(raw) === undefined || !isMap(plain)) return;
  const entries = raw instanceof Map ? [...raw] : Object.entries(raw as Record<string, unknown>);
  for (const [k, x] of entries) {
    const key = String(k);
    if (!Object.hasOwn(plain, key)) continue;
    const p = plain[key];
    if (!Array.isArray(x)) {
      markNilLists(x, p, inputs);
      continue;
    }
    if (!Array.isArray(p)) continue;
    if (x.length === 0) {
      if (inputs().get(x) !== false) plain[key] = nilList();
      continue;
    }
    for (const [i, item] of x.entries()) markNilLists(item, p[i], inputs);
  }
}

/** Applies the raw CEL value of one mutation expression to `object`. Throws `MutationError`. */
export function applyMutationResult(
  patchType: PatchType,
  object: KubeObject,
  raw: unknown,
  mergeSchema: MergeSchema = 'builtin',
  options: MutationOptions = {},
): KubeObject {
  const { inputs } = options;
  if (patchType === 'JSONPatch') return applyStrictJsonPatch(object, toOperations(raw));
  if (!isMap(raw) && !(raw instanceof Map)) {
    throw new MutationError(`unsupported patch type: expected Object, got ${celTypeOf(raw)}`);
  }
  const name = constructedTypeName(raw);
  if (name !== undefined) {
    if (name !== 'Object') throw new MutationError(`unsupported patch type: expected Object, got ${name}`);
    checkTypeNames(raw, 'Object');
  }
  const patch = fromCel(raw);
  if (!isMap(patch)) throw new MutationError('unsupported patch type: expected Object');
  if (typeof mergeSchema === 'object') nullFieldsAsNullValue(raw, patch);
  let empties: Map<unknown, boolean> | undefined;
  markNilLists(raw, patch, () => {
    empties ??= inputs === undefined ? new Map() : inputEmptyLists(inputs);
    return empties;
  });
  return applyConfiguration(object, patch, mergeSchema, options.serverSideApply === true);
}
