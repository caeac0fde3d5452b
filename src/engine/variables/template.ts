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
