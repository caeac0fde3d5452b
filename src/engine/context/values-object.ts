/**
 * @module Values that name a field of the request's object (`request.object.metadata.labels.x`):
 * Kyverno's CLI adds the values to the context and then reads `request.object` (and, for an UPDATE,
 * `request.oldObject`) back from it, so such a value changes the object matching and every rule see.
 */

import { isMap } from '../model/json-map.js';
import type { KubeObject } from '../model/kube-object.js';
import { splitVariableKey } from './variable-key.js';

/**
 * `object` with every value under `request.<field>` applied (a value for `request.<field>` itself
 * replaces the object when it is a map); the same object when no value names it.
 */
export function objectWithValues(
  object: KubeObject,
  values: Readonly<Record<string, unknown>>,
  field: 'object' | 'oldObject',
): KubeObject {
  let out: Record<string, unknown> | undefined;
  // Runs per policy and resource: no pair array or prefix string made per call.
  const prefix = field === 'object' ? 'request.object' : 'request.oldObject';
  for (const name of Object.keys(values)) {
    if (!name.startsWith(prefix)) continue;
    const value = values[name];
    const keys = splitVariableKey(name) ?? name.split('.');
    if (keys[0] !== 'request' || keys[1] !== field) continue;
    if (keys.length === 2) {
      if (isMap(value)) out = structuredClone(value);
      continue;
    }
    out ??= structuredClone(object) as Record<string, unknown>;
    let node = out;
    for (const key of keys.slice(2, -1)) {
      const next = node[key];
      if (!isMap(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1] as string] = structuredClone(value);
  }
  return (out as KubeObject | undefined) ?? object;
}
