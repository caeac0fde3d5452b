/**
 * @module One policy object, as the API server sends it to the policy-validation webhook, checked
 * with exactly what `palisade apply` and `serve --policies` load with: the same decoder (schema and
 * rule checks) and the same compilation (JMESPath, CEL, patterns), so a policy the cluster accepts
 * is one the CLI accepts, with the same diagnostics.
 */
import { compilePolicySet, formatFieldPath, loadGlobalContextEntry } from '../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from './codes.js';
import { decodePolicyDocuments } from './files/policies.js';
import { getPolicyDecoder } from './files/policy-decoder.js';
import { policyDocuments } from './policy-documents.js';
import { loadDocuments } from './yaml/load-documents.js';
import { attachSource } from './yaml/source-map.js';

export interface PolicyCheck {
  readonly errors: readonly IoDiagnostic[];
  readonly warnings: readonly IoDiagnostic[];
}

/** `field.path: message`, the form a denial and a warning show each diagnostic in. */
export function diagnosticLine(d: IoDiagnostic): string {
  const path = formatFieldPath(d.path);
  return path === '' ? d.message : `${path}: ${d.message}`;
}

export async function checkPolicyObject(object: unknown, name = 'request.object'): Promise<PolicyCheck> {
  if ((object as { kind?: unknown } | null)?.kind === 'GlobalContextEntry') {
    // Not a policy: Kyverno's GlobalContextEntry validation (spec.Validate), nothing compiled.
    const r = loadGlobalContextEntry(object);
    const issues = r.ok ? r.warnings : r.issues;
    return {
      errors: issues.filter((d) => d.severity === 'error'),
      warnings: issues.filter((d) => d.severity !== 'error'),
    };
  }
  const loaded = loadDocuments(JSON.stringify(object), name);
  const decoder = await getPolicyDecoder();
  const policies = decodePolicyDocuments(loaded, decoder);
  const issues: IoDiagnostic[] = [...policies.issues];
  for (const u of policies.unsupported)
    issues.push(
      ioDiagnostic('policy/unsupported-kind', `${u.kind} ${u.name}: ${u.reason}`, { severity: 'warning' }),
    );
  const compiled = compilePolicySet(policyDocuments(policies));
  for (const d of compiled.diagnostics) issues.push(attachSource(d.diagnostic, d.source));
  return {
    errors: issues.filter((d) => d.severity === 'error'),
    warnings: issues.filter((d) => d.severity !== 'error'),
  };
}
