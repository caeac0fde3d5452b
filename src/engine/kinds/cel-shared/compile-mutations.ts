/**
 * @module `spec.mutations` of MutatingPolicy and MutatingAdmissionPolicy: each entry's
 * `applyConfiguration.expression` or `jsonPatch.expression` (by `patchType`) compiled in order.
 */
import type { CelProgram } from '../../cel/compile.js';
import type { Mutation, PatchType } from '../mutating-policy/types.js';
import { compiledOnly } from './compile-cel-policy-core.js';
import { compileField, type FieldCompile, type FieldCompiler } from './compile-fields.js';

export interface CompiledMutation {
  readonly patchType: PatchType;
  readonly program: CelProgram;
}

/** Entries that failed are left out: the caller's result is discarded once a problem is recorded. */
export function compileMutations(
  c: FieldCompiler,
  mutations: readonly Mutation[] | undefined,
  compile: FieldCompile = compileField,
): CompiledMutation[] {
  return compiledOnly(
    (mutations ?? []).map((m, i) => {
      const patchType: PatchType = m?.patchType === 'JSONPatch' ? 'JSONPatch' : 'ApplyConfiguration';
      const field = patchType === 'JSONPatch' ? 'jsonPatch' : 'applyConfiguration';
      const expression =
        patchType === 'JSONPatch' ? m?.jsonPatch?.expression : m?.applyConfiguration?.expression;
      const program = compile(c, expression, ['spec', 'mutations', i, field, 'expression']);
      return program === undefined ? undefined : { patchType, program };
    }),
  );
}
