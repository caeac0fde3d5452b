/** @module What the page shows before anything is typed: a validate and a mutate rule on one Pod. */
import { EMPTY_STATE, type PlaygroundState } from '../core/state.js';

export const DEFAULT_EXAMPLE: PlaygroundState = {
  ...EMPTY_STATE,
  policies: `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
  annotations:
    policies.kyverno.io/title: Require a team label
    policies.kyverno.io/category: Best Practices
spec:
  validationFailureAction: Enforce
  rules:
  - name: check-team
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "The label \`team\` is required."
      pattern:
        metadata:
          labels:
            team: "?*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-default-pull-policy
spec:
  rules:
  - name: pull-policy
    match:
      any:
      - resources:
          kinds: [Pod]
    mutate:
      patchStrategicMerge:
        spec:
          containers:
          - (name): "*"
            +(imagePullPolicy): IfNotPresent
`,
  resources: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
`,
};
