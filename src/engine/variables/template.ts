/**
 * @module Finding `{{ }}` variables in a string (Kyverno `pkg/engine/variables/regex`): a variable
 * not preceded by `\`, whose body may hold single-brace groups (`{{ {a: b} }}`) but no `{{`.
 * These expressions are fixed (not user input) and linear: their alternatives start differently.
 */

const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
const ESCAPED_VARIABLE = /\\\{\{(?:\{[^{}]*\}|[^{}])*\}\}/g;

export interface VariableMatch {
  /** The character consumed before `{{` (empty at the start of the string). */
  readonly prefix: string;
  /** The variable text including braces, e.g. `{{ request.object }}`. */
  readonly text: string;
}

export function findVariables(value: string): VariableMatch[] {
  const out: VariableMatch[] = [];
  for (const m of value.matchAll(VARIABLE)) out.push({ prefix: m[1] ?? '', text: m[2] ?? '' });
  return out;
}

/** True when the string holds at least one unescaped `{{ }}` variable. */
export function hasVariable(value: string): boolean {
  VARIABLE.lastIndex = 0;
  const found = VARIABLE.test(value);
  // `matchAll` copies lastIndex: left set, the next findVariables would start mid-string.
  VARIABLE.lastIndex = 0;
  return found;
}

/** `\{{ x }}` → `{{ x }}`, done once substitution is over. */
export function unescapeVariables(value: string): string {
  return value.replace(ESCAPED_VARIABLE, (m) => m.slice(1));
}

/** The JMESPath inside the braces, trimmed (Kyverno's replaceBracesAndTrimSpaces). */
export function variableExpression(text: string): string {
  return text.replaceAll('{{', '').replaceAll('}}', '').trim();
}

/** A variable of a template with its JMESPath, as substitution queries it. */
export interface TemplateVariable extends VariableMatch {
  /** The expression inside the braces, trimmed, without the shallow marker. */
  readonly expression: string;
  /** `{{- x }}`: the result's own braces are not substituted again. */
  readonly shallow: boolean;
}

/** The variables of `text`, parsed (an owner keeps these per policy text: see CompileMemo.template). */
export function parseTemplate(text: string): readonly TemplateVariable[] {
  return findVariables(text).map((v) => {
    let expression = variableExpression(v.text);
    const shallow = expression.startsWith('-');
    if (shallow) expression = expression.slice(1).trim();
    return { ...v, expression, shallow };
  });
}

/** `{{` somewhere (a variable, or an escaped one that substitution unescapes). */
export const HOLDS_VARIABLES = 1;
/** `$(` somewhere (a reference, or an escaped one). */
export const HOLDS_REFERENCES = 2;

// Policy documents are compiled once and read on every evaluation: their marks are kept per object.
const marksOf = new WeakMap<object, number>();

function stringMarks(text: string): number {
  return (text.includes('{{') ? HOLDS_VARIABLES : 0) | (text.includes('$(') ? HOLDS_REFERENCES : 0);
}

/**
 * What substitution could change in `value` (`HOLDS_VARIABLES | HOLDS_REFERENCES`, in any string
 * or map key below it): 0 means both substitutions give back a copy equal to it.
 */
export function templateMarks(value: unknown): number {
  if (typeof value === 'string') return stringMarks(value);
  if (typeof value !== 'object' || value === null) return 0;
  const cached = marksOf.get(value);
  if (cached !== undefined) return cached;
  let marks = 0;
  if (Array.isArray(value)) for (const item of value) marks |= templateMarks(item);
  else
    for (const [k, v] of Object.entries(value)) {
      marks |= stringMarks(k) | templateMarks(v);
      if (marks === (HOLDS_VARIABLES | HOLDS_REFERENCES)) break;
    }
  marksOf.set(value, marks);
  return marks;
}
