/**
 * @module Policies the separate-controller tests share (test/e2e/separate-controllers.test.ts, test/e2e/events.test.ts and
 * test/deploy/separate-controllers-rbac.test.ts): an Audit rule scanned in the background
 * (require-team), one whose results only admission records (require-owner, background: false), and a
 * synchronized generate rule (default-deny, a NetworkPolicy per namespace labelled tenant=yes).
 */
/** An Audit rule scanned in the background: ConfigMaps in `apps` need a `team` label. */
export const REQUIRE_TEAM_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  background: true
  rules:
    - name: team
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaces: [apps]
      validate:
        failureAction: Audit
        message: a team label is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;

export const REPORT_AND_GENERATE_POLICIES = `${REQUIRE_TEAM_POLICY}---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-owner
spec:
  background: false
  rules:
    - name: owner
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaces: [apps]
      validate:
        failureAction: Audit
        message: an owner annotation is required
        pattern:
          metadata:
            annotations:
              owner: "?*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: default-deny
spec:
  rules:
    - name: deny-all
      match:
        any:
          - resources:
              kinds: [Namespace]
              selector:
                matchLabels:
                  tenant: "yes"
      generate:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        name: default-deny
        namespace: "{{request.object.metadata.name}}"
        synchronize: true
        data:
          spec:
            podSelector: {}
            policyTypes: [Ingress]
`;
