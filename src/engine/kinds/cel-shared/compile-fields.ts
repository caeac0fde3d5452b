/**
 * @module Shared compile/evaluate steps of the CEL policy kinds: compile one policy field (or a list
 * of them) into programs with diagnostics naming the field path, the policy's key, and evaluate a
 * list of match conditions Kubernetes-style.
 */
import {
  type CelEnvironmentOptions,
  type CelPolicyKind,
  type CelProgram,
  celProgramKey,
  compileCel,
} from '../../cel/compile.js';
import { CelCompileError } from '../../cel/errors.js';
import { type CelActivation, type LazyNames, lazyView } from '../../cel/values.js';
import type { Diagnostic, FieldPath } from '../../diagnostics/diagnostic.js';
import { diagnostic, formatFieldPath } from '../../diagnostics/diagnostic.js';
import type { ObjectMeta } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage } from '../../verdict/rule-result.js';
import type { AutogenFamily } from './autogen.js';
import type { NamedExpression } from './types.js';

/** The CEL compiler a policy is compiled with (default: `compileCel`). */
export type CelCompile = (expression: string, options: CelEnvironmentOptions) => CelProgram;

export interface FieldCompiler {
  readonly kind: CelPolicyKind;
  readonly variables: readonly string[];
  readonly policyName: string;
  /** What messages name the document by; default `policy <policyName>`. */
  readonly label?: string;
  readonly compile?: CelCompile;
  /** Compile problems are collected here; the failing field yields undefined. */
  readonly issues: Diagnostic[];
  /** The policy's programs by expression and environment: its autogen variants repeat expressions. */
  readonly programs?: Map<string, CelProgram>;
  /**
   * The `spec.variables` names a field compiled now may read as `variables.<name>`; unset: not
   * checked. Kyverno declares `variables` as an object type whose fields are registered as each
   * variable compiles, so a field compiled before a variable (or a name never declared) is a
   * compile error: `undefined field 'name'`.
   */
  readonly declaredVariables?: ReadonlySet<string>;
}

/** `c` for fields that may read exactly the variables `names` (see `declaredVariables`). */
export function withDeclaredVariables(c: FieldCompiler, names: Iterable<string>): FieldCompiler {
  return { ...c, declaredVariables: new Set(names) };
}

/** The names of a `spec.variables` list (what Kyverno registers, in order). */
export function variableNames(list: readonly NamedExpression[] | undefined): string[] {
  return (list ?? []).map((v) => String(v?.name ?? ''));
}

/**
 * `spec.variables` in order, each able to read the variables before it only (Kyverno registers a
 * variable's field once its expression compiled). Undefined where compiling failed.
 */
export function compileDeclaredVariables(
  c: FieldCompiler,
  list: readonly NamedExpression[] | undefined,
  compile: FieldCompile = compileField,
): (NamedProgram | undefined)[] {
  const names = variableNames(list);
  return (list ?? []).map((v, i) => {
    const program = compile(withDeclaredVariables(c, names.slice(0, i)), v?.expression, [
      'spec',
      'variables',
      i,
      'expression',
    ]);
    return program === undefined ? undefined : { name: names[i] ?? '', program };
  });
}

/** The compiler a caller may pass when compiling a policy (ports come with each evaluation). */
export interface FieldCompilerOptions {
  readonly compile?: CelCompile;
}

/** A FieldCompiler for one policy, recording problems in `issues`. */
export function fieldCompiler(
  kind: CelPolicyKind,
  variables: readonly string[],
  policyName: string,
  issues: Diagnostic[],
  options: FieldCompilerOptions,
): FieldCompiler {
  return {
    kind,
    variables,
    policyName,
    issues,
    ...(options.compile !== undefined ? { compile: options.compile } : { programs: new Map() }),
  };
}

/** Compiles with the caller's compiler, or once per policy with `compileCel`. Throws its errors. */
function programFor(c: FieldCompiler, expression: string): CelProgram {
  const options = { variables: c.variables, kind: c.kind };
  if (c.compile !== undefined || c.programs === undefined)
    return (c.compile ?? compileCel)(expression, options);
  const key = celProgramKey(expression, options);
  let program = c.programs.get(key);
  if (program === undefined) {
    program = compileCel(expression, options);
    c.programs.set(key, program);
  }
  return program;
}

function undeclaredRead(
  c: FieldCompiler,
  program: CelProgram,
): CelProgram['variableReads'][number] | undefined {
  const declared = c.declaredVariables;
  if (declared === undefined) return undefined;
  return program.variableReads.find((r) => !declared.has(r.name));
}

