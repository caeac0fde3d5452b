/**
 * @module `mutate.patchStrategicMerge` (Kyverno `pkg/engine/mutate/patch/strategicMergePatch.go`):
 * anchors are resolved first (strategic-preprocessing.ts), then the overlay is merged the way
 * kustomize kyaml's `merge2.Merge` does with `ListIncreaseDirection: Prepend`
 * (`kyaml/yaml/walk`, `merge2`, `smpdirective.go`):
 * - maps merge key by key (new keys appended in sorted order); `null` in the patch deletes;
 * - `$patch: delete` removes a map (or list element), `$patch: replace` takes the patch map as is,
 *   `$patch: merge` is the default; `$retainKeys` / `$setElementOrder/...` are not directives for
 *   kyaml and are copied like ordinary keys;
 * - lists whose schema says `merge` (merge-keys.ts) merge element-wise by key: the patch's elements
 *   come first, in patch order, followed by the resource's other elements; other lists are replaced;
 * - walking the resource drops the `null`/`{}` elements of merge lists; its `null` fields the
 *   patch does not name are kept.
 * kyaml's list algorithm is followed step by step so that its corner cases come out the same.
 */
import type { KubeObject } from '../../../model/kube-object.js';
import { type SchemaNode, schemaForType } from './merge-keys.js';
import {
  cloneJson,
  isMap,
  preprocessAnchors,
  StrategicMergeError,
  scalarText,
  typeName,
} from './strategic-preprocessing.js';

export { StrategicMergeError } from './strategic-preprocessing.js';

type JsonMap = Record<string, unknown>;

/**
 * Applies a `patchStrategicMerge` overlay (variables already substituted) to a resource.
 * Pure: the inputs are never mutated; the result shares no structure with them.
 * @throws StrategicMergeError with the reason when the patch cannot be applied.
 */
export function applyStrategicMergePatch(resource: KubeObject, patch: unknown): KubeObject {
  if (!isMap(resource))
    throw new StrategicMergeError(`the resource must be a map, got ${typeName(resource)}`);
  return mergeOverlay(resource, preprocessAnchors(resource, patch));
}

/** The merge step alone (no anchor handling), for a patch that has no anchors. */
export function mergeStrategicPatch(resource: KubeObject, patch: unknown): KubeObject {
  if (!isMap(resource))
    throw new StrategicMergeError(`the resource must be a map, got ${typeName(resource)}`);
  return mergeOverlay(resource, cloneJson(patch));
}

/** `overlay` is owned by the merge and gets consumed. */
function mergeOverlay(resource: KubeObject, overlay: unknown): KubeObject {
  if (!isMap(overlay) && overlay !== null)
    throw new StrategicMergeError(`patchStrategicMerge must be a map, got ${typeName(overlay)}`);
  const merged = walk(cloneJson(resource), overlay, undefined, [], 0);
  // Kustomize's filter may neither create nor delete the object.
  if (!isMap(merged)) throw new StrategicMergeError('the patch deletes the whole resource');
  return merged as KubeObject;
}

const MAX_DEPTH = 1000;

type Kind = 'map' | 'list' | 'scalar';

function kindOf(value: unknown): Kind | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return 'list';
  return isMap(value) ? 'map' : 'scalar';
}

/**
 * Merges `origin` (the patch, undefined when absent) into `dest` (the resource value, undefined
 * when absent). Returns the merged value; `undefined` or `null` means "remove the field".
 * `dest` is updated in place where kyaml does so.
 */
function walk(
  dest: unknown,
  origin: unknown,
  parentSchema: SchemaNode | undefined,
  path: readonly string[],
  depth: number,
): unknown {
  if (depth > MAX_DEPTH)
    throw new StrategicMergeError(`patch nesting exceeds ${MAX_DEPTH} levels at ${formatPath(path)}`);
  const schema = parentSchema ?? schemaOf(dest) ?? schemaOf(origin);
  const kind = kindOf(dest) ?? kindOf(origin);
  if (kind === undefined) return undefined;
  for (const [side, value] of [
    ['resource', dest],
    ['patch', origin],
  ] as const) {
    const k = kindOf(value);
    if (k !== undefined && k !== kind)
      throw new StrategicMergeError(
        `wrong node kind at ${formatPath(path)}: expected ${kindName(kind)} but the ${side} has ${typeName(value)}`,
      );
  }
  if (kind === 'map') return walkMap(dest, origin, schema, path, depth);
  if (kind === 'list') return walkList(dest, origin, schema, path, depth);
  return origin !== undefined ? origin : dest;
}

