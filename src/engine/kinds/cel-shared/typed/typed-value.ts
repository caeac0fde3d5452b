/**
 * @module Typed values as structured-merge-diff sees them (sigs.k8s.io/structured-merge-diff
 * `typed`): resolving a type node to its atom, picking the atom's branch a value takes
 * (`deduceAtom`), the identity of associative list elements (path elements such as
 * `[name="c"]`), and the validation `ObjectToTyped` runs — undeclared fields, scalar kinds, list
 * keys and duplicates. Error texts follow SMD's (Go value formatting is approximated).
 */
import type { AtomNode, ListNode, MapNode, TypeNode, TypeSchemas } from './schema.js';

type JsonMap = Record<string, unknown>;

/**
 * CEL `null` held by an `Object{}` field: Kubernetes converts it with `Value()`, protobuf's
 * NullValue enum, which SMD takes for no scalar, list or map at all — every typed position
 * rejects it (`expected any scalar, got &{NULL_VALUE}`).
 */
export const CEL_NULL_VALUE: unique symbol = Symbol('NULL_VALUE');

export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isScalar = (v: unknown): boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';

const UNTYPED: AtomNode = { s: 'u', l: { e: 'U' }, m: { e: 'U', a: 1 } };
const DEDUCED: AtomNode = { s: 'u', l: { e: 'U' }, m: { e: 'D' } };
const SCALARS: Readonly<Record<string, AtomNode>> = {
  s: { s: 's' },
  n: { s: 'n' },
  b: { s: 'b' },
  u: { s: 'u' },
};

/** The atom a type node stands for (SMD `Schema.Resolve`, with a reference's atomic override). */
export function resolveAtom(schemas: TypeSchemas, node: TypeNode): AtomNode {
  if (typeof node === 'number') return schemas.types[node] ?? UNTYPED;
  if (typeof node === 'string') return node === 'U' ? UNTYPED : node === 'D' ? DEDUCED : SCALARS[node]!;
  if ('r' in node) {
    const a = schemas.types[node.r] ?? UNTYPED;
    if (a.m !== undefined) return { ...a, m: { ...a.m, a: 1 } };
    return a;
  }
  return node;
}

/** SMD `deduceAtom`: the one branch of `atom` that `v` takes, or the whole atom when none fits. */
export function deduceAtom(atom: AtomNode, v: unknown): AtomNode {
  if (isScalar(v) && atom.s !== undefined) return { s: atom.s };
  if (Array.isArray(v) && atom.l !== undefined) return { l: atom.l };
  if (isMap(v) && atom.m !== undefined) return { m: atom.m };
  return atom;
}

/** A map field's type: declared, else the element type, else undefined (undeclared). */
export function fieldType(m: MapNode, key: string): TypeNode | undefined {
  if (m.f !== undefined && Object.hasOwn(m.f, key)) return m.f[key];
  return m.e;
}

// ---- Go value formatting (approximate: messages are informative, not compared) ------------------

function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (v === CEL_NULL_VALUE) return 'NULL_VALUE';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isMap(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

function goSyntax(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  // An int32 enum: `%#v` prints its number.
  if (v === CEL_NULL_VALUE) return '0';
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (isMap(v)) {
    return `map[string]interface {}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSyntax(v[k])}`)
      .join(', ')}}`;
  }
  return goValue(v);
}

function goType(v: unknown): string {
  if (v === CEL_NULL_VALUE) return 'structpb.NullValue';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return typeof v === 'number' && !Number.isInteger(v) ? 'float64' : 'int64';
}

/** SMD's `%v` of a value.Value (a pointer to its unstructured wrapper). */
const valueV = (v: unknown): string => `&{${goValue(v)}}`;
/** SMD's `%#v` of a value.Value. */
const valueSharpV = (v: unknown): string => `&value.valueUnstructured{Value:${goSyntax(v)}}`;

// ---- path elements ------------------------------------------------------------------------------

/** How a key value prints in a path element (SMD value.ToString: JSON). */
function keyValue(v: unknown): string {
  if (v === CEL_NULL_VALUE) return '0';
  return typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
}

/** A keyed element's identity, or an error text (SMD keyedAssociativeListItemToPathElement). */
export function keyedElement(list: ListNode, item: unknown): { key: string } | { error: string } {
  if (item === null) return { error: 'associative list with keys may not have a null element' };
  if (!isMap(item)) return { error: 'associative list with keys may not have non-map elements' };
  const keys = list.k ?? [];
  const parts: [string, unknown][] = [];
  for (const k of keys) {
    if (Object.hasOwn(item, k)) parts.push([k, item[k]]);
    else if (list.d !== undefined && Object.hasOwn(list.d, k)) parts.push([k, list.d[k]]);
  }
  if (keys.length > 0 && parts.length === 0) {
    return {
      error: `associative list with keys has an element that omits all key fields ${goQuotedList(keys)} (and doesn't have default values for any key fields)`,
    };
  }
  parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { key: `[${parts.map(([k, v]) => `${k}=${keyValue(v)}`).join(',')}]` };
}