function compileOutcome(
  c: FieldCompiler,
  expression: unknown,
  path: FieldPath,
): { readonly program: CelProgram } | { readonly issue: Diagnostic } {
  const where = formatFieldPath(path);
  const subject = c.label ?? `policy ${c.policyName}`;
  if (typeof expression !== 'string' || expression.trim() === '') {
    return {
      issue: diagnostic('policy/missing-field', `${subject}: ${where} must be a CEL expression`, path),
    };
  }
  try {
    const program = programFor(c, expression);
    const undeclared = undeclaredRead(c, program);
    if (undeclared !== undefined) {
      const { name, line, column } = undeclared;
      return {
        issue: diagnostic(
          'cel/compile-error',
          `${subject}: ${where} (line ${line}, column ${column}): compilation failed: undefined field '${name}' (spec.variables declares no '${name}' before this field)`,
          path,
          { valuePosition: { line, column } },
        ),
      };
    }
    return { program };
  } catch (e) {
    const at =
      e instanceof CelCompileError && e.line !== undefined
        ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})`
        : '';
    // The expression-relative position lets the io layer point at the offending character in the file.
    const valuePosition =
      e instanceof CelCompileError && e.line !== undefined
        ? { line: e.line, column: e.column ?? 1 }
        : undefined;
    return {
      issue: diagnostic(
        'cel/compile-error',
        `${subject}: ${where}${at}: compilation failed: ${errorMessage(e)}`,
        path,
        valuePosition !== undefined ? { valuePosition } : {},
      ),
    };
  }
}

/** Compiles `expression` at `path`; on failure records a diagnostic and returns undefined. */
export function compileField(c: FieldCompiler, expression: unknown, path: FieldPath): CelProgram | undefined {
  const r = compileOutcome(c, expression, path);
  if ('program' in r) return r.program;
  c.issues.push(r.issue);
  return undefined;
}

/**
 * Like `compileField`, but a problem already recorded (same message) is not recorded again:
 * autogen variants are rewrites of the policy's own fields and would repeat it.
 */
export function compileFieldOnce(
  c: FieldCompiler,
  expression: unknown,
  path: FieldPath,
): CelProgram | undefined {
  const r = compileOutcome(c, expression, path);
  if ('program' in r) return r.program;
  if (!c.issues.some((d) => d.message === r.issue.message)) c.issues.push(r.issue);
  return undefined;
}

export type FieldCompile = (c: FieldCompiler, expression: unknown, path: FieldPath) => CelProgram | undefined;

/** `spec.<field>[i].expression` of each entry; undefined where compiling failed. */
export function compileExpressions(
  c: FieldCompiler,
  list: readonly { readonly expression?: unknown }[] | undefined,
  field: string,
  compile: FieldCompile = compileField,
): (CelProgram | undefined)[] {
  return (list ?? []).map((m, i) => compile(c, m?.expression, ['spec', field, i, 'expression']));
}

/** A compiled named expression (a variable, an image extractor). */
export interface NamedProgram {
  readonly name: string;
  readonly program: CelProgram;
}

/** `spec.<field>[i]` as name and program; undefined where compiling failed. */
export function compileNamedExpressions(
  c: FieldCompiler,
  list: readonly NamedExpression[] | undefined,
  field: string,
  compile: FieldCompile = compileField,
): (NamedProgram | undefined)[] {
  return (list ?? []).map((v, i) => {
    const program = compile(c, v?.expression, ['spec', field, i, 'expression']);
    return program === undefined ? undefined : { name: String(v?.name ?? ''), program };
  });
}

/**
 * The policy's own spec, then (when it compiled cleanly) each of its autogen variants; a variant
 * with problems is left out. Anything else going wrong is one `cel/compile-error` on `spec`.
 */
export function compileWithAutogen<S, V>(
  c: FieldCompiler,
  spec: S,
  autogen: (spec: S) => readonly { readonly spec: S; readonly family: AutogenFamily }[],
  compileVariant: (c: FieldCompiler, spec: S, family: AutogenFamily | undefined) => V | undefined,
): V[] {
  const variants: V[] = [];
  try {
    const main = compileVariant(c, spec, undefined);
    if (main !== undefined) variants.push(main);
    if (c.issues.length === 0) {
      for (const v of autogen(spec)) {
        const compiled = compileVariant(c, v.spec, v.family);
        if (compiled !== undefined) variants.push(compiled);
      }
    }
  } catch (e) {
    c.issues.push(diagnostic('cel/compile-error', `policy ${c.policyName}: ${errorMessage(e)}`, ['spec']));
  }
  return variants;
}

/**
 * `key` (`name`, or `namespace/name`) and the namespace a policy of `namespacedKind` is confined
 * to (its own, `default` when unset).
 */
export function policyScope(
  policy: { readonly kind: string; readonly metadata: ObjectMeta & { readonly name: string } },
  namespacedKind: string,
): { readonly key: string; readonly namespace?: string } {
  const name = policy.metadata.name;
  const namespace = policy.kind === namespacedKind ? (policy.metadata.namespace ?? 'default') : undefined;
  return namespace !== undefined ? { key: `${namespace}/${name}`, namespace } : { key: name };
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
  runtime: EvaluationRuntime,
  failurePolicy: 'Fail' | 'Ignore' = 'Fail',
): boolean {
  const errors: string[] = [];
  for (const p of programs) {
    let out: unknown;
    try {
      out = p.evaluate(activation, runtime);
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

type VariableList = readonly { readonly name: string; readonly program: CelProgram }[];

interface VariableShape extends LazyNames {
  /** The program of each name (a name declared twice: its place is the first, its program the last). */
  readonly programs: ReadonlyMap<string, CelProgram>;
}

// Per compiled variable list: its names and programs, worked out once rather than per evaluation.
const shapes = new WeakMap<VariableList, VariableShape>();

function shapeOf(variables: VariableList): VariableShape {
  let shape = shapes.get(variables);
  if (shape === undefined) {
    const programs = new Map<string, CelProgram>();
    for (const { name, program } of variables) programs.set(name, program);
    const names = [...programs.keys()];
    shape = { names, known: new Set(names), programs };
    shapes.set(variables, shape);
  }
  return shape;
}

/** Binds `variables` as a lazy map on `values` (evaluated on first use, like Kyverno's lazy map). */
export function bindLazyVariables(
  values: Record<string, unknown>,
  variables: VariableList,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): void {
  const shape = shapeOf(variables);
  values.variables = lazyView(shape, (name) =>
    (shape.programs.get(name) as CelProgram).evaluateRaw(activation, runtime),
  );
}
