/**
 * @module The compile skeleton every policies.kyverno.io kind shares (ValidatingPolicy,
 * MutatingPolicy, GeneratingPolicy, DeletingPolicy, ImageValidatingPolicy and their namespaced
 * variants): one field compiler for the kind's CEL environment collecting problems as diagnostics
 * with field paths, the kind's own fields (matchConditions and variables in declaration order, then
 * what the kind adds), the CEL PolicyExceptions that name the policy, the policy's key and
 * namespace. A new CEL kind supplies its environment and its own fields, nothing else.
 */
import type { CelPolicyKind, CelProgram } from '../../cel/compile.js';
import type { Diagnostic, Result } from '../../diagnostics/diagnostic.js';
import type { ObjectMeta } from '../../model/kube-object.js';
import { exceptionKey } from '../policy-exception/cel-exception.js';
import {
  type CelExceptionIndex,
  type CompiledCelException,
  compileCelException,
  indexCelExceptions,
} from '../policy-exception/cel-exception-index.js';
import type { AutogenFamily } from './autogen.js';
import {
  type CelCompile,
  compileDeclaredVariables,
  compileExpressions,
  compileField,
  compileFieldOnce,
  compileNamedExpressions,
  compileWithAutogen,
  type FieldCompile,
  type FieldCompiler,
  fieldCompiler,
  type NamedProgram,
  policyScope,
  variableNames,
  withDeclaredVariables,
} from './compile-fields.js';
import type { CelPolicyException, MatchConstraints, NamedExpression } from './types.js';

export type { CompiledCelException } from '../policy-exception/cel-exception-index.js';

/**
 * The CEL PolicyExceptions a policy compiles with: a plain list (those naming the policy are
 * compiled in; their problems are the policy's, as in Kyverno), or a policy set's index (an
 * exception that does not compile is bound to nothing and reported on its own document).
 */
export type CelExceptionSource = readonly CelPolicyException[] | CelExceptionIndex;

/** What a caller may pass when compiling a CEL policy. */
export interface CelPolicyCompileOptions {
  readonly compile?: CelCompile;
  /** CEL PolicyExceptions; those whose `policyRefs` name this policy are compiled in. */
  readonly exceptions?: CelExceptionSource;
}

/** A CEL kind's environment. */
export interface CelKindShape {
  readonly celKind: CelPolicyKind;
  /** The CEL variables its expressions may use. */
  readonly variables: readonly string[];
  /** Its namespaced variant (e.g. `NamespacedValidatingPolicy`), confined to its namespace. */
  readonly namespacedKind: string;
}

interface CelPolicyDocument {
  readonly kind: string;
  readonly metadata: ObjectMeta & { readonly name: string };
  readonly spec?: unknown;
}

/** What every compiled CEL policy holds besides its kind's fields. */
export interface CompiledCelPolicyCore<P> {
  readonly policy: P;
  /** `name`, or `namespace/name` for a namespaced kind. */
  readonly key: string;
  /** The namespace a namespaced kind is confined to. */
  readonly namespace?: string;
  readonly exceptions: readonly CompiledCelException[];
}

function isIndex(source: CelExceptionSource): source is CelExceptionIndex {
  return !Array.isArray(source);
}

/** The exceptions naming `policy`, compiled in `c`'s environment. */
export function bindCelExceptions(
  c: FieldCompiler,
  policy: { readonly kind: string; readonly metadata: { readonly name: string } },
  source: CelExceptionSource | undefined,
): CompiledCelException[] {
  if (source === undefined) return [];
  const out: CompiledCelException[] = [];
  if (isIndex(source)) {
    for (const e of source.naming(policy)) {
      const compiled = source.compile(e, c);
      if (compiled !== undefined) out.push(compiled);
    }
    return out;
  }
  for (const e of indexCelExceptions(source).naming(policy)) {
    const r = compileCelException(c, e, `policy ${c.policyName} (exception ${exceptionKey(e)})`);
    c.issues.push(...r.issues);
    out.push(r.compiled);
  }
  return out;
}

/**
 * Runs `compileFields` with a field compiler for `shape`'s environment; any problem it records
 * fails the whole document. Never throws.
 */
