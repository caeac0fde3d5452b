/**
 * @module Typed object construction for mutating expressions (Kubernetes MutatingAdmissionPolicy,
 * Kyverno MutatingPolicy): `Object{spec: Object.spec{...}}` and `JSONPatch{op, path, value}`.
 * cel-js has no message-construction syntax, so before parsing, each construction is rewritten to
 * a call of an internal function that builds a map tagged with its type name; the tag lets the
 * mutation code check that `Object.spec.containers` values sit at `spec.containers`. Also provides
 * `jsonpatch.escapeKey`.
 */
import { Optional } from './cel-js.js';
import { type CelLibrary, namespaceLibraryParts } from './libs/types.js';

/** The internal function a construction is rewritten to (not meant to be written by hand). */
export const OBJECT_CONSTRUCTOR = '__palisade_object__';

/** Non-enumerable key holding the type name of a constructed object (dropped by `fromCel`). */
export const CEL_TYPE_NAME: unique symbol = Symbol('celTypeName');

/** Type names a mutating expression may construct: `Object`, `Object.<path>` and `JSONPatch`. */
function isConstructibleType(name: string): boolean {
  return name === 'Object' || name.startsWith('Object.') || name === 'JSONPatch';
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** End index (exclusive) of the string literal starting at `i` (after any r/b prefix), or -1. */
function skipString(src: string, i: number, raw: boolean): number {
  const q = src[i]!;
  const triple = src.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < src.length) {
    if (!raw && src[j] === '\\') {
      j += 2;
      continue;
    }
    if (src.startsWith(close, j)) return j + close.length;
    if (!triple && src[j] === '\n') return -1;
    j++;
  }
  return -1;
}

/** If a string literal (with optional r/b prefixes) starts at `i`, its end; else -1. */
function stringAt(src: string, i: number): number {
  let j = i;
  let raw = false;
  for (let k = 0; k < 2 && j < src.length && /[rRbB]/.test(src[j]!); k++) {
    if (/[rR]/.test(src[j]!)) raw = true;
    j++;
  }
  const c = src[j];
  if (c !== '"' && c !== "'") return -1;
  // A prefix letter must not be the tail of an identifier (e.g. `attr"` is not a raw string).
  if (j > i && i > 0 && IDENT_PART.test(src[i - 1]!)) return -1;
  return skipString(src, j, raw);
}

/** Skips whitespace and `//` comments. */
function skipSpace(src: string, i: number): number {
  let j = i;
  while (j < src.length) {
    if (/\s/.test(src[j]!)) j++;
    else if (src.startsWith('//', j)) {
      const nl = src.indexOf('\n', j);
      j = nl < 0 ? src.length : nl + 1;
    } else break;
  }
  return j;
}

/** Index of the first top-level `,` or `}` at or after `i` (brackets and strings skipped), or -1. */
function valueEnd(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const s = stringAt(src, j);
    if (s > 0) {
      j = s;
      continue;
    }
    if (src.startsWith('//', j)) {
      j = skipSpace(src, j);
      continue;
    }
    const c = src[j]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return c === '}' ? j : -1;
      depth--;
    } else if (c === ',' && depth === 0) return j;
    j++;
  }
  return -1;
}

interface ParsedBody {
  readonly fields: readonly { readonly name: string; readonly optional: boolean; readonly value: string }[];
  /** Index just after the closing `}`. */
  readonly end: number;
}

/** Parses `field: expr, ?field: expr, ...}` starting just after `{`; undefined when malformed. */
function parseBody(src: string, start: number): ParsedBody | undefined {
  const fields: { name: string; optional: boolean; value: string }[] = [];
  let i = skipSpace(src, start);
  for (;;) {
    if (src[i] === '}') return { fields, end: i + 1 };
    let optional = false;
    if (src[i] === '?') {
      optional = true;
      i = skipSpace(src, i + 1);
    }
    let name: string;
    if (src[i] === '`') {
      const close = src.indexOf('`', i + 1);
      if (close < 0) return undefined;
      name = src.slice(i + 1, close);
      i = close + 1;
    } else {
      if (i >= src.length || !IDENT_START.test(src[i]!)) return undefined;
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      name = src.slice(i, j);
      i = j;
    }
    i = skipSpace(src, i);
    if (src[i] !== ':') return undefined;
    const end = valueEnd(src, i + 1);
    if (end < 0) return undefined;
    fields.push({ name, optional, value: src.slice(i + 1, end) });
    i = src[end] === ',' ? skipSpace(src, end + 1) : end;
  }
}

