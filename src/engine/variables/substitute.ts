/**
 * @module `{{ <JMESPath> }}` substitution over any JSON document (Kyverno `vars.go`
 * substituteVariablesIfAny): every string leaf and map key is scanned; a string that is exactly
 * one variable becomes the raw JSON value, otherwise values are spliced in as text. Nested
 * variables are re-scanned until none remain; `\{{` escapes; `{{- x }}` substitutes shallowly.
 */
import type { JsonContext } from '../context/json-context.js';
import { queryErrorMessage } from '../context/query-error.js';
import { jsonSize, type LimitMeter } from '../limits.js';
import { isMap } from '../model/json-map.js';
import { VariableSubstitutionError } from './errors.js';
import { goJsonMarshal } from './go-format.js';
import { toJmespath } from './jmespath-path.js';
import {
  HOLDS_VARIABLES,
  hasVariable,
  parseTemplate,
  type TemplateVariable,
  templateMarks,
  unescapeVariables,
} from './template.js';

export { VariableSubstitutionError } from './errors.js';
export { substituteReferences } from './references.js';

export interface SubstituteOptions {
  /** The request operation; `DELETE` rewrites `request.object` → `request.oldObject`. Defaults to the context's. */
  readonly operation?: string;
  /** JMESPath of the document root for `{{@}}`; default `target` if present, else `request.object`. */
  readonly patternRoot?: string;
  /** Kyverno-style path of the document root in error messages, e.g. `/validate/pattern`. */
  readonly basePath?: string;
  /** A rule message is bounded by `maxMessageSize`; any other string by `maxValueSize`. */
  readonly purpose?: 'message' | 'value';
  /**
   * Give back the maps and lists of `value` that hold no `{{` as they are instead of copies, for
   * callers that only read the result (conditions, validate patterns): nothing is walked or copied
   * there, and compiled-once data keyed by those objects (pattern plans) is found again.
   */
  readonly share?: boolean;
}

type Segments = readonly (string | number)[];

interface Walk {
  readonly ctx: JsonContext;
  readonly meter: LimitMeter;
  /** The limit a string being substituted must stay within. */
  readonly cap: 'maxMessageSize' | 'maxValueSize';
  readonly isDelete: boolean;
  readonly patternRoot: string;
  readonly basePath: string;
}

function pathText(walk: Walk, segments: Segments): string {
  return walk.basePath + segments.map((s) => `/${String(s).replaceAll('/', '\\/')}`).join('');
}

