/**
 * @module A tiny declarative schema language for decoded YAML, and its validator.
 * Nodes describe the shape; `validateSchema` walks a value and returns Diagnostics with data paths.
 * It never throws: every problem becomes a `policy/*` Diagnostic.
 */
import type { Diagnostic, FieldPath } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { suggestClosest } from './edit-distance.js';

/** Extra semantic check run after a node's structure is valid. */
export type Refinement = (value: unknown, path: FieldPath) => Diagnostic[];

interface NodeBase {
  /** Human name used in wrong-type messages, e.g. "a list of conditions". */
  readonly label?: string;
  readonly refine?: readonly Refinement[];
}

export interface Field {
  readonly node: SchemaNode;
  readonly required: boolean;
}

export interface ObjectNode extends NodeBase {
  readonly type: 'object';
  readonly fields: Readonly<Record<string, Field>>;
  /** Keys not in `fields`: 'forbid' reports unknown-field, 'allow' ignores them. */
  readonly unknown: 'forbid' | 'allow';
  /**
   * 'insensitive' accepts a key that differs from a field only in case, with a warning: Go's
   * encoding/json (used by Kyverno's CLI file loaders) matches field names that way.
   */
  readonly keyCase: 'exact' | 'insensitive';
}
export interface ArrayNode extends NodeBase {
  readonly type: 'array';
  readonly items: SchemaNode;
}
export interface MapNode extends NodeBase {
  readonly type: 'map';
  readonly values: SchemaNode;
}
export interface StringNode extends NodeBase {
  readonly type: 'string';
  readonly maxLength?: number;
  readonly nonEmpty?: boolean;
}
export interface BoolNode extends NodeBase {
  readonly type: 'bool';
}
export interface NumberNode extends NodeBase {
  readonly type: 'number';
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}
export interface EnumNode extends NodeBase {
  readonly type: 'enum';
  readonly values: readonly string[];
  readonly caseInsensitive?: boolean;
}
export interface AnyNode extends NodeBase {
  readonly type: 'any';
}
/** Picks the first option whose JSON type fits the value (a type-discriminated union). */
export interface OneOfNode extends NodeBase {
  readonly type: 'oneOf';
  readonly options: readonly SchemaNode[];
}
/** Deferred node, for recursive shapes such as nested `foreach`. */
export interface LazyNode extends NodeBase {
  readonly type: 'lazy';
  readonly get: () => SchemaNode;
}

export type SchemaNode =
  | ObjectNode
  | ArrayNode
  | MapNode
  | StringNode
  | BoolNode
  | NumberNode
  | EnumNode
  | AnyNode
  | OneOfNode
  | LazyNode;

type Base = { label?: string; refine?: Refinement[] };

// ---- builders ---------------------------------------------------------------------------------

/** A field that must be present (and not null). */
export function req(node: SchemaNode): Field {
  return { node, required: true };
}
/** An optional field. */
export function opt(node: SchemaNode): Field {
  return { node, required: false };
}

type FieldSpec = Field | SchemaNode;
function toField(f: FieldSpec): Field {
  return 'node' in f && 'required' in f ? f : { node: f as SchemaNode, required: false };
}

/** Object with known fields; plain nodes are optional, wrap with `req()` to require. */
export function object(
  fields: Record<string, FieldSpec>,
  extra: Base & { unknown?: 'forbid' | 'allow'; keyCase?: 'exact' | 'insensitive' } = {},
): ObjectNode {
  const out: Record<string, Field> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = toField(v);
  return {
    type: 'object',
    fields: out,
    unknown: extra.unknown ?? 'forbid',
    keyCase: extra.keyCase ?? 'exact',
    ...base(extra),
  };
}

