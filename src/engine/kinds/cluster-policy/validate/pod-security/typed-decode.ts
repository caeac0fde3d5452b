/**
 * @module Whether a JSON value decodes into a Go struct the way `encoding/json` would, and if not
 * the error Go reports. Kyverno's podSecurity handler unmarshals the resource into the typed Pod
 * (or Deployment / CronJob) before any check runs, so a wrong JSON type in a field that type has
 * makes the rule an `error` naming the field (`json: cannot unmarshal string into Go struct field
 * Container.spec.containers.image of type string`). Unknown fields are ignored, as Go does.
 */
import { BoundedMemo } from '../../../../units/bounded-memo.js';
import { parseQuantity } from '../../../../units/quantity.js';

/** A Go type as `encoding/json` sees it; `name` is what `reflect.Type.String()` prints. */
export type GoType =
  | { readonly k: 'string' | 'bool' | 'int' | 'float'; readonly name: string }
  | { readonly k: 'struct'; readonly name: string; readonly fields: () => Readonly<Record<string, GoType>> }
  | { readonly k: 'slice'; readonly name: string; readonly of: GoType }
  | { readonly k: 'map'; readonly name: string; readonly of: GoType }
  /** Types with their own UnmarshalJSON: their errors abort decoding at once. */
  | { readonly k: 'quantity' | 'int-or-string' | 'time' | 'raw'; readonly name: string };

/** Go `string`, or a named string type such as `v1.Protocol`. */
export const str = (name = 'string'): GoType => ({ k: 'string', name });
export const bool: GoType = { k: 'bool', name: 'bool' };
export const int32: GoType = { k: 'int', name: 'int32' };
export const int64: GoType = { k: 'int', name: 'int64' };
export const quantity: GoType = { k: 'quantity', name: 'resource.Quantity' };
export const intOrString: GoType = { k: 'int-or-string', name: 'intstr.IntOrString' };
export const time: GoType = { k: 'time', name: 'v1.Time' };
export const raw = (name: string): GoType => ({ k: 'raw', name });
export const sliceOf = (of: GoType): GoType => ({ k: 'slice', name: `[]${of.name}`, of });
export const mapOf = (of: GoType, name = `map[string]${of.name}`): GoType => ({ k: 'map', name, of });
/** `fields` is read lazily (the tables refer to each other) and built once: a decode reads it per object. */
export const struct = (name: string, fields: () => Readonly<Record<string, GoType>>): GoType => {
  let table: Readonly<Record<string, GoType>> | undefined;
  return { k: 'struct', name, fields: () => (table ??= fields()) };
};

const QUANTITY_FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** The JSON kind word Go's UnmarshalTypeError uses for a value. */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

interface Context {
  /** JSON names of the struct fields being decoded, outermost first (map keys and indexes are not added). */
  readonly fields: readonly string[];
  /** The innermost struct type being decoded. */
  readonly struct: string;
}

function typeError(value: string, type: string, ctx: Context): string {
  return `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${type}`;
}

/** Go marshals the unstructured object's maps with sorted keys; decoding follows that order. */
function sortedEntries(o: Record<string, unknown>): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function fieldFor(fields: Readonly<Record<string, GoType>>, key: string): [string, GoType] | undefined {
  const exact = fields[key];
  if (exact !== undefined) return [key, exact];
  // encoding/json falls back to a case-insensitive match of the field name.
  const lower = key.toLowerCase();
  for (const [name, t] of Object.entries(fields)) if (name.toLowerCase() === lower) return [name, t];
  return undefined;
}

class Decoder {
  /** The first recoverable type error; Go keeps decoding and reports it at the end. */
  saved: string | undefined;

  /** Maps are walked in Go's key order, which decides which error is first (`decodes` answers whether there is one). */
  private entries(o: Record<string, unknown>): [string, unknown][] {
    return sortedEntries(o);
  }

  private save(message: string): void {
    this.saved ??= message;
  }

