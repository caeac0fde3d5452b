/**
 * @module Shared compile/evaluate steps of the rule-less CEL kinds (GeneratingPolicy, DeletingPolicy,
 * ImageValidatingPolicy, ValidatingAdmissionPolicy): compile one policy field into a program with a
 * diagnostic naming the field path, and evaluate a list of match conditions Kubernetes-style.
 */
import { type CelPolicyKind, type CelProgram, compileCel } from '../cel/compile.js';
import { CelCompileError } from '../cel/errors.js';
import { type CelActivation, CelLazyMap } from '../cel/values.js';
import type { Diagnostic, FieldPath } from '../diagnostics/diagnostic.js';
import { diagnostic, formatFieldPath } from '../diagnostics/diagnostic.js';
import type { Ports } from '../ports.js';
import { errorMessage } from '../verdict/rule-result.js';
import type { CelCompile } from './validating-policy.js';

export interface FieldCompiler {
  readonly kind: CelPolicyKind;
  readonly variables: readonly string[];
  readonly policyName: string;
  readonly compile?: CelCompile;
  readonly ports?: Ports;
  /** Compile problems are collected here; the failing field yields undefined. */
  readonly issues: Diagnostic[];
}

/** Compiles `expression` at `path`; on failure records a diagnostic and returns undefined. */
export function compileField(c: FieldCompiler, expression: unknown, path: FieldPath): CelProgram | undefined {
  const where = formatFieldPath(path);
  if (typeof expression !== 'string' || expression.trim() === '') {
    c.issues.push(
      diagnostic('policy/missing-field', `policy ${c.policyName}: ${where} must be a CEL expression`, path),
    );
    return undefined;
  }
  try {
    return (c.compile ?? compileCel)(expression, {
      variables: c.variables,
      kind: c.kind,
      ...(c.ports !== undefined ? { ports: c.ports } : {}),
    });
  } catch (e) {
    const at =
      e instanceof CelCompileError && e.line !== undefined
        ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})`
        : '';
    c.issues.push(
      diagnostic(
        'cel/compile-error',
        `policy ${c.policyName}: ${where}${at}: compilation failed: ${errorMessage(e)}`,
        path,
      ),
    );
    return undefined;
  }
}

/** A match condition failed to evaluate (and failurePolicy is Fail). */
export class MatchConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchConditionError';
  }
}

/**
 * Kubernetes match conditions: any false → false; otherwise errors → `MatchConditionError`
 * (or false with failurePolicy Ignore); all true → true.
 */
export function matchAllConditions(
  programs: readonly CelProgram[],
  activation: CelActivation,
  failurePolicy: 'Fail' | 'Ignore' = 'Fail',
): boolean {
  const errors: string[] = [];
  for (const p of programs) {
    let out: unknown;
    try {
      out = p.evaluate(activation);
    } catch (e) {
      errors.push(errorMessage(e));
      continue;
    }
    if (typeof out !== 'boolean') {
      errors.push(`expected a bool result, got ${out === null ? 'null' : typeof out}`);
      continue;
    }
    if (!out) return false;
  }
  if (errors.length === 0) return true;
  if (failurePolicy === 'Ignore') return false;
  throw new MatchConditionError(errors.join('; '));
}

/** Binds `variables` as a lazy map on `values` (evaluated on first use, like Kyverno's lazy map). */
export function bindLazyVariables(
  values: Record<string, unknown>,
  variables: readonly { readonly name: string; readonly program: CelProgram }[],
  activation: CelActivation,
): void {
  const lazy: Record<string, () => unknown> = {};
  for (const { name, program } of variables) lazy[name] = () => program.evaluateRaw(activation);
  values.variables = new CelLazyMap(lazy).celValue;
}
