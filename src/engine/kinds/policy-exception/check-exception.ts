/**
 * @module Compile-time checks of a kyverno.io PolicyException's `spec.match` beyond its schema:
 * a match that can select nothing (no `any`/`all` filter, a kind selector of more than four
 * segments), and user info in a background exception, which Kyverno's admission webhook refuses
 * ("Usage of user info is forbidden", api/kyverno/v1 UserInfo.ValidateNoUserInfo). All are
 * warnings: Kyverno's CLI binds such exceptions as they are, so the verdicts do not change.
 */
import { type Diagnostic, diagnostic, type FieldPath } from '../../diagnostics/diagnostic.js';
import type { PolicyException, ResourceFilter } from '../cluster-policy/types.js';
import { exceptionKey } from './rule-exceptions.js';

/** More than group/version/kind/subresource: Kyverno's ParseKindSelector yields an empty selector. */
function isUnparseableKind(kind: string): boolean {
  const slashParts = kind.split('/');
  const last = slashParts.pop() ?? '';
  return slashParts.length + last.split('.').length > 4;
}

function checkFilter(
  label: string,
  filter: ResourceFilter,
  path: FieldPath,
  background: boolean,
  out: Diagnostic[],
): void {
  (filter.resources?.kinds ?? []).forEach((kind, i) => {
    if (isUnparseableKind(String(kind)))
      out.push(
        diagnostic(
          'policy/invalid-value',
          `${label}: kind selector "${kind}" has more than group/version/kind/subresource and matches nothing`,
          [...path, 'resources', 'kinds', i],
          { severity: 'warning' },
        ),
      );
  });
  if (!background) return;
  for (const field of ['roles', 'clusterRoles', 'subjects'] as const) {
    if ((filter[field] ?? []).length === 0) continue;
    out.push(
      diagnostic(
        'policy/invalid-value',
        `${label}: Usage of user info is forbidden in a background exception (set spec.background: false); Kyverno's admission refuses it`,
        [...path, field],
        { severity: 'warning' },
      ),
    );
  }
}

/** Warnings about `spec.match`; paths are inside the exception document. Never throws. */
export function checkPolicyException(exception: PolicyException): Diagnostic[] {
  const out: Diagnostic[] = [];
  const label = `PolicyException ${exceptionKey(exception)}`;
  const match = exception.spec?.match ?? {};
  const background = exception.spec?.background !== false;
  const any = match.any ?? [];
  const all = match.all ?? [];
  if (any.length === 0 && all.length === 0) {
    out.push(
      diagnostic(
        'policy/invalid-value',
        `${label}: spec.match has no any or all filter, so the exception applies to no resource`,
        ['spec', 'match'],
        { severity: 'warning' },
      ),
    );
  }
  for (const [field, filters] of [
    ['any', any],
    ['all', all],
  ] as const) {
    filters.forEach((f, i) => {
      checkFilter(label, f ?? {}, ['spec', 'match', field, i], background, out);
    });
  }
  return out;
}