export function compileCelFields<T>(
  name: string,
  shape: Pick<CelKindShape, 'celKind' | 'variables'>,
  options: Pick<CelPolicyCompileOptions, 'compile'>,
  compileFields: (c: FieldCompiler) => T,
): Result<T> {
  const issues: Diagnostic[] = [];
  const value = compileFields(fieldCompiler(shape.celKind, shape.variables, name, issues, options));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, warnings: [], value };
}

/**
 * Compiles a CEL policy: `compileFields` compiles the kind's own fields, then the exceptions naming
 * the policy are bound. Never throws.
 */
export function compileCelPolicy<P extends CelPolicyDocument, T extends object>(
  policy: P,
  shape: CelKindShape,
  options: CelPolicyCompileOptions,
  compileFields: (c: FieldCompiler, spec: NonNullable<P['spec']>) => T,
): Result<CompiledCelPolicyCore<P> & T> {
  return compileCelFields(policy.metadata.name, shape, options, (c) => {
    const fields = compileFields(c, (policy.spec ?? {}) as NonNullable<P['spec']>);
    const exceptions = bindCelExceptions(c, policy, options.exceptions);
    return { policy, ...policyScope(policy, shape.namespacedKind), exceptions, ...fields };
  });
}

/** The policy, or one of its autogen rewrites: a complete, independently evaluated spec. */
export interface CompiledVariantCore {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
}

interface VariantSpec {
  readonly matchConstraints?: MatchConstraints;
  readonly matchConditions?: readonly NamedExpression[];
  readonly variables?: readonly NamedExpression[];
}

/**
 * The policy's spec, then its autogen variants (`autogen`), each compiled the same way:
 * matchConditions and variables in declaration order, then the kind's own fields (`compileRest`,
 * given the field compile to use; it may read every variable). `matchConditionsSeeVariables`: the
 * match conditions may read every variable too (else none). Variants rewrite the policy's own fields, so a problem is
 * reported once, at the policy's field; a variant with problems is left out.
 */
export function compileVariants<S extends VariantSpec, T extends object>(
  c: FieldCompiler,
  spec: S,
  autogen: (spec: S) => readonly { readonly spec: S; readonly family: AutogenFamily }[],
  compileRest: (c: FieldCompiler, spec: S, compile: FieldCompile) => T,
  matchConditionsSeeVariables = false,
): (CompiledVariantCore & T)[] {
  return compileWithAutogen(c, spec, autogen, (c, spec, family) => {
    const before = c.issues.length;
    const declared = variableNames(spec.variables);
    // Kyverno compiles a ValidatingPolicy's matchConditions before registering any variable, a
    // MutatingPolicy's after all of them.
    const matchConditions = compilePrograms(
      withDeclaredVariables(c, matchConditionsSeeVariables ? declared : []),
      spec.matchConditions,
      'matchConditions',
      compileFieldOnce,
    );
    const variables = compiledOnly(compileDeclaredVariables(c, spec.variables, compileFieldOnce));
    const rest = compileRest(withDeclaredVariables(c, declared), spec, compileFieldOnce);
    if (c.issues.length > before) return undefined;
    return {
      ...(family !== undefined ? { autogen: family } : {}),
      ...(spec.matchConstraints !== undefined ? { matchConstraints: spec.matchConstraints } : {}),
      matchConditions,
      variables,
      ...rest,
    };
  });
}

/**
 * `spec.<field>[i].expression` compiled in order. Entries that failed are left out: the caller's
 * result is discarded whenever a problem was recorded.
 */
export function compilePrograms(
  c: FieldCompiler,
  list: readonly { readonly expression?: unknown }[] | undefined,
  field: string,
  compile: FieldCompile = compileField,
): CelProgram[] {
  return compileExpressions(c, list, field, compile).filter((p): p is CelProgram => p !== undefined);
}

/** `spec.<field>[i]` (variables, image extractors) as named programs, in declaration order. */
export function compileNamedPrograms(
  c: FieldCompiler,
  list: readonly NamedExpression[] | undefined,
  field: string,
  compile: FieldCompile = compileField,
): NamedProgram[] {
  return compileNamedExpressions(c, list, field, compile).filter((p): p is NamedProgram => p !== undefined);
}

/** A list compiled entry by entry; entries that failed are left out (see compilePrograms). */
export function compiledOnly<T>(list: readonly (T | undefined)[]): T[] {
  return list.filter((x): x is T => x !== undefined);
}
