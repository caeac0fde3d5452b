/** @module Policy documents the serve tests share: a ClusterPolicy requiring a `team` label. */

export interface RequireTeamOptions {
  readonly action?: 'Enforce' | 'Audit';
  readonly kind?: string;
  readonly rule?: string;
}

/** ClusterPolicy `require-team`: `kind` objects need a non-empty `team` label. */
export function requireTeamPolicy(options: RequireTeamOptions = {}): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: ${options.action ?? 'Enforce'}
  background: false
  rules:
    - name: ${options.rule ?? 'team'}
      match:
        any:
          - resources:
              kinds: [${options.kind ?? 'Pod'}]
      validate:
        message: label team is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;
}
