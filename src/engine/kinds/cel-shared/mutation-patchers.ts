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
import type { KubeObject } from '../../model/kube-object.js';
import type { PatchType } from '../mutating-policy/types.js';
import { applyConfiguration, type MergeSchema } from './apply-configuration.js';

/** A mutation expression returned something that cannot be applied. */
export class MutationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MutationError';
  }
}

const JSON_PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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

/** Applies JSON patch operations with RFC 6902 semantics; errors name the failing operation. */
export function applyStrictJsonPatch(object: KubeObject, operations: readonly Operation[]): KubeObject {
  if (operations.length === 0) return object;
  let doc: unknown = structuredClone(object);
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
 * convertField): CEL `null` becomes protobuf's NullValue enum, i.e. 0 in the patch, which a typed
 * conversion then rejects where a string is declared. Fields of nested `Object` values, also inside
 * lists, are walked.
 */
function nullFieldsAsZero(raw: unknown, plain: unknown): void {
  if (Array.isArray(raw)) {
    if (Array.isArray(plain)) for (const [i, x] of raw.entries()) nullFieldsAsZero(x, plain[i]);
    return;
  }
  if (constructedTypeName(raw) === undefined || !isMap(plain)) return;
  const entries = raw instanceof Map ? [...raw] : Object.entries(raw as Record<string, unknown>);
  for (const [k, x] of entries) {
    const key = String(k);
    if (!Object.hasOwn(plain, key)) continue;
    if (x === null) plain[key] = 0;
    else nullFieldsAsZero(x, plain[key]);
  }
}

/** Applies the raw CEL value of one mutation expression to `object`. Throws `MutationError`. */
export function applyMutationResult(
  patchType: PatchType,
  object: KubeObject,
  raw: unknown,
  mergeSchema: MergeSchema = 'builtin',
): KubeObject {
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
  if (typeof mergeSchema === 'object') nullFieldsAsZero(raw, patch);
  return applyConfiguration(object, patch, mergeSchema);
}
