/**
 * @module `$(path)` references to other values of the same pattern document (Kyverno `vars.go`
 * substituteReferencesIfAny): `$(./../name)` is replaced by the string at that path (relative to
 * the current leaf, anchors ignored); `$(<./../max)` yields `<` + the value. `\$( )` escapes.
 */
import { LimitMeter } from '../limits.js';
import { isMap } from '../model/json-map.js';
import { VariableSubstitutionError } from './errors.js';
import { HOLDS_REFERENCES, templateMarks } from './template.js';

const REFERENCE = /^\$\(.[^ ]*\)|[^\\]\$\(.[^ ]*\)/g;
const ESCAPED_REFERENCE = /\\\$\(.[^ ]*\)/g;
const OPERATORS = ['>=', '<=', '>', '<', '!'] as const;
const ANCHOR = /^(?:[+<=X^])?\((.+)\)$/;

type Leaf = { readonly path: string; readonly value: unknown };

function segment(key: string): string {
  return key.replaceAll('/', '\\/');
}

function stripAnchors(path: string): string {
  return path
    .split('/')
    .map((part) => ANCHOR.exec(part)?.[1] ?? part)
    .join('/');
}

function collectLeaves(value: unknown, path: string, out: Leaf[]): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) collectLeaves(item, `${path}/${i}`, out);
  } else if (isMap(value))
    for (const [k, v] of Object.entries(value)) collectLeaves(v, `${path}/${segment(k)}`, out);
  else out.push({ path: stripAnchors(path), value });
}

/** Go's `path.Join(base, rel)`: joins then cleans `.`/`..`/duplicate slashes. */
function joinPath(base: string, rel: string): string {
  const parts: string[] = [];
  for (const part of `${base}/${rel}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function trimCutset(s: string, cutset: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && cutset.includes(s[start] ?? '')) start++;
  while (end > start && cutset.includes(s[end - 1] ?? '')) end--;
  return s.slice(start, end);
}

function resolveReference(reference: string, leafPath: string, leaves: readonly Leaf[]): string {
  let path = trimCutset(reference, '$()');
  const operator = path.length >= 2 ? (OPERATORS.find((op) => path.startsWith(op)) ?? '') : '';
  path = path.slice(operator.length);
  if (path === '') {
    throw new VariableSubstitutionError(
      `failed to resolve ${reference} at path ${leafPath}: expected path, found empty reference`,
    );
  }
  const absolute = stripAnchors(path.startsWith('/') ? path : joinPath(leafPath, path));
  let found: unknown;
  for (const leaf of leaves) if (leaf.path === absolute) found = leaf.value;
  if (operator === '') {
    if (found === undefined || found === null) {
      throw new VariableSubstitutionError(
        `got nil resolved variable ${reference} at path ${leafPath}: <nil>`,
      );
    }
    if (typeof found !== 'string') {
      throw new VariableSubstitutionError(
        `NotResolvedReferenceErr,reference ${reference} not resolved at path ${leafPath}`,
      );
    }
    return found;
  }
  if (typeof found === 'string') return operator + found;
  // JSON numbers are float64 in Kyverno, printed with %f.
  if (typeof found === 'number') return operator + found.toFixed(6);
  const shown = found === undefined || found === null ? '<nil>' : String(found);
  throw new VariableSubstitutionError(
    `failed to resolve ${reference} at path ${leafPath}: incorrect expression: operator ${operator} does not match with value ${shown}`,
  );
}

function substituteLeaf(value: string, leafPath: string, leaves: readonly Leaf[], meter: LimitMeter): string {
  // Neither a reference nor an escaped one.
  if (!value.includes('$(')) return value;
  let out = value;
  for (const m of value.matchAll(REFERENCE)) {
    const old = m[0];
    const initial = old.startsWith('$(');
    const prefix = initial ? '' : old.slice(0, 1);
    const resolved = resolveReference(initial ? old : old.slice(1), leafPath, leaves);
    const at = out.indexOf(old);
    if (at >= 0) {
      const length = out.length - old.length + prefix.length + resolved.length;
      meter.checkSize('maxValueSize', length, () => `the text at path ${leafPath} (resolving ${old})`);
      meter.chargeOutput(length, () => `resolving ${old} at path ${leafPath}`);
      out = out.slice(0, at) + prefix + resolved + out.slice(at + old.length);
    }
  }
  return out.replace(ESCAPED_REFERENCE, (m) => m.slice(1));
}

function walk(value: unknown, path: string, leaves: readonly Leaf[], meter: LimitMeter): unknown {
  if (typeof value === 'string') return substituteLeaf(value, path, leaves, meter);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}/${i}`, leaves, meter));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[substituteLeaf(k, path, leaves, meter)] = walk(v, `${path}/${segment(k)}`, leaves, meter);
    return out;
  }
  return value;
}

/**
 * Returns a copy of `pattern` (with `share`, the pattern itself when it holds no `$(`) with `$( )`
 * references resolved; throws `VariableSubstitutionError`, or
 * `LimitExceededError` when a string grows past `maxValueSize` (a leaf referencing a large one many times).
 */
export function substituteReferences(
  pattern: unknown,
  meter: LimitMeter = new LimitMeter(),
  options: { readonly share?: boolean } = {},
): unknown {
  // Without `$(` anywhere the result is a copy equal to the pattern; a reader can have the pattern.
  if (
    (templateMarks(pattern) & HOLDS_REFERENCES) === 0 &&
    (options.share === true || typeof pattern !== 'object')
  )
    return pattern;
  const leaves: Leaf[] = [];
  collectLeaves(pattern, '', leaves);
  return walk(pattern, '', leaves, meter);
}
