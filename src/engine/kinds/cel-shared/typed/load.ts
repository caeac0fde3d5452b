/**
 * @module Loading the Kubernetes 1.32 built-in type schemas on demand: a dynamic import, so the
 * data (its own chunk in the bundle) is parsed only by runs that have a MutatingPolicy with an
 * ApplyConfiguration mutation, never at start-up.
 */
import type { TypeSchemas } from './schema.js';

/** The Kubernetes 1.32 built-in type schemas (Kyverno's CLI: kubectl-validate's hard-coded builtins). */
export async function loadBuiltinTypeSchemas(): Promise<TypeSchemas> {
  return (await import('./builtins-1.32.generated.js')).BUILTIN_TYPE_SCHEMAS;
}
