/**
 * @module CEL PolicyExceptions (policies.kyverno.io) of a policy set, indexed by the policy they name
 * (`policyRefs` kind + name) and compiled once per CEL environment they are used in (the policy
 * kind's; Kyverno compiles an exception's matchConditions with the policy that names it). An
 * exception whose matchConditions do not compile is bound to no policy; its problems are kept here,
 * against the exception, for the set to report on the exception's own document.
 */
import type { CelProgram } from '../../cel/compile.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { compileExpressions, type FieldCompiler } from '../cel-shared/compile-fields.js';
import type { CelPolicyException } from '../cel-shared/types.js';
import { exceptionKey } from './cel-exception.js';

/** A CEL PolicyException naming a policy, with its compiled `spec.matchConditions`. */
export interface CompiledCelException {
  readonly exception: CelPolicyException;
  readonly conditions: CelProgram[];
}

export interface CelExceptionIndex {
  readonly all: readonly CelPolicyException[];
  /** The exceptions whose `policyRefs` name this policy (exact name and kind), in order. */
  naming(policy: {
    readonly kind: string;
    readonly metadata: { readonly name: string };
  }): readonly CelPolicyException[];
  /** `exception` compiled in `c`'s environment (once per environment); undefined when it does not compile. */
  compile(exception: CelPolicyException, c: FieldCompiler): CompiledCelException | undefined;
  /** Compile problems so far, per exception (each reported once, whichever policy asked first). */
  readonly problems: ReadonlyMap<CelPolicyException, readonly Diagnostic[]>;
}

/**
 * Compiles the exception's matchConditions with `c`'s environment; problems name the exception
 * (`label`) and paths inside it.
 */
export function compileCelException(
  c: FieldCompiler,
  exception: CelPolicyException,
  label: string,
): { readonly compiled: CompiledCelException; readonly issues: readonly Diagnostic[] } {
  const issues: Diagnostic[] = [];
  const ec: FieldCompiler = { ...c, label, issues };
  const conditions = compileExpressions(ec, exception.spec?.matchConditions, 'matchConditions');
  return {
    compiled: { exception, conditions: conditions.filter((p): p is CelProgram => p !== undefined) },
    issues,
  };
}

function refKey(kind: string, name: string): string {
  return `${kind}\u0000${name}`;
}

function environmentKey(c: FieldCompiler): string {
  return `${c.kind}\u0000${c.variables.join(',')}`;
}

/** Indexes `exceptions` by the policies their `policyRefs` name. */
export function indexCelExceptions(exceptions: readonly CelPolicyException[]): CelExceptionIndex {
  const byRef = new Map<string, CelPolicyException[]>();
  for (const e of exceptions) {
    const refs = new Set((e.spec?.policyRefs ?? []).map((r) => refKey(String(r.kind), String(r.name))));
    for (const key of refs) {
      const list = byRef.get(key);
      if (list === undefined) byRef.set(key, [e]);
      else list.push(e);
    }
  }
  const compiled = new Map<CelPolicyException, Map<string, CompiledCelException | undefined>>();
  const problems = new Map<CelPolicyException, readonly Diagnostic[]>();
  return {
    all: exceptions,
    naming: (policy) => byRef.get(refKey(policy.kind, policy.metadata.name)) ?? [],
    compile(exception, c) {
      // A caller's own compiler (tests) is not part of the environment key: compile afresh.
      const env = c.compile === undefined ? environmentKey(c) : undefined;
      let perEnv = compiled.get(exception);
      if (perEnv === undefined) {
        perEnv = new Map();
        compiled.set(exception, perEnv);
      }
      if (env !== undefined && perEnv.has(env)) return perEnv.get(env);
      const r = compileCelException(c, exception, `PolicyException ${exceptionKey(exception)}`);
      const out = r.issues.length > 0 ? undefined : r.compiled;
      if (env !== undefined) perEnv.set(env, out);
      if (r.issues.length > 0 && !problems.has(exception)) problems.set(exception, r.issues);
      return out;
    },
    problems,
  };
}