/**
 * Rewrites every `Object...{...}` / `JSONPatch{...}` construction of `src` into a call of
 * `OBJECT_CONSTRUCTOR(typeName, {fields}, {optionalFields})`. Anything it cannot read is left
 * unchanged, so the CEL parser reports it.
 */
export function rewriteObjectConstruction(src: string): string {
  if (!src.includes('{')) return src;
  let out = '';
  let i = 0;
  // The qualified name being read (`Object.spec`), where it starts in `out`, and what came last.
  let chain: { name: string; outStart: number; afterDot: boolean } | undefined;
  let lastWasOperand = false;
  while (i < src.length) {
    const s = stringAt(src, i);
    if (s > 0) {
      out += src.slice(i, s);
      i = s;
      chain = undefined;
      lastWasOperand = true;
      continue;
    }
    const c = src[i]!;
    if (/\s/.test(c) || src.startsWith('//', i)) {
      const j = skipSpace(src, i);
      out += src.slice(i, j);
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      const ident = src.slice(i, j);
      if (chain?.afterDot === true) chain = { ...chain, name: `${chain.name}.${ident}`, afterDot: false };
      else if (!lastWasOperand || chain === undefined)
        chain = { name: ident, outStart: out.length, afterDot: false };
      else chain = undefined;
      out += ident;
      i = j;
      lastWasOperand = true;
      continue;
    }
    if (c === '.' && chain !== undefined && !chain.afterDot) {
      chain = { ...chain, afterDot: true };
      out += c;
      i++;
      continue;
    }
    if (c === '{' && chain !== undefined && !chain.afterDot && isConstructibleType(chain.name)) {
      const body = parseBody(src, i + 1);
      if (body !== undefined) {
        const plain = body.fields.filter((f) => !f.optional);
        const optional = body.fields.filter((f) => f.optional);
        const entries = (fs: typeof plain): string =>
          fs.map((f) => `${JSON.stringify(f.name)}: (${rewriteObjectConstruction(f.value)})`).join(', ');
        out = `${out.slice(0, chain.outStart)}${OBJECT_CONSTRUCTOR}(${JSON.stringify(chain.name)}, {${entries(plain)}}, {${entries(optional)}})`;
        i = body.end;
        chain = undefined;
        lastWasOperand = true;
        continue;
      }
    }
    out += c;
    i++;
    chain = undefined;
    lastWasOperand = c === ')' || c === ']' || c === '}';
  }
  return out;
}

function entriesOf(v: unknown): [string, unknown][] {
  if (v instanceof Map) return [...v].map(([k, x]) => [String(k), x]);
  if (typeof v === 'object' && v !== null) return Object.entries(v);
  return [];
}

/** Builds a constructed object: plain fields, plus optional fields that hold a value. */
export function constructObject(
  typeName: string,
  fields: unknown,
  optionals: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of entriesOf(fields)) out[k] = v;
  for (const [k, v] of entriesOf(optionals)) {
    if (v instanceof Optional) {
      if (v.hasValue()) out[k] = v.value();
    } else out[k] = v;
  }
  Object.defineProperty(out, CEL_TYPE_NAME, { value: typeName, enumerable: false });
  return out;
}

/** The type name a constructed object was built with, if it is one. */
export function constructedTypeName(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const name = (v as { [CEL_TYPE_NAME]?: unknown })[CEL_TYPE_NAME];
  return typeof name === 'string' ? name : undefined;
}

/** JSON pointer escaping of one path segment (`~` → `~0`, `/` → `~1`). */
export function escapeJsonPointerKey(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The constructor function and `jsonpatch.escapeKey`, for mutating environments. */
export function objectConstructionLibrary(): CelLibrary {
  return {
    name: 'object-construction',
    ...namespaceLibraryParts('JsonPatchNamespace', 'jsonpatch'),
    functions: [
      { signature: `${OBJECT_CONSTRUCTOR}(string, map, map): dyn`, impl: constructObject },
      {
        signature: 'JsonPatchNamespace.escapeKey(string): string',
        impl: (_: unknown, key: string) => escapeJsonPointerKey(key),
      },
    ],
  };
}