function walkMap(
  dest: unknown,
  origin: unknown,
  schema: SchemaNode | undefined,
  path: readonly string[],
  depth: number,
): unknown {
  let target: unknown;
  if (dest === undefined || dest === null) {
    // Adding: an unknown `$patch` value is ignored (and kept) here, as in kyaml.
    if (isMap(origin) && directive(origin, false) === 'delete') return undefined;
    target = origin;
  } else {
    if (origin === null) return undefined;
    const d = isMap(origin) ? directive(origin, true) : 'merge';
    if (d === 'delete') return undefined;
    target = d === 'replace' ? origin : dest;
  }
  if (!isMap(target)) return undefined;
  const patch = isMap(origin) ? origin : undefined;
  const names = new Set([...Object.keys(target), ...(patch === undefined ? [] : Object.keys(patch))]);
  for (const name of [...names].sort(compareStrings)) {
    // A null field of the resource that the patch does not name is kept as it is (the reference
    // CLI's output keeps `spec: null`, `env: null`, …); only the patch's own `null` deletes.
    if (target[name] === null && (patch === undefined || !Object.hasOwn(patch, name))) continue;
    const value = walk(
      own(target, name),
      patch === undefined ? undefined : own(patch, name),
      schema?.field(name),
      [...path, name],
      depth + 1,
    );
    if (value === undefined || value === null) delete target[name];
    else target[name] = value;
  }
  return target;
}

type Directive = 'merge' | 'replace' | 'delete';

/** Reads and removes a `$patch` directive (kyaml `determineMappingNodePatchStrategy`). */
function directive(patch: JsonMap, strict: boolean): Directive {
  if (!Object.hasOwn(patch, '$patch')) return 'merge';
  const value = scalarText(patch.$patch);
  if (value === 'delete' || value === 'replace' || value === 'merge') {
    delete patch.$patch;
    return value;
  }
  if (strict) throw new StrategicMergeError(`unknown patch strategy '${value}'`);
  return 'merge';
}

function walkList(
  dest: unknown,
  origin: unknown,
  schema: SchemaNode | undefined,
  path: readonly string[],
  depth: number,
): unknown {
  const merge = schema?.listMerge;
  if (merge === undefined) return origin !== undefined ? origin : dest;
  let target: unknown;
  if (dest === undefined || dest === null) target = origin;
  else if (origin === null) return undefined;
  else target = dest;
  if (!Array.isArray(target)) return undefined;
  const patch = Array.isArray(origin) ? origin : undefined;
  const ctx: ListContext = { schema: schema?.elements(), path, depth };
  const values = merge.keys.length > 0 ? elementValues([patch, target], merge.keys) : [];
  if (values.length > 0 || merge.keys.length > 0)
    return mergeKeyedList(values, merge.keys, target, patch, ctx);
  return mergePrimitiveList(target, patch, ctx);
}

interface ListContext {
  readonly schema: SchemaNode | undefined;
  readonly path: readonly string[];
  readonly depth: number;
}

/**
 * kyaml v0.21.1 `setAssociativeSequenceElements` (prepend direction), the version Kyverno pins: with
 * several merge keys (container `ports`: containerPort and protocol) key values that agree where both
 * are set are merged first, so an element missing a key joins the one that has it.
 */
