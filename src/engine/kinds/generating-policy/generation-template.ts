/**
 * @module GeneratingPolicy `generate[].template`: a YAML string (one or more documents) describing
 * the objects to generate. With `interpolate: cel`, `(( expr ))` placeholders are CEL: a scalar that
 * is exactly one placeholder is replaced by the value (any type); placeholders inside a longer
 * string must yield scalars and are joined as text. `\((` writes a literal `((`. Placeholders in
 * mapping keys are rejected (Kyverno pkg/cel/policies/gpol/template).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { CelProgram } from '../../cel/compile.js';
import type { CelActivation } from '../../cel/values.js';
import type { EvaluationRuntime } from '../../runtime.js';

/** A template problem found while compiling or rendering (message includes the line when known). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

interface Segment {
  readonly literal?: string;
  readonly expression?: string;
}

type TemplateNode =
  | { readonly t: 'literal'; readonly value: unknown }
  | { readonly t: 'map'; readonly entries: readonly (readonly [string, TemplateNode])[] }
  | { readonly t: 'seq'; readonly items: readonly TemplateNode[] }
  | { readonly t: 'splice'; readonly program: CelProgram; readonly expression: string }
  | {
      readonly t: 'interp';
      readonly parts: readonly (string | { program: CelProgram; expression: string })[];
    };

export interface CompiledTemplate {
  readonly documents: readonly TemplateNode[];
}

/** Splits a scalar into literal text and `(( ))` expressions; aware of nesting and CEL strings. */
export function scanPlaceholders(s: string): Segment[] {
  const out: Segment[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') out.push({ literal });
    literal = '';
  };
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('\\((', i)) {
      literal += '((';
      i += 3;
      continue;
    }
    if (s.startsWith('((', i)) {
      const { expression, next } = scanOne(s, i);
      flush();
      out.push({ expression });
      i = next;
      continue;
    }
    literal += s[i];
    i++;
  }
  flush();
  return out;
}

function scanOne(s: string, start: number): { expression: string; next: number } {
  let depth = 0;
  let quote = '';
  let i = start + 2;
  while (i < s.length) {
    const c = s[i]!;
    if (quote !== '') {
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === quote) quote = '';
      i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth > 0) depth--;
      else if (s[i + 1] === ')') {
        const expression = s.slice(start + 2, i).trim();
        if (expression === '') throw new TemplateError(`empty placeholder at offset ${start}`);
        return { expression, next: i + 2 };
      } else {
        throw new TemplateError(`unbalanced parenthesis in placeholder starting at offset ${start}`);
      }
    }
    i++;
  }
  if (quote !== '')
    throw new TemplateError(`unterminated string literal in placeholder starting at offset ${start}`);
  throw new TemplateError(`unterminated placeholder starting at offset ${start}: missing closing '))'`);
}

function hasPlaceholder(s: string): boolean {
  return s.replaceAll('\\((', '').includes('((');
}

function nodeHasPlaceholder(n: unknown): boolean {
  if (isAlias(n)) return false;
  if (isScalar(n))
    return typeof n.value === 'string' && (hasPlaceholder(n.value) || n.value.includes('\\(('));
  if (isMap(n)) return n.items.some((p) => nodeHasPlaceholder(p.key) || nodeHasPlaceholder(p.value));
  if (isSeq(n)) return n.items.some(nodeHasPlaceholder);
  return false;
}

/**
 * Parses and compiles a template; `compileExpression` compiles one placeholder (it throws with a
 * message on CEL errors). Throws `TemplateError` naming the line of the problem.
 */
