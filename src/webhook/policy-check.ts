/** @module The policy check `/policyvalidate` answers with: the CLI's loader, diagnostics as lines. */
import { checkPolicyObject, diagnosticLine } from '../io/policy-object-check.js';
import type { PolicyVerdict } from './handlers/policy-validate.js';

export async function checkPolicy(object: unknown): Promise<PolicyVerdict> {
  const r = await checkPolicyObject(object);
  return { errors: r.errors.map(diagnosticLine), warnings: r.warnings.map(diagnosticLine) };
}
