/**
 * @module Kyverno's `listObjToMap(keys, values, keyField, valueField)` (also `transform.`): pairs the
 * i-th object of `keys` with the i-th object of `values`, mapping `keys[i][keyField]` to
 * `values[i][valueField]`.
 */
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

function field(o: unknown, name: string): unknown {
  if (o instanceof Map) return o.get(name);
  if (typeof o === 'object' && o !== null && Object.hasOwn(o, name))
    return (o as Record<string, unknown>)[name];
  return undefined;
}

function listObjToMap(
  keys: readonly unknown[],
  values: readonly unknown[],
  keyField: string,
  valueField: string,
): Map<string, unknown> {
  if (keys.length !== values.length) throw new CelEvalError('listObjToMap: lists must have the same length');
  const out = new Map<string, unknown>();
  keys.forEach((k, i) => {
    const key = field(k, keyField);
    if (typeof key !== 'string') throw new CelEvalError(`listObjToMap: field '${keyField}' must be a string`);
    const value = field(values[i], valueField);
    if (value !== undefined) out.set(key, value);
  });
  return out;
}

export function listObjToMapLibrary(): CelLibrary {
  return {
    name: 'list-obj-to-map',
    ...namespaceLibraryParts('TransformNamespace', 'transform'),
    functions: [
      { signature: 'listObjToMap(list, list, string, string): map<string, dyn>', impl: listObjToMap },
      {
        signature: 'TransformNamespace.listObjToMap(list, list, string, string): map<string, dyn>',
        impl: (_: unknown, a: unknown[], b: unknown[], k: string, v: string) => listObjToMap(a, b, k, v),
      },
    ],
  };
}