/** The declared field name matching `key` (exactly, or ignoring case when the node allows it). */
function fieldNameFor(n: ObjectNode, key: string): string | undefined {
  if (Object.hasOwn(n.fields, key)) return key;
  if (n.keyCase !== 'insensitive') return undefined;
  const lower = key.toLowerCase();
  return Object.keys(n.fields).find((f) => f.toLowerCase() === lower);
}
export function array(items: SchemaNode, extra: Base = {}): ArrayNode {
  return { type: 'array', items, ...base(extra) };
}
export function map(values: SchemaNode, extra: Base = {}): MapNode {
  return { type: 'map', values, ...base(extra) };
}
export function string(extra: Base & { maxLength?: number; nonEmpty?: boolean } = {}): StringNode {
  const n: { -readonly [K in keyof StringNode]: StringNode[K] } = { type: 'string', ...base(extra) };
  if (extra.maxLength !== undefined) n.maxLength = extra.maxLength;
  if (extra.nonEmpty !== undefined) n.nonEmpty = extra.nonEmpty;
  return n;
}
export function bool(extra: Base = {}): BoolNode {
  return { type: 'bool', ...base(extra) };
}
export function number(extra: Base & { integer?: boolean; min?: number; max?: number } = {}): NumberNode {
  const n: { -readonly [K in keyof NumberNode]: NumberNode[K] } = { type: 'number', ...base(extra) };
  if (extra.integer !== undefined) n.integer = extra.integer;
  if (extra.min !== undefined) n.min = extra.min;
  if (extra.max !== undefined) n.max = extra.max;
  return n;
}
export function enumOf(
  values: readonly string[],
  extra: Base & { caseInsensitive?: boolean } = {},
): EnumNode {
  const n: { -readonly [K in keyof EnumNode]: EnumNode[K] } = { type: 'enum', values, ...base(extra) };
  if (extra.caseInsensitive !== undefined) n.caseInsensitive = extra.caseInsensitive;
  return n;
}
export function any(extra: Base = {}): AnyNode {
  return { type: 'any', ...base(extra) };
}
export function oneOf(options: readonly SchemaNode[], extra: Base = {}): OneOfNode {
  return { type: 'oneOf', options, ...base(extra) };
}
export function lazy(get: () => SchemaNode, extra: Base = {}): LazyNode {
  return { type: 'lazy', get, ...base(extra) };
}
/** Returns a copy of `node` with an extra semantic check. */
export function refine<T extends SchemaNode>(node: T, check: Refinement): T {
  return { ...node, refine: [...(node.refine ?? []), check] };
}

function base(extra: Base): Base {
  const b: Base = {};
  if (extra.label !== undefined) b.label = extra.label;
  if (extra.refine !== undefined) b.refine = extra.refine;
  return b;
}

// ---- validator --------------------------------------------------------------------------------

/** JSON type name of a decoded YAML value, as used in messages. */
export function jsonTypeOf(
  value: unknown,
): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'other' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'object':
      return 'object';
    default:
      return 'other';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return jsonTypeOf(value) === 'object';
}

function resolve(node: SchemaNode): SchemaNode {
  let n = node;
  // A lazy node may return another lazy node; bounded to avoid a cycle of lazies.
  for (let i = 0; n.type === 'lazy' && i < 8; i++) n = n.get();
  return n;
}

/** The JSON type a node expects at its top. */
function expectedType(node: SchemaNode): string[] {
  const n = resolve(node);
  switch (n.type) {
    case 'object':
    case 'map':
      return ['object'];
    case 'array':
      return ['array'];
    case 'string':
    case 'enum':
      return ['string'];
    case 'bool':
      return ['boolean'];
    case 'number':
      return ['number'];
    case 'oneOf':
      return n.options.flatMap(expectedType);
    default:
      return ['any'];
  }
}

function describe(node: SchemaNode): string {
  if (node.label !== undefined) return node.label;
  const types = [...new Set(expectedType(node))];
  const words: Record<string, string> = {
    object: 'an object',
    array: 'a list',
    string: 'a string',
    boolean: 'a boolean',
    number: 'a number',
    any: 'any value',
  };
  return types.map((t) => words[t] ?? t).join(' or ');
}

function article(t: string): string {
  return t === 'array' ? 'a list' : t === 'object' ? 'an object' : t === 'null' ? 'null' : `a ${t}`;
}

/** Validates `value` against `node`; returns every problem found (never throws). */
export function validateSchema(node: SchemaNode, value: unknown, path: FieldPath = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  walk(node, value, path, out, 0);
  return out;
}

/** Deep inputs are bounded elsewhere; this only stops pathological recursion. */
const MAX_DEPTH = 256;

