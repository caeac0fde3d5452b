/**
 * @module The type schemas an offline run's MutatingPolicies merge ApplyConfiguration patches with,
 * as Kyverno's CLI does (its OpenAPI client: Kubernetes 1.32 builtins; no cluster offline). Loaded
 * only when a policy has such a mutation, so other runs never parse them.
 */
import { loadBuiltinTypeSchemas, type TypeSchemas } from '../engine/index.js';
import type { LoadedPolicies } from './files/policies.js';

/** The schemas `policies` need, or undefined when none has an ApplyConfiguration mutation. */
export async function typeSchemasFor(policies: LoadedPolicies): Promise<TypeSchemas | undefined> {
  const needed = policies.mutatingPolicies.some((p) =>
    (p.policy.spec?.mutations ?? []).some((m) => m?.patchType === 'ApplyConfiguration'),
  );
  return needed ? loadBuiltinTypeSchemas() : undefined;
}
