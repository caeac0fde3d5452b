/**
 * @module Static checks of `{{ }}` variables and JMESPath fields in a policy: each expression must
 * compile with the engine's JMESPath (Kyverno's grammar and function table).
 */
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Diagnostic, FieldPath } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { compileJmespath, JmespathError } from '../../jmespath/evaluate.js';

export interface TemplateVariable {
  /** The text between `{{` and `}}`, trimmed. */
  readonly expression: string;
  readonly start: number;
}

/**
 * Finds `{{ expr }}` occurrences the way Kyverno's RegexVariables does: not preceded by a backslash,
 * with at most one level of `{ }` inside (JMESPath multi-select hashes).
 */
export function findTemplateVariables(text: string): TemplateVariable[] {
  const out: TemplateVariable[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    if (open > 0 && text[open - 1] === '\\') {
      i = open + 2;
      continue;
    }
    let j = open + 2;
    let depth = 0;
    let closed = -1;
    while (j < text.length) {
      const c = text[j];
      if (c === '{') {
        depth++;
        if (depth > 1) break;
      } else if (c === '}') {
        if (depth > 0) depth--;
        else if (text[j + 1] === '}') {
          closed = j;
          break;
        } else break;
      }
      j++;
    }
    if (closed < 0) {
      i = open + 2;
      continue;
    }
    out.push({ expression: text.slice(open + 2, closed).trim(), start: open });
    i = closed + 2;
  }
  return out;
}

export interface JmespathProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** Both syntax errors and unknown function names are errors: the table holds all of Kyverno's functions. */
  readonly severity: 'error' | 'warning';
}

/** Why `expression` does not compile (syntax or unknown function), else undefined. Never throws. */
export function jmespathProblem(expression: string): JmespathProblem | undefined {
  try {
    compileJmespath(expression);
    return undefined;
  } catch (err) {
    if (err instanceof JmespathError && err.code === 'unknown-function') {
      return { code: 'jmespath/unknown-function', message: err.message, severity: 'error' };
    }
    const message = err instanceof Error ? err.message : 'invalid expression';
    return { code: 'jmespath/syntax-error', message, severity: 'error' };
  }
}

/** Expressions that still hold a nested variable cannot be checked before substitution. */
function checkable(expression: string): boolean {
  return !expression.includes('{{') && !expression.includes('}}');
}

/** Checks every `{{ }}` in every string (and key) under `value`. */
export function checkTemplateSyntax(value: unknown, path: FieldPath): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (v: unknown, p: FieldPath, depth: number): void => {
    if (depth > 256) return;
    if (typeof v === 'string') {
      out.push(...checkString(v, p));
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        visit(item, [...p, i], depth + 1);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        out.push(...checkString(k, [...p, k]));
        visit(child, [...p, k], depth + 1);
      }
    }
  };
  visit(value, path, 0);
  return out;
}

function checkString(text: string, path: FieldPath): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const v of findTemplateVariables(text)) {
    if (!checkable(v.expression) || v.expression === '') continue;
    const problem = jmespathProblem(v.expression);
    if (problem !== undefined) {
      const message = `invalid JMESPath in variable {{${v.expression}}}: ${problem.message}`;
      out.push(diagnostic(problem.code, message, path, { severity: problem.severity }));
    }
  }
  return out;
}

/** Checks a field that holds a bare JMESPath expression (`jmesPath`, `foreach.list`). */
export function checkJmespathField(expression: string, path: FieldPath): Diagnostic[] {
  // Kyverno skips expressions that contain variables: their final text is unknown until run time.
  if (findTemplateVariables(expression).length > 0 || !checkable(expression)) return [];
  if (expression.trim() === '') return [];
  const problem = jmespathProblem(expression);
  if (problem === undefined) return [];
  return [
    diagnostic(problem.code, `invalid JMESPath: ${problem.message}`, path, { severity: problem.severity }),
  ];
}