const goQuotedList = (keys: readonly string[]): string => `[${keys.map((k) => JSON.stringify(k)).join(' ')}]`;

/** A set element's identity, or an error text (SMD setItemToPathElement). */
export function setElement(item: unknown): { key: string } | { error: string } {
  if (isMap(item)) return { error: "associative list without keys has an element that's a map type" };
  if (Array.isArray(item)) return { error: 'not supported: associative list with lists as elements' };
  if (item === null) return { error: "associative list without keys has an element that's an explicit null" };
  return { key: `[=${keyValue(item)}]` };
}

/** The identity of an element of an associative (map or set) list. */
export function elementKey(list: ListNode, item: unknown): { key: string } | { error: string } {
  return list.t === 'm' ? keyedElement(list, item) : setElement(item);
}

// ---- validation (ObjectToTyped) -----------------------------------------------------------------

/** One SMD ValidationError: a path (`.spec.containers[name="c"].image`) and a message. */
export interface TypedError {
  readonly path: string;
  readonly message: string;
}

/** SMD ValidationErrors.Error(). */
export function formatTypedErrors(errors: readonly TypedError[]): string {
  const one = (e: TypedError) => (e.path === '' ? e.message : `${e.path}: ${e.message}`);
  if (errors.length === 1) return one(errors[0]!);
  return ['errors:', ...errors.map((e) => `  ${one(e)}`)].join('\n');
}

function validateScalar(kind: string, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  switch (kind) {
    case 'n':
      return typeof v === 'number' || typeof v === 'bigint'
        ? undefined
        : `expected numeric (int or float), got ${goType(v)}`;
    case 's':
      return typeof v === 'string' ? undefined : `expected string, got ${valueSharpV(v)}`;
    case 'b':
      return typeof v === 'boolean' ? undefined : `expected boolean, got ${valueV(v)}`;
    default:
      return isScalar(v) ? undefined : `expected any scalar, got ${valueV(v)}`;
  }
}

/**
 * Validates `v` against `node` as SMD's validatingObjectWalker does; `allowDuplicates` is how the
 * live object is read (typed.AllowDuplicates), a patch allows none. Errors in walk order.
 */
export function validateTyped(
  schemas: TypeSchemas,
  node: TypeNode,
  v: unknown,
  allowDuplicates: boolean,
): TypedError[] {
  const errors: TypedError[] = [];
  const walk = (node: TypeNode, v: unknown, path: string): void => {
    const atom = deduceAtom(resolveAtom(schemas, node), v);
    if (atom.m !== undefined) {
      if (v === null || v === undefined) return;
      if (!isMap(v)) {
        errors.push({ path, message: `expected map, got ${valueV(v)}` });
        return;
      }
      // SMD stops walking a map at its first undeclared field, in Go's random map order: here the
      // declared fields are walked first, then the first undeclared one is reported.
      let undeclared: string | undefined;
      for (const [k, x] of Object.entries(v)) {
        const t = fieldType(atom.m, k);
        if (t !== undefined) walk(t, x, `${path}.${k}`);
        else undeclared ??= k;
      }
      if (undeclared !== undefined) {
        errors.push({ path: `${path}.${undeclared}`, message: 'field not declared in schema' });
      }
      return;
    }
    if (atom.s !== undefined) {
      const e = validateScalar(atom.s, v);
      if (e !== undefined) errors.push({ path, message: e });
      return;
    }
    if (atom.l === undefined) return;
    if (v === null || v === undefined) return;
    if (!Array.isArray(v)) {
      errors.push({ path, message: `expected list, got ${valueV(v)}` });
      return;
    }
    const list = atom.l;
    const seen = new Set<string>();
    for (const [i, item] of v.entries()) {
      let pe = `[${i}]`;
      if (list.t !== undefined) {
        const k = elementKey(list, item);
        if ('error' in k) {
          // SMD cannot name the element's path, so it stops at this list.
          errors.push({ path, message: `element ${i}: ${k.error}` });
          return;
        }
        pe = k.key;
        if (seen.has(pe) && !allowDuplicates)
          errors.push({ path, message: `duplicate entries for key ${pe}` });
        seen.add(pe);
      }
      walk(list.e, item, `${path}${pe}`);
    }
  };
  walk(node, v, '');
  return errors;
}