function mergeKeyedList(
  found: readonly (readonly string[])[],
  keys: readonly string[],
  dest: unknown[],
  origin: unknown[] | undefined,
  ctx: ListContext,
): unknown[] {
  const valuesList = keys.length > 1 ? mergeValues(found) : found;
  let destList = dest;
  let items: unknown[] = [];
  // kyaml appends the resource's remaining elements by the valid keys of the last value it walked.
  let lastKeys: readonly string[] = keys;
  for (const values of valuesList) {
    const [validKeys, validValues] = validateKeys(valuesList, values, keys);
    lastKeys = validKeys;
    // kyaml `elementValueList` looks the elements up by the keys this element has values for.
    const [lookupKeys, lookupValues] = validateKeys([validValues], validValues, validKeys);
    const merged = walk(
      findElement(destList, lookupKeys, lookupValues),
      // A list only the patch has is kyaml's destination too: what is deleted from it is gone from both.
      origin === undefined
        ? undefined
        : findElement(origin === dest ? destList : origin, lookupKeys, lookupValues),
      ctx.schema,
      [...ctx.path, `[${validKeys.map((k, i) => `${k}=${validValues[i]}`).join(',')}]`],
      ctx.depth + 1,
    );
    if (merged === undefined || merged === null || isEmptyMap(merged)) {
      destList = setElement(destList, undefined, validKeys, validValues);
      continue;
    }
    if (isMap(merged)) {
      validKeys.forEach((key, i) => {
        const value = validValues[i] ?? '';
        if (!Object.hasOwn(merged, key) && value !== '') merged[key] = value;
      });
    }
    items = setElement(items, merged, validKeys, validValues);
  }
  return valuesList.length === 0 ? destList : appendElements(items, destList, lastKeys);
}

/**
 * kyaml `mergeValues`: every pair of key-value lists that agree on a value and do not conflict
 * (both set and different) on another become their union, in place, in kyaml's loop order.
 */
function mergeValues(found: readonly (readonly string[])[]): (readonly string[])[] {
  const list = [...found];
  for (let i = 0; i < list.length; i++) {
    const first = list[i]!;
    for (let j = 0; j < list.length; j++) {
      const union = unionIfAgreeing(first, list[j]!);
      if (union === undefined) continue;
      list[i] = union;
      list[j] = union;
    }
  }
  return list;
}

/** kyaml `match`: the union of two key-value lists with an equal value (`""` too) and no conflict. */
function unionIfAgreeing(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const union: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) {
      common = true;
      union.push(x);
    } else if (x !== '' && y !== '') return undefined;
    else union.push(x !== '' ? x : y);
  }
  return common ? union : undefined;
}

/** kyaml `setPrimitiveSequenceElements`: a list of scalars merged as an ordered set. */
function mergePrimitiveList(dest: unknown[], origin: unknown[] | undefined, ctx: ListContext): unknown[] {
  const seen = new Set<string>();
  const values: string[] = [];
  for (const source of [origin, dest]) {
    for (const item of source ?? []) {
      const v = nodeValue(item);
      if (seen.has(v)) continue;
      seen.add(v);
      values.push(v);
    }
  }
  let destList = dest;
  let items: unknown[] = [];
  for (const value of values) {
    const merged = walk(
      destList.find((e) => nodeValue(e) === value),
      origin?.find((e) => nodeValue(e) === value),
      ctx.schema,
      [...ctx.path, `[=${value}]`],
      ctx.depth + 1,
    );
    if (merged === undefined || merged === null || isEmptyMap(merged)) {
      destList = setElement(destList, undefined, [''], [value]);
      continue;
    }
    items = setElement(items, merged, [''], [value]);
  }
  return appendElements(items, destList, ['']);
}

/** The merge-key values of every element, patch first (kyaml `elementValues`, prepend order). */
function elementValues(sources: readonly (unknown[] | undefined)[], keys: readonly string[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const source of sources) {
    for (const element of source ?? []) {
      const value = keys.map((key) => {
        const field = isMap(element) ? own(element, key) : undefined;
        return isNilOrEmpty(field) ? '' : nodeValue(field);
      });
      const id = JSON.stringify(value);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(value);
    }
  }
  return out;
}

/**
 * kyaml v0.21.1 `validateKeys`: the keys some element of the list has a value for (all keys when
 * none has), with this element's values for them (`""` where it has none).
 */
function validateKeys(
  valuesList: readonly (readonly string[])[],
  values: readonly string[],
  keys: readonly string[],
): [readonly string[], readonly string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) {
    vs.forEach((v, i) => {
      if (v !== '' && keys[i] !== undefined) valid.add(keys[i]);
    });
  }
  if (valid.size === 0) return [keys, values];
  const validKeys = keys.filter((k) => valid.has(k));
  const validValues = values.filter((v, i) => v !== '' || valid.has(keys[i] ?? ''));
  return [validKeys, validValues];
}