/** The start of a long text, for messages that must name it without repeating all of it. */
function preview(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

/** The string being substituted, for limit messages. */
function textName(walk: Walk, segments: Segments): string {
  if (walk.cap === 'maxMessageSize') return 'the rule message';
  const path = pathText(walk, segments);
  return path === '' ? 'the text' : `the text at path ${path}`;
}

function resolve(walk: Walk, expression: string, segments: Segments): unknown {
  let variable = expression;
  if (variable === '@') variable = toJmespath([...walk.patternRoot.split('.'), ...segments]);
  if (walk.isDelete) variable = variable.replaceAll('request.object', 'request.oldObject');
  if (variable === '')
    throw new VariableSubstitutionError(
      `failed to resolve  at path ${pathText(walk, segments)}: invalid query (nil)`,
    );
  let result: unknown;
  try {
    result = walk.ctx.query(variable);
  } catch (error) {
    throw new VariableSubstitutionError(
      `failed to resolve ${variable} at path ${pathText(walk, segments)}: ${queryErrorMessage(variable, error)}`,
      { cause: error },
    );
  }
  // Measured before it is spliced or copied: a value may share structure that only copying expands.
  const { meter } = walk;
  const size = typeof result === 'string' ? result.length : jsonSize(result, meter.limits.maxValueSize);
  // The description is built only when a limit needs it (no closure or path text per variable).
  const what = valueDetail(walk, variable, segments);
  meter.checkSize('maxValueSize', size, what);
  meter.chargeOutput(size, what);
  return result;
}

/** Names a resolved value in limit messages, built only when a message needs it. */
function valueDetail(walk: Walk, variable: string, segments: Segments): () => string {
  return () => `the value of {{${preview(variable)}}} at path ${pathText(walk, segments)}`;
}

function substituteString(walk: Walk, input: string, segments: Segments): unknown {
  // Neither a variable nor an escaped one: nothing to find, nothing to unescape.
  if (!input.includes('{{')) return input;
  const { meter, cap } = walk;
  let value = input;
  // The first pass reads the text as written: parsed once per text by the context's memo.
  let vars = walk.ctx.memo.template(value);
  let passes = 0;
  while (vars.length > 0) {
    if (++passes > meter.limits.maxSubstitutionPasses) {
      // Kyverno loops forever on values that keep producing variables (`x: "{{x}}"`).
      meter.exceed(
        'maxSubstitutionPasses',
        () => `the variables in ${textName(walk, segments)} (${preview(input)}) keep expanding`,
      );
    }
    meter.checkTime();
    const original = value;
    for (const v of vars) {
      const { expression, shallow } = v;
      const result = resolve(walk, expression, segments);
      if (original === v.text) return result;
      let text = typeof result === 'string' ? result : goJsonMarshal(result);
      // Shallow: hide the result's own braces from the re-scan; unescaped at the end.
      if (shallow && typeof result === 'string') text = text.replace(/(^|[^\\])\{\{/g, '$1\\{{');
      const at = value.indexOf(v.prefix + v.text);
      if (at >= 0) {
        // Checked before building: a template that names itself twice doubles with every pass.
        const length = value.length - v.text.length + text.length;
        const what = () => `${textName(walk, segments)} (substituting ${preview(v.text)})`;
        meter.checkSize(cap, length, what);
        meter.chargeOutput(length, what);
        value = value.slice(0, at) + v.prefix + text + value.slice(at + v.prefix.length + v.text.length);
      }
    }
    vars = parseTemplate(value);
  }
  return unescapeVariables(value);
}

function walkValue(walk: Walk, value: unknown, segments: Segments, share: boolean): unknown {
  if (share && typeof value === 'object' && value !== null && (templateMarks(value) & HOLDS_VARIABLES) === 0)
    return value;
  let current = value;
  if (typeof current === 'string') current = substituteString(walk, current, segments);
  // What a variable resolved to is data, not policy text: walked and copied as before, never shared.
  return walkInto(walk, current, segments, share && current === value);
}

/** Kyverno keeps traversing into a map/list a variable resolved to; other values are the answer. */
function walkInto(walk: Walk, current: unknown, segments: Segments, inner: boolean): unknown {
  if (Array.isArray(current)) return current.map((item, i) => walkValue(walk, item, [...segments, i], inner));
  if (isMap(current)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(current)) {
      const newKey = substituteString(walk, key, segments);
      if (typeof newKey !== 'string') {
        throw new VariableSubstitutionError(`expected string after substituting variables in key "${key}"`);
      }
      out[newKey] = walkValue(walk, item, [...segments, key], inner);
    }
    return out;
  }
  return current;
}

function operationOf(ctx: JsonContext): unknown {
  const request = ctx.root.request;
  return isMap(request) ? request.operation : undefined;
}

function newWalk(ctx: JsonContext, options: SubstituteOptions): Walk {
  const root = isMap(ctx.root.target) ? 'target' : 'request.object';
  return {
    ctx,
    meter: ctx.meter,
    cap: options.purpose === 'message' ? 'maxMessageSize' : 'maxValueSize',
    isDelete: (options.operation ?? operationOf(ctx)) === 'DELETE',
    patternRoot: options.patternRoot ?? root,
    basePath: options.basePath ?? '',
  };
}

const NO_SEGMENTS: Segments = [];

/**
 * The variable `text` is exactly one of, when it is (no other text, no `$(` reference): what
 * `substituteWhole` takes. Read from the memo's parse of `text`, so it is planned once per text.
 */
export function wholeVariable(text: string, ctx: JsonContext): TemplateVariable | undefined {
  if (text.includes('$(')) return undefined;
  const vars = ctx.memo.template(text);
  const first = vars[0];
  return vars.length === 1 && first !== undefined && first.text === text ? first : undefined;
}

/**
 * `substituteVariables(text, ctx, options)` (after `substituteReferences`) for a `text` that is
 * exactly `variable` (`wholeVariable`): the same checks, query and walk of the result, without
 * scanning the text again. Throws as `substituteVariables` does.
 */
export function substituteWhole(
  variable: TemplateVariable,
  ctx: JsonContext,
  options: SubstituteOptions,
): unknown {
  const walk = newWalk(ctx, options);
  // substituteString's first pass, which a whole variable ends with its result (one pass is always
  // within maxSubstitutionPasses: limits are positive, see resolveLimits).
  walk.meter.checkTime();
  return walkInto(walk, resolve(walk, variable.expression, NO_SEGMENTS), NO_SEGMENTS, false);
}

/**
 * Returns a copy of `value` with every `{{ }}` resolved against `ctx`. Throws
 * `VariableSubstitutionError` (`failed to resolve <var> at path <p>: JMESPath query failed: ...`), or
 * `LimitExceededError` when a value, the text being built or the passes go past the context's limits.
 * A variable resolving to null yields `null` (whole string) or `"null"` (spliced), as in Kyverno.
 */
export function substituteVariables(
  value: unknown,
  ctx: JsonContext,
  options: SubstituteOptions = {},
): unknown {
  if (typeof value === 'string' && !value.includes('{{')) return value;
  if (options.share === true && (templateMarks(value) & HOLDS_VARIABLES) === 0) return value;
  return walkValue(newWalk(ctx, options), value, NO_SEGMENTS, options.share === true);
}

/** True when any string leaf or map key of `value` holds an unescaped `{{ }}` variable. */
export function containsVariables(value: unknown): boolean {
  if (typeof value === 'string') return hasVariable(value);
  if (Array.isArray(value)) return value.some(containsVariables);
  if (isMap(value)) return Object.entries(value).some(([k, v]) => hasVariable(k) || containsVariables(v));
  return false;
}
