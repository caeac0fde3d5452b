/**
 * @module Starter files for `palisade create` (Kyverno's `kyverno create`), written for someone
 * who has never seen one: every field has a comment saying what it does. Pure: options in, YAML
 * text out. Values are emitted as JSON strings, which YAML reads as double-quoted scalars.
 */

function q(s: string): string {
  return JSON.stringify(s);
}

export interface PolicyTemplateOptions {
  readonly name: string;
  /** The kind the rule matches, e.g. Pod. */
  readonly kind: string;
  /** Enforce blocks admission; Audit only reports. */
  readonly action: 'Enforce' | 'Audit';
}

export function policyTemplate(o: PolicyTemplateOptions): string {
  return `# A Kyverno ClusterPolicy: rules that every matching resource in the cluster must follow.
# Docs: https://kyverno.io/docs/writing-policies/
apiVersion: kyverno.io/v1
kind: ClusterPolicy          # ClusterPolicy applies cluster-wide; use kind Policy for one namespace
metadata:
  name: ${q(o.name)}
  annotations:
    # Shown by \`palisade apply -o sarif\` as the rule's title, help text and severity.
    policies.kyverno.io/title: ${q(o.name)}
    policies.kyverno.io/category: "Best Practices"
    policies.kyverno.io/severity: medium          # low | medium | high | critical
    policies.kyverno.io/description: >-
      Describe what this policy checks and why, in a sentence or two.
spec:
  # Enforce: the API server rejects a resource that fails. Audit: it is admitted and reported.
  validationFailureAction: ${o.action}
  # Also check resources that already exist (background scans), not only new requests.
  background: true
  rules:
    - name: check-team-label   # unique within the policy; test results refer to it
      # Which resources the rule looks at. Rules for Pods also cover Deployments, Jobs, etc.
      match:
        any:
          - resources:
              kinds:
                - ${o.kind}
      validate:
        # The message a user sees when the resource fails.
        message: "The label 'team' is required."
        # The resource must look like this pattern. "?*" means "any non-empty value".
        pattern:
          metadata:
            labels:
              team: "?*"
`;
}

export interface TestRowOptions {
  readonly policy: string;
  readonly rule: string;
  readonly resources: readonly string[];
  readonly kind: string;
  readonly result: 'pass' | 'fail' | 'skip' | 'warn' | 'error';
}

export interface TestTemplateOptions {
  readonly name: string;
  readonly policies: readonly string[];
  readonly resources: readonly string[];
  readonly values?: string;
  readonly rows: readonly TestRowOptions[];
}

export function testTemplate(o: TestTemplateOptions): string {
  const list = (xs: readonly string[], indent: string): string =>
    xs.length === 0 ? ' []' : `\n${xs.map((x) => `${indent}- ${q(x)}`).join('\n')}`;
  const rows = o.rows.map(
    (r) => `  - policy: ${q(r.policy)}
    rule: ${q(r.rule)}
    kind: ${q(r.kind)}
    resources:${list(r.resources, '      ')}
    result: ${r.result}`,
  );
  return `# A test for \`palisade test\` (the kyverno-test.yaml format of Kyverno's CLI).
# It applies the policies to the resources and compares each result with the expected one.
# Run it with: palisade test <folder holding this file>
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: ${q(o.name)}
# Policy files, relative to this file.
policies:${list(o.policies, '  ')}
# Resource files (one or more YAML documents each), relative to this file.
resources:${list(o.resources, '  ')}
${o.values !== undefined ? `# Values for variables the policies use (see \`palisade create values\`).\nvariables: ${q(o.values)}\n` : ''}# The expected result of each (policy, rule, resource):
#   policy:    metadata.name of the policy
#   rule:      the rule's name (autogen-<rule> for the Deployment/Job/... variant)
#   kind:      kind of the resources listed
#   resources: resource names (namespace/name also works)
#   result:    pass | fail | skip | warn | error
results:
${rows.join('\n')}
`;
}

export interface ValuesTemplateOptions {
  readonly globals: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export function valuesTemplate(o: ValuesTemplateOptions): string {
  const globals = Object.entries(o.globals);
  const namespaces = Object.entries(o.namespaceLabels);
  const globalText =
    globals.length === 0
      ? `globalValues:
  request.operation: CREATE   # the admission operation: CREATE | UPDATE | DELETE`
      : `globalValues:\n${globals.map(([k, v]) => `  ${q(k)}: ${q(v)}`).join('\n')}`;
  const nsText =
    namespaces.length === 0
      ? `# namespaceSelector:
#   - name: production          # namespace name
#     labels:                   # its labels, for rules with a namespaceSelector
#       env: prod`
      : `namespaceSelector:\n${namespaces
          .map(
            ([ns, labels]) =>
              `  - name: ${q(ns)}\n    labels:\n${Object.entries(labels)
                .map(([k, v]) => `      ${q(k)}: ${q(v)}`)
                .join('\n')}`,
          )
          .join('\n')}`;
  return `# Values for \`palisade apply -f values.yaml\` or a test's \`variables:\`: what a cluster would
# otherwise provide (variables, context data, namespace labels).
apiVersion: cli.kyverno.io/v1alpha1
kind: Values
metadata:
  name: values
# Variables every policy sees, by name (e.g. {{ request.operation }}).
${globalText}
# Labels of namespaces, for rules that match with a namespaceSelector.
${nsText}
# Per-policy values: variables of one rule, or for one resource.
# policies:
#   - name: my-policy
#     rules:
#       - name: my-rule
#         values:
#           allowedRegistries: "registry.example.com"
#     resources:
#       - name: my-pod
#         values:
#           request.operation: UPDATE
`;
}

export interface ExceptionTemplateOptions {
  readonly name: string;
  readonly namespace: string;
  readonly policy: string;
  readonly rules: readonly string[];
  readonly kinds: readonly string[];
  readonly names: readonly string[];
  readonly namespaces: readonly string[];
}

export function exceptionTemplate(o: ExceptionTemplateOptions): string {
  const list = (xs: readonly string[], indent: string): string =>
    xs.map((x) => `${indent}- ${q(x)}`).join('\n');
  const field = (key: string, comment: string, xs: readonly string[]): string[] =>
    xs.length === 0
      ? []
      : [`          ${key}:${' '.repeat(12 - key.length)}# ${comment}`, list(xs, '            ')];
  const resourceLines = [
    ...field('kinds', 'resource kinds the exception covers', o.kinds),
    ...field('names', 'resource names (wildcards * and ? allowed)', o.names),
    ...field('namespaces', 'namespaces of those resources', o.namespaces),
  ];
  return `# A PolicyException: lets matching resources skip some rules of a policy.
# Use it for the few workloads that have a good reason; the policy keeps applying to the rest.
# Apply it with \`palisade apply policy.yaml -r pods.yaml --exception exception.yaml\`.
apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: ${q(o.name)}
  namespace: ${q(o.namespace)}   # where the exception lives (Kyverno may restrict this)
spec:
  exceptions:
    - policyName: ${q(o.policy)}   # metadata.name of the policy
      ruleNames:                    # its rules to skip; add autogen-<rule> for Deployments etc.
${list(o.rules, '        ')}
  # Which resources the exception applies to.
  match:
    any:
      - resources:
${resourceLines.join('\n')}
`;
}
