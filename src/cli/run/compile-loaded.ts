/**
 * @module Compiles loaded policy documents of one kind: compiled ones are returned, the names of
 * those that fail go to `invalid` and their diagnostics, placed in the file, to `issues`.
 */
import type { Diagnostic, Result } from '../../engine/index.js';
import type { IoDiagnostic } from '../../io/codes.js';
import type { LoadedDocument } from '../../io/yaml/load-documents.js';
import { attachSource } from '../../io/yaml/source-map.js';

export interface CompileProblems {
  readonly invalid: string[];
  readonly issues: IoDiagnostic[];
}

export function compileAll<P extends { readonly metadata: { readonly name: string } }, C>(
  list: readonly { readonly policy: P; readonly source: LoadedDocument }[],
  compile: (p: P) => Result<C>,
  out: CompileProblems,
): C[] {
  const compiled: C[] = [];
  for (const lp of list) {
    const r = compile(lp.policy);
    if (r.ok) compiled.push(r.value);
    else {
      out.invalid.push(lp.policy.metadata.name);
      for (const d of r.issues as readonly Diagnostic[]) {
        out.issues.push(attachSource(d, lp.source));
      }
    }
  }
  return compiled;
}