function walk(node: SchemaNode, value: unknown, path: FieldPath, out: Diagnostic[], depth: number): void {
  if (depth > MAX_DEPTH) {
    out.push(diagnostic('limits/exceeded', `document nesting exceeds ${MAX_DEPTH} levels`, path));
    return;
  }
  const n = resolve(node);
  const before = out.length;
  const t = jsonTypeOf(value);
  const wrongType = () =>
    out.push(diagnostic('policy/wrong-type', `expected ${describe(node)}, got ${article(t)}`, path));

  switch (n.type) {
    case 'any':
    case 'lazy':
      break;
    case 'object': {
      if (t !== 'object') {
        wrongType();
        break;
      }
      const obj = value as Record<string, unknown>;
      const known = Object.keys(n.fields);
      const present = new Set<string>();
      for (const [key, child] of Object.entries(obj)) {
        const name = fieldNameFor(n, key);
        const field = name === undefined ? undefined : n.fields[name];
        if (name !== undefined && name !== key) {
          out.push(
            diagnostic(
              'policy/unknown-field',
              `field \`${key}\` is accepted as \`${name}\``,
              [...path, key],
              {
                severity: 'warning',
                hint: `spell it \`${name}\``,
              },
            ),
          );
        }
        if (field === undefined) {
          if (n.unknown === 'forbid') {
            const close = suggestClosest(key, known);
            out.push(
              diagnostic(
                'policy/unknown-field',
                `unknown field \`${key}\``,
                [...path, key],
                close !== undefined ? { hint: `did you mean \`${close}\`?` } : {},
              ),
            );
          }
          continue;
        }
        // YAML `key:` with no value decodes to null; Kubernetes treats that as absent.
        if (child === null || child === undefined) continue;
        present.add(name ?? key);
        walk(field.node, child, [...path, key], out, depth + 1);
      }
      for (const [key, field] of Object.entries(n.fields)) {
        if (field.required && !present.has(key)) {
          out.push(diagnostic('policy/missing-field', `missing required field \`${key}\``, [...path, key]));
        }
      }
      break;
    }
    case 'array': {
      if (t !== 'array') {
        wrongType();
        break;
      }
      (value as unknown[]).forEach((item, i) => {
        walk(n.items, item, [...path, i], out, depth + 1);
      });
      break;
    }
    case 'map': {
      if (t !== 'object') {
        wrongType();
        break;
      }
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        walk(n.values, child, [...path, key], out, depth + 1);
      }
      break;
    }
    case 'string': {
      if (t !== 'string') {
        wrongType();
        break;
      }
      const s = value as string;
      if (n.nonEmpty === true && s === '') {
        out.push(diagnostic('policy/invalid-value', 'must not be empty', path));
      }
      if (n.maxLength !== undefined && s.length > n.maxLength) {
        out.push(
          diagnostic(
            'policy/invalid-value',
            `must be at most ${n.maxLength} characters (got ${s.length})`,
            path,
          ),
        );
      }
      break;
    }
    case 'bool':
      if (t !== 'boolean') wrongType();
      break;
    case 'number': {
      if (t !== 'number') {
        wrongType();
        break;
      }
      const x = Number(value);
      if (n.integer === true && !Number.isInteger(x)) {
        out.push(diagnostic('policy/wrong-type', `expected an integer, got ${x}`, path));
      } else if ((n.min !== undefined && x < n.min) || (n.max !== undefined && x > n.max)) {
        out.push(
          diagnostic('policy/invalid-value', `must be between ${n.min ?? '-∞'} and ${n.max ?? '∞'}`, path),
        );
      }
      break;
    }
    case 'enum': {
      if (t !== 'string') {
        wrongType();
        break;
      }
      const s = value as string;
      const ok =
        n.caseInsensitive === true
          ? n.values.some((v) => v.toLowerCase() === s.toLowerCase())
          : n.values.includes(s);
      if (!ok) {
        const close = suggestClosest(s, n.values);
        out.push(
          diagnostic(
            'policy/invalid-value',
            `unsupported value "${s}": expected one of ${n.values.map((v) => `"${v}"`).join(', ')}`,
            path,
            close !== undefined ? { hint: `did you mean "${close}"?` } : {},
          ),
        );
      }
      break;
    }
    case 'oneOf': {
      const option = n.options.find((o) => {
        const types = expectedType(o);
        return types.includes('any') || types.includes(t);
      });
      if (option === undefined) wrongType();
      else walk(option, value, path, out, depth + 1);
      break;
    }
  }
  // Semantic checks only run on structurally valid values, so they can trust the shape.
  if (out.slice(before).some((d) => d.severity === 'error')) return;
  if (node.refine !== undefined) {
    for (const check of node.refine) out.push(...check(value, path));
  }
  if (n !== node && n.refine !== undefined) {
    for (const check of n.refine) out.push(...check(value, path));
  }
}

/**
 * A copy of `value` with keys renamed to their declared spelling where the schema matches them
 * case-insensitively. Unknown keys and schemaless sub-trees are copied unchanged.
 */
export function canonicalizeKeys(node: SchemaNode, value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  const n = resolve(node);
  const t = jsonTypeOf(value);
  switch (n.type) {
    case 'object': {
      if (t !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const name = fieldNameFor(n, key);
        const field = name === undefined ? undefined : n.fields[name];
        out[name ?? key] =
          field === undefined ? structuredClone(child) : canonicalizeKeys(field.node, child, depth + 1);
      }
      return out;
    }
    case 'array':
      return t === 'array' ? (value as unknown[]).map((x) => canonicalizeKeys(n.items, x, depth + 1)) : value;
    case 'map': {
      if (t !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        out[key] = canonicalizeKeys(n.values, child, depth + 1);
      }
      return out;
    }
    case 'oneOf': {
      const option = n.options.find((o) => {
        const types = expectedType(o);
        return types.includes('any') || types.includes(t);
      });
      return option === undefined ? value : canonicalizeKeys(option, value, depth + 1);
    }
    default:
      return t === 'object' || t === 'array' ? structuredClone(value) : value;
  }
}