/** The first map element whose fields equal all the values (kyaml `ElementList`). */
function findElement(list: readonly unknown[], keys: readonly string[], values: readonly string[]): unknown {
  return list.find(
    (e) => isMap(e) && keys.every((k, i) => Object.hasOwn(e, k) && nodeValue(e[k]) === values[i]),
  );
}

/**
 * kyaml `ElementSetter`: replaces the element matching the key values with `element` (appends it
 * when none matches) or, for `element === undefined`, removes the matches. Like kyaml it also
 * drops `null` and `{}` elements, and with no values it keeps only the new element.
 */
function setElement(
  list: readonly unknown[],
  element: unknown,
  keysIn: readonly string[],
  values: readonly string[],
): unknown[] {
  const keys = keysIn.length > 0 ? keysIn : [''];
  const mappingSetter = keys[0] !== '' && values.length > 0 && values[0] !== '';
  const out: unknown[] = [];
  let found = false;
  for (const item of list) {
    if (item === undefined || item === null || isEmptyMap(item)) continue;
    if (!isMap(item) && mappingSetter) {
      out.push(item);
      continue;
    }
    let matched = false;
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j] ?? '';
      const value = values[j];
      if (value !== undefined) matched = fieldMatches(item, key, value);
      if (!matched) break;
    }
    if (!matched) {
      if (values.length > 0) out.push(item);
      continue;
    }
    found = true;
    if (element !== undefined && element !== null) out.push(element);
  }
  if (element === undefined || element === null) return out;
  if (!found) out.push(element);
  return out;
}

/** kyaml `FieldMatcher` with a string value: `""` matches any value of a present field. */
function fieldMatches(item: unknown, key: string, value: string): boolean {
  if (key === '') {
    if (isMap(item) || Array.isArray(item))
      throw new StrategicMergeError('a list of scalars holds a map or list element');
    return nodeValue(item) === value;
  }
  if (!isMap(item)) throw new StrategicMergeError(`a list merged by key "${key}" holds ${typeName(item)}`);
  if (!Object.hasOwn(item, key)) return false;
  return value === '' || nodeValue(item[key]) === value;
}

/**
 * kyaml v0.21.1 `appendListNode`: sets each `src` element into `dst` by its key values. An element
 * missing a key is appended as it is (once per missing key, as kyaml does) and then set by the
 * values it has; with several keys the elements matching those values are removed first.
 */
function appendElements(dst: unknown[], src: readonly unknown[], keys: readonly string[]): unknown[] {
  let out = dst;
  for (const element of [...src]) {
    if (keys[0] === '') {
      out = setElement(out, element, [''], [nodeValue(element)]);
      continue;
    }
    if (element !== null && !isMap(element))
      throw new StrategicMergeError(`a list merged by key "${keys[0]}" holds ${typeName(element)}`);
    const values: string[] = [];
    for (const key of keys) {
      if (element === null || !Object.hasOwn(element, key)) out = [...out, element];
      else values.push(nodeValue(element[key]));
    }
    if (keys.length > 1) out = setElement(out, undefined, keys, values);
    out = setElement(out, element, keys, values);
  }
  return out;
}

function schemaOf(value: unknown): SchemaNode | undefined {
  if (!isMap(value)) return undefined;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '')
    return undefined;
  return schemaForType(apiVersion, kind);
}

/** The `Value` of a YAML node: the text of a scalar, empty for maps and lists. */
function nodeValue(value: unknown): string {
  return isMap(value) || Array.isArray(value) ? '' : scalarText(value);
}

function isEmptyMap(value: unknown): boolean {
  return isMap(value) && Object.keys(value).length === 0;
}

function isNilOrEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isEmptyMap(value);
}

function own(map: JsonMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

// Go's sort.Strings orders by bytes; UTF-16 order agrees for the keys that occur in manifests.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kindName(kind: Kind): string {
  return kind === 'map' ? 'a map' : kind === 'list' ? 'a list' : 'a scalar';
}

function formatPath(path: readonly string[]): string {
  return path.length === 0 ? '/' : `/${path.join('/')}`;
}