  /** Returns an error that stops decoding (one raised by a type's own UnmarshalJSON). */
  decode(v: unknown, t: GoType, ctx: Context): string | undefined {
    if (v === null || v === undefined) return undefined;
    switch (t.k) {
      case 'string':
        if (typeof v !== 'string') this.save(typeError(jsonKind(v), t.name, ctx));
        return undefined;
      case 'bool':
        if (typeof v !== 'boolean') this.save(typeError(jsonKind(v), t.name, ctx));
        return undefined;
      case 'float':
        if (typeof v !== 'number') this.save(typeError(jsonKind(v), t.name, ctx));
        return undefined;
      case 'int':
        if (typeof v !== 'number') this.save(typeError(jsonKind(v), t.name, ctx));
        else if (!Number.isInteger(v) || !fitsInt(v, t.name))
          this.save(typeError(`number ${String(v)}`, t.name, ctx));
        return undefined;
      case 'quantity':
        if (typeof v === 'string' ? parseQuantity(v.trim()) === undefined : typeof v !== 'number')
          return QUANTITY_FORMAT;
        return undefined;
      case 'int-or-string':
        if (typeof v === 'string') return undefined;
        if (typeof v !== 'number') return typeError(jsonKind(v), 'int32', ctx);
        if (!Number.isInteger(v) || !fitsInt(v, 'int32'))
          return typeError(`number ${String(v)}`, 'int32', ctx);
        return undefined;
      case 'time':
        // metav1.Time decodes a JSON string first; a bad timestamp text is left to the API server.
        return typeof v === 'string' ? undefined : typeError(jsonKind(v), 'string', ctx);
      case 'raw':
        return undefined;
      case 'slice':
        if (!Array.isArray(v)) {
          this.save(typeError(jsonKind(v), t.name, ctx));
          return undefined;
        }
        for (const item of v) {
          const err = this.decode(item, t.of, ctx);
          if (err !== undefined) return err;
        }
        return undefined;
      case 'map':
        if (typeof v !== 'object' || Array.isArray(v)) {
          this.save(typeError(jsonKind(v), t.name, ctx));
          return undefined;
        }
        for (const [, item] of this.entries(v as Record<string, unknown>)) {
          const err = this.decode(item, t.of, ctx);
          if (err !== undefined) return err;
        }
        return undefined;
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          this.save(typeError(jsonKind(v), t.name, ctx));
          return undefined;
        }
        const fields = t.fields();
        const structName = t.name.slice(t.name.indexOf('.') + 1);
        for (const [key, item] of this.entries(v as Record<string, unknown>)) {
          const field = fieldFor(fields, key);
          if (field === undefined) continue;
          const err = this.decode(item, field[1], { fields: [...ctx.fields, field[0]], struct: structName });
          if (err !== undefined) return err;
        }
        return undefined;
      }
    }
  }
}

const INT_BOUNDS: Readonly<Record<string, number>> = { int32: 2 ** 31, int64: 2 ** 63 };

function fitsInt(n: number, name: string): boolean {
  const bound = INT_BOUNDS[name] ?? 2 ** 63;
  return n >= -bound && n < bound;
}

/**
 * Answers per object and type: each podSecurity rule of a set decodes the same resource. Objects
 * given to the engine are not changed in place (mutation copies), so identity is a safe key.
 */
const decoded = new WeakMap<object, Map<GoType, string | undefined>>();

/** The error Go's `json.Unmarshal` gives decoding `value` into `type`, or undefined when it decodes. */
export function goUnmarshalError(value: unknown, type: GoType): string | undefined {
  if (typeof value !== 'object' || value === null) return decodeError(value, type);
  let byType = decoded.get(value);
  if (byType === undefined) {
    byType = new Map();
    decoded.set(value, byType);
  }
  if (byType.has(type)) return byType.get(type);
  const error = decodeError(value, type);
  byType.set(type, error);
  return error;
}

function decodeError(value: unknown, type: GoType): string | undefined {
  return decodes(value, type) ? undefined : exactDecodeError(value, type);
}

/** The error in Go's order, with its message: the walk that says which error is first. */
export function exactDecodeError(value: unknown, type: GoType): string | undefined {
  const d = new Decoder();
  const fatal = d.decode(value, type, { fields: [], struct: '' });
  return fatal ?? d.saved;
}

/** Answers by text (bounded): workloads repeat a few request and limit texts (`100m`, `128Mi`). */
const quantityTexts = new BoundedMemo<string, boolean>(256);

function isQuantityText(text: string): boolean {
  let ok = quantityTexts.get(text);
  if (ok === undefined) {
    ok = parseQuantity(text.trim()) !== undefined;
    quantityTexts.set(text, ok);
  }
  return ok;
}

/**
 * Whether `value` decodes without any error (`exactDecodeError` is undefined): the same case
 * analysis as `Decoder.decode`, but it builds no message, path or entry list, since most objects
 * decode and only a failure needs the exact walk.
 */
export function decodes(v: unknown, t: GoType): boolean {
  if (v === null || v === undefined) return true;
  switch (t.k) {
    case 'string':
    case 'time':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'float':
      return typeof v === 'number';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && fitsInt(v, t.name);
    case 'quantity':
      return typeof v === 'string' ? isQuantityText(v) : typeof v === 'number';
    case 'int-or-string':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && fitsInt(v, 'int32'));
    case 'raw':
      return true;
    case 'slice':
      if (!Array.isArray(v)) return false;
      for (const item of v) if (!decodes(item, t.of)) return false;
      return true;
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return false;
      const o = v as Record<string, unknown>;
      for (const key of Object.keys(o)) if (!decodes(o[key], t.of)) return false;
      return true;
    }
    case 'struct': {
      if (typeof v !== 'object' || Array.isArray(v)) return false;
      const o = v as Record<string, unknown>;
      const fields = t.fields();
      for (const key of Object.keys(o)) {
        const type = fields[key] ?? fieldFor(fields, key)?.[1];
        if (type !== undefined && !decodes(o[key], type)) return false;
      }
      return true;
    }
  }
  // A key such as `constructor` finds an inherited member of the table, as in `Decoder.decode`.
  return true;
}
