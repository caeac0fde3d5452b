/**
 * @module `patchesJson6902`: RFC 6902 JSON Patch with the lenient options Kyverno applies
 * (evanphx/json-patch `SupportNegativeIndices`, `AllowMissingPathOnRemove`, `EnsurePathExistsOnAdd`;
 * reference §4, `pkg/engine/mutate/patch/patchJSON6902.go`). Written here rather than on
 * fast-json-patch because those three options change the core algorithm.
 */
import { parse as parseYaml } from 'yaml';

/** The patch text is not a list of operations, or an operation cannot be applied. */
export class JsonPatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JsonPatchError';
  }
}

export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Assigns an own property, also for keys like `__proto__` that plain assignment would not create. */
export function setKey(obj: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Deep copy of JSON data that keeps every key as an own property. */
export function cloneJsonSafe<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJsonSafe) as T;
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) setKey(out, k, cloneJsonSafe(v));
    return out as T;
  }
  return value;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

/**
 * Decodes `patchesJson6902` text: JSON when it starts with `[`, YAML otherwise (Kyverno's
 * ConvertPatchesToJSON), and insists on a list of `{op, path}` maps.
 */
export function parseJsonPatch(text: string): JsonPatchOperation[] {
  let doc: unknown;
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    doc = trimmed.startsWith('[') ? JSON.parse(trimmed) : parseYaml(trimmed);
  } catch (err) {
    // YAML is a superset of JSON, so a JSON-looking text that fails JSON.parse gets a second try.
    try {
      doc = parseYaml(trimmed);
    } catch {
      throw new JsonPatchError(`failed to convert patchesJSON6902 to JSON: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return decodeOperations(doc);
}

/** Validates an already-decoded patch document (a list of operations). */
export function decodeOperations(doc: unknown): JsonPatchOperation[] {
  if (!Array.isArray(doc)) {
    throw new JsonPatchError(`failed to decode patches: expected a list of operations, got ${typeName(doc)}`);
  }
  return doc.map((op, i) => {
    if (!isMap(op)) throw new JsonPatchError(`failed to decode patches: operation ${i} is not a map`);
    if (typeof op.op !== 'string')
      throw new JsonPatchError(`failed to decode patches: operation ${i} has no op`);
    if (typeof op.path !== 'string') {
      throw new JsonPatchError(`failed to decode patches: operation ${i} (${op.op}) has no path`);
    }
    const out: { op: string; path: string; from?: string; value?: unknown } = { op: op.op, path: op.path };
    if (typeof op.from === 'string') out.from = op.from;
    if ('value' in op) out.value = op.value;
    return out;
  });
}

/** Splits a JSON pointer into unescaped tokens (`~1` → `/`, then `~0` → `~`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new JsonPatchError(`invalid JSON pointer "${pointer}": must start with /`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

const INDEX = /^-?(0|[1-9][0-9]*)$/;

/** Resolves an array index token; `size` is the length the index may reach (len+1 for add). */
function arrayIndex(token: string, size: number, path: string): number {
  if (!INDEX.test(token)) throw new JsonPatchError(`invalid array index "${token}" in path ${path}`);
  let idx = Number(token);
  if (idx < 0) {
    if (idx < -size) throw new JsonPatchError(`unable to access invalid index ${idx} in path ${path}`);
    idx += size;
  }
  if (idx >= size) throw new JsonPatchError(`unable to access invalid index ${idx} in path ${path}`);
  return idx;
}

/** The container holding the last token, or undefined when an intermediate is missing. */
function parentOf(doc: unknown, tokens: readonly string[]): unknown {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      if (!INDEX.test(token)) return undefined;
      let idx = Number(token);
      if (idx < 0) idx += node.length;
      node = node[idx];
    } else if (isMap(node)) {
      node = Object.hasOwn(node, token) ? node[token] : undefined;
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

function getValue(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, path)];
  if (isMap(parent) && Object.hasOwn(parent, last)) return parent[last];
  throw new JsonPatchError(`doc is missing path: ${path}`);
}

/** A new container for a missing intermediate: a list (padded to the index) when `next` is an index or `-`. */
function newContainer(next: string): unknown[] | JsonMap {
  if (next === '-') return [];
  if (!INDEX.test(next)) return {};
  const n = Math.max(Number(next), 0);
  return new Array<unknown>(n).fill(null);
}

/**
 * Creates missing intermediate containers the way evanphx/json-patch's EnsurePathExistsOnAdd does:
 * a missing list element is inserted with add semantics (negative indices count from the end,
 * `-` appends, positive ones pad with nulls).
 */
function ensurePath(doc: unknown, tokens: readonly string[]): void {
  let node = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1] as string;
    if (Array.isArray(node)) {
      if (token !== '-' && !INDEX.test(token)) return;
      const n = token === '-' ? node.length : Number(token);
      const at = n < 0 ? n + node.length : n;
      const existing = at >= 0 && at < node.length ? node[at] : undefined;
      if (existing !== undefined && existing !== null) {
        node = existing;
        continue;
      }
      while (n >= 0 && node.length < n) node.push(null);
      const insertAt = n < 0 ? n + node.length + 1 : n;
      if (insertAt < 0 || insertAt > node.length) return;
      const created = newContainer(next);
      node.splice(insertAt, 0, created);
      node = created;
    } else if (isMap(node)) {
      const child = node[token];
      if (child === undefined || child === null) {
        const created = newContainer(next);
        setKey(node, token, created);
        node = created;
      } else {
        node = child;
      }
    } else {
      return;
    }
  }
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return cloneJsonSafe(value);
  ensurePath(doc, tokens);
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : arrayIndex(last, parent.length + 1, path);
    parent.splice(idx, 0, cloneJsonSafe(value));
  } else if (isMap(parent)) {
    setKey(parent, last, cloneJsonSafe(value));
  } else {
    throw new JsonPatchError(`add operation does not apply: doc is missing path: ${path}`);
  }
  return doc;
}

function remove(doc: unknown, path: string, allowMissing: boolean): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new JsonPatchError('remove operation cannot remove the document root');
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    let idx: number;
    try {
      idx = arrayIndex(last, parent.length, path);
    } catch (err) {
      if (allowMissing) return doc;
      throw err;
    }
    parent.splice(idx, 1);
  } else if (isMap(parent) && Object.hasOwn(parent, last)) {
    delete parent[last];
  } else if (!allowMissing) {
    throw new JsonPatchError(`remove operation does not apply: doc is missing path: ${path}`);
  }
  return doc;
}

function replace(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return cloneJsonSafe(value);
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    parent[arrayIndex(last, parent.length, path)] = cloneJsonSafe(value);
  } else if (isMap(parent) && Object.hasOwn(parent, last)) {
    setKey(parent, last, cloneJsonSafe(value));
  } else {
    throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}`);
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/**
 * Applies operations to a copy of `doc` and returns it. Throws `JsonPatchError` naming the
 * operation and the path when an operation cannot be applied.
 */
export function applyJsonPatch(doc: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let out = cloneJsonSafe(doc);
  for (const [i, op] of operations.entries()) {
    try {
      out = applyOne(out, op);
    } catch (err) {
      if (err instanceof JsonPatchError) {
        throw new JsonPatchError(`operation ${i} (${op.op} ${op.path}): ${err.message}`, { cause: err });
      }
      throw err;
    }
  }
  return out;
}

function needValue(op: JsonPatchOperation): unknown {
  if (!('value' in op)) throw new JsonPatchError(`${op.op} operation has no value`);
  return op.value;
}

function needFrom(op: JsonPatchOperation): string {
  if (op.from === undefined) throw new JsonPatchError(`${op.op} operation has no from`);
  return op.from;
}

function applyOne(doc: unknown, op: JsonPatchOperation): unknown {
  switch (op.op) {
    case 'add':
      return add(doc, op.path, needValue(op));
    case 'remove':
      return remove(doc, op.path, true);
    case 'replace':
      return replace(doc, op.path, needValue(op));
    case 'move': {
      const from = needFrom(op);
      if (op.path.startsWith(`${from}/`))
        throw new JsonPatchError('move operation cannot move a value into itself');
      const value = getValue(doc, from);
      return add(remove(doc, from, false), op.path, value);
    }
    case 'copy':
      return add(doc, op.path, getValue(doc, needFrom(op)));
    case 'test': {
      const expected = needValue(op);
      let actual: unknown;
      try {
        actual = getValue(doc, op.path);
      } catch {
        actual = undefined;
      }
      if (!deepEqual(actual, expected)) throw new JsonPatchError(`testing value ${op.path} failed`);
      return doc;
    }
    default:
      throw new JsonPatchError(`unexpected kind: ${op.op}`);
  }
}