export function compileTemplate(
  value: string,
  interpolate: boolean,
  compileExpression: (expression: string) => CelProgram,
): CompiledTemplate {
  const lines = new LineCounter();
  const docs = parseAllDocuments(value, { lineCounter: lines });
  if (!Array.isArray(docs)) throw new TemplateError('failed to parse YAML: empty template');
  const lineOf = (n: unknown): number => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range !== undefined ? lines.linePos(range[0]).line : 0;
  };
  const out: TemplateNode[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new TemplateError(`failed to parse YAML: ${doc.errors[0]!.message}`);
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    const compileNode = (n: unknown): TemplateNode => {
      if (!interpolate || !nodeHasPlaceholder(n)) {
        return { t: 'literal', value: n === null ? null : (n as Node).toJS(doc) };
      }
      if (isMap(n)) {
        const entries: (readonly [string, TemplateNode])[] = [];
        for (const pair of n.items) {
          const key = pair.key;
          if (!isScalar(key))
            throw new TemplateError(`line ${lineOf(key)}: only scalar mapping keys are supported`);
          const k = String(key.value);
          if (hasPlaceholder(k)) {
            throw new TemplateError(
              `line ${lineOf(key)}: placeholders are not supported in mapping keys; use a whole-value placeholder on the parent field instead (e.g. \`labels: (( variables.labels ))\`)`,
            );
          }
          if (k === '<<') {
            throw new TemplateError(
              `line ${lineOf(key)}: YAML merge keys are not supported in subtrees containing placeholders`,
            );
          }
          entries.push([k, compileNode(pair.value)]);
        }
        return { t: 'map', entries };
      }
      if (isSeq(n)) return { t: 'seq', items: n.items.map(compileNode) };
      if (isScalar(n) && typeof n.value === 'string')
        return compileScalar(n.value, lineOf(n), compileExpression);
      throw new TemplateError(`line ${lineOf(n)}: unsupported YAML node`);
    };
    const compiled = compileNode(root);
    const mappingRoot =
      compiled.t === 'map' ||
      compiled.t === 'splice' ||
      (compiled.t === 'literal' &&
        compiled.value !== null &&
        typeof compiled.value === 'object' &&
        !Array.isArray(compiled.value));
    if (!mappingRoot)
      throw new TemplateError(`line ${lineOf(root)}: document must be a mapping describing a resource`);
    out.push(compiled);
  }
  if (out.length === 0) throw new TemplateError('template must contain at least one YAML document');
  return { documents: out };
}

function compileScalar(
  text: string,
  line: number,
  compileExpression: (expression: string) => CelProgram,
): TemplateNode {
  let segments: Segment[];
  try {
    segments = scanPlaceholders(text);
  } catch (e) {
    throw new TemplateError(`line ${line}: ${(e as Error).message}`);
  }
  const compile = (expression: string): CelProgram => {
    try {
      return compileExpression(expression);
    } catch (e) {
      throw new TemplateError(
        `line ${line}: invalid placeholder expression ${JSON.stringify(expression)}: ${(e as Error).message}`,
      );
    }
  };
  const exprs = segments.filter((s) => s.expression !== undefined);
  if (exprs.length === 0) return { t: 'literal', value: segments.map((s) => s.literal ?? '').join('') };
  if (segments.length === 1) {
    const expression = segments[0]!.expression!;
    return { t: 'splice', program: compile(expression), expression };
  }
  return {
    t: 'interp',
    parts: segments.map((s) =>
      s.expression === undefined
        ? (s.literal ?? '')
        : { program: compile(s.expression), expression: s.expression },
    ),
  };
}

function render(n: TemplateNode, activation: CelActivation, runtime: EvaluationRuntime): unknown {
  switch (n.t) {
    case 'literal':
      return structuredClone(n.value);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of n.entries) {
        try {
          out[k] = render(v, activation, runtime);
        } catch (e) {
          throw new TemplateError(`field ${JSON.stringify(k)}: ${(e as Error).message}`);
        }
      }
      return out;
    }
    case 'seq':
      return n.items.map((item, i) => {
        try {
          return render(item, activation, runtime);
        } catch (e) {
          throw new TemplateError(`item ${i}: ${(e as Error).message}`);
        }
      });
    case 'splice':
      return evaluatePlaceholder(n.program, n.expression, activation, runtime);
    case 'interp': {
      let s = '';
      for (const part of n.parts) {
        if (typeof part === 'string') {
          s += part;
          continue;
        }
        const v = evaluatePlaceholder(part.program, part.expression, activation, runtime);
        if (typeof v === 'string') s += v;
        else if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') s += String(v);
        else {
          throw new TemplateError(
            `placeholder ${JSON.stringify(part.expression)} embedded in a string must evaluate to a scalar; use a whole-value placeholder for structured results`,
          );
        }
      }
      return s;
    }
  }
}

function evaluatePlaceholder(
  program: CelProgram,
  expression: string,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): unknown {
  try {
    return program.evaluate(activation, runtime);
  } catch (e) {
    throw new TemplateError(
      `failed to evaluate placeholder ${JSON.stringify(expression)}: ${(e as Error).message}`,
    );
  }
}

/** Renders every document; throws `TemplateError` ("document N: ...") on evaluation problems. */
export function renderTemplate(
  template: CompiledTemplate,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): Record<string, unknown>[] {
  return template.documents.map((doc, i) => {
    let v: unknown;
    try {
      v = render(doc, activation, runtime);
    } catch (e) {
      throw new TemplateError(`document ${i + 1}: ${(e as Error).message}`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new TemplateError(`document ${i + 1}: expected a mapping describing a resource`);
    }
    return v as Record<string, unknown>;
  });
}
