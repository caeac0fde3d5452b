import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  Output
} from "./chunk-O3KOCDW3.mjs";
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE
} from "./chunk-4HTNUG6Q.mjs";
import {
  loadResources
} from "./chunk-DNTYCI5T.mjs";
import {
  parseCommandArgs,
  str,
  strs
} from "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import {
  getPolicyDecoder,
  loadPolicies
} from "./chunk-B25Y5PAN.mjs";
import "./chunk-BEDWXCWF.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-VRWKX5IU.mjs";
import "./chunk-34UHWEGN.mjs";

// src/cli/commands/create.ts
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

// src/cli/create/templates.ts
function q(s) {
  return JSON.stringify(s);
}
function policyTemplate(o) {
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
function testTemplate(o) {
  const list = (xs, indent) => xs.length === 0 ? " []" : `
${xs.map((x) => `${indent}- ${q(x)}`).join("\n")}`;
  const rows = o.rows.map(
    (r) => `  - policy: ${q(r.policy)}
    rule: ${q(r.rule)}
    kind: ${q(r.kind)}
    resources:${list(r.resources, "      ")}
    result: ${r.result}`
  );
  return `# A test for \`palisade test\` (the kyverno-test.yaml format of Kyverno's CLI).
# It applies the policies to the resources and compares each result with the expected one.
# Run it with: palisade test <folder holding this file>
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: ${q(o.name)}
# Policy files, relative to this file.
policies:${list(o.policies, "  ")}
# Resource files (one or more YAML documents each), relative to this file.
resources:${list(o.resources, "  ")}
${o.values !== void 0 ? `# Values for variables the policies use (see \`palisade create values\`).
variables: ${q(o.values)}
` : ""}# The expected result of each (policy, rule, resource):
#   policy:    metadata.name of the policy
#   rule:      the rule's name (autogen-<rule> for the Deployment/Job/... variant)
#   kind:      kind of the resources listed
#   resources: resource names (namespace/name also works)
#   result:    pass | fail | skip | warn | error
results:
${rows.join("\n")}
`;
}
function valuesTemplate(o) {
  const globals = Object.entries(o.globals);
  const namespaces = Object.entries(o.namespaceLabels);
  const globalText = globals.length === 0 ? `globalValues:
  request.operation: CREATE   # the admission operation: CREATE | UPDATE | DELETE` : `globalValues:
${globals.map(([k, v]) => `  ${q(k)}: ${q(v)}`).join("\n")}`;
  const nsText = namespaces.length === 0 ? `# namespaceSelector:
#   - name: production          # namespace name
#     labels:                   # its labels, for rules with a namespaceSelector
#       env: prod` : `namespaceSelector:
${namespaces.map(
    ([ns, labels]) => `  - name: ${q(ns)}
    labels:
${Object.entries(labels).map(([k, v]) => `      ${q(k)}: ${q(v)}`).join("\n")}`
  ).join("\n")}`;
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
function exceptionTemplate(o) {
  const list = (xs, indent) => xs.map((x) => `${indent}- ${q(x)}`).join("\n");
  const field = (key, comment, xs) => xs.length === 0 ? [] : [`          ${key}:${" ".repeat(12 - key.length)}# ${comment}`, list(xs, "            ")];
  const resourceLines = [
    ...field("kinds", "resource kinds the exception covers", o.kinds),
    ...field("names", "resource names (wildcards * and ? allowed)", o.names),
    ...field("namespaces", "namespaces of those resources", o.namespaces)
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
${list(o.rules, "        ")}
  # Which resources the exception applies to.
  match:
    any:
      - resources:
${resourceLines.join("\n")}
`;
}

// src/cli/commands/create.ts
var CREATE_HELP = `Create starter files, with a comment explaining every field.

Usage:
  palisade create policy [--name string] [--kind string] [--audit] [-o file]
  palisade create test --policy file --resource file [--pass|--fail|--skip row]... [-o file]
  palisade create values [--global key=value]... [--namespace-label ns:key=value]... [-o file]
  palisade create exception <name> --policy-rules policy,rule[,rule...] [--kind kind]... [-o file]

Examples:
  palisade create policy --name require-team-label -o policies/require-team-label.yaml
  palisade create test --policy ../require-team-label.yaml --resource pods.yaml \\
    --pass require-team-label,check-team-label,good-pod --fail require-team-label,check-team-label,bad-pod
  palisade create values --global request.operation=UPDATE
  palisade create exception allow-legacy --policy-rules require-team-label,check-team-label --name-match 'legacy-*'

Flags:
  -o, --output string            write to this file instead of stdout
      --force                    overwrite the --output file if it exists
  policy:
      --name string              policy name (default "require-team-label")
      --kind string              kind the rule matches (default "Pod")
      --audit                    report only (validationFailureAction: Audit) instead of Enforce
  test:
      --test-name string         name of the test (default: the first policy's name)
      --policy string            policy file, relative to the test file (repeatable)
      --resource string          resource file, relative to the test file (repeatable)
      --values string            values file, relative to the test file
      --pass/--fail/--skip row   expected result: policy,rule,resource[,namespace[,kind]] (repeatable)
                                 (without rows: one row per rule, expecting pass, to edit)
  values:
      --global key=value         a global variable (repeatable)
      --namespace-label ns:k=v   a namespace label for namespaceSelector rules (repeatable)
  exception:
      --policy-rules string      policy,rule[,rule...] to skip
      --kind string              kind to except (repeatable, default "Pod")
      --name-match string        resource name, wildcards allowed (repeatable)
      --namespace-match string   resource namespace (repeatable)
      --namespace string         namespace of the exception itself (default "default")
  -h, --help                     help for create`;
var OPTIONS = {
  output: { type: "string", short: "o" },
  force: { type: "boolean" },
  name: { type: "string" },
  kind: { type: "string", multiple: true },
  audit: { type: "boolean" },
  "test-name": { type: "string" },
  policy: { type: "string", multiple: true },
  resource: { type: "string", multiple: true },
  values: { type: "string" },
  pass: { type: "string", multiple: true },
  fail: { type: "string", multiple: true },
  skip: { type: "string", multiple: true },
  global: { type: "string", multiple: true },
  "namespace-label": { type: "string", multiple: true },
  "policy-rules": { type: "string" },
  "name-match": { type: "string", multiple: true },
  "namespace-match": { type: "string", multiple: true },
  namespace: { type: "string" },
  help: { type: "boolean", short: "h" }
};
function usage(out, message) {
  out.error(`Error: ${message}`);
  out.error("Run 'palisade create --help' for usage.");
  return out.result(EXIT_USAGE);
}
function createPolicy(v) {
  return {
    ok: true,
    text: policyTemplate({
      name: str(v.name) ?? "require-team-label",
      kind: strs(v.kind)[0] ?? "Pod",
      action: v.audit === true ? "Audit" : "Enforce"
    })
  };
}
function parseRow(text, result, kindOf) {
  const [policy, rule, resource, namespace, kind] = text.split(",").map((s) => s.trim());
  if (policy === void 0 || rule === void 0 || resource === void 0 || resource === "")
    return `expected policy,rule,resource[,namespace[,kind]], got "${text}"`;
  const name = namespace !== void 0 && namespace !== "" ? `${namespace}/${resource}` : resource;
  const k = kind !== void 0 && kind !== "" ? kind : kindOf.get(resource);
  if (k === void 0)
    return `kind of resource "${resource}" unknown: give it as the fifth field of "${text}"`;
  return { policy, rule, resources: [name], kind: k, result };
}
async function createTest(v, outFile) {
  const policies = strs(v.policy);
  const resources = strs(v.resource);
  if (policies.length === 0 || resources.length === 0)
    return { ok: false, error: "create test needs --policy and --resource" };
  const base = outFile !== void 0 ? dirname(outFile) : ".";
  const rel = (p) => base === "." ? p : `${base}/${p}`;
  const loadedResources = loadResources(resources.map(rel)).resources;
  const kindOf = new Map(loadedResources.map((r) => [r.object.metadata?.name ?? "", r.object.kind ?? ""]));
  const rows = [];
  for (const [flag, result] of [
    ["pass", "pass"],
    ["fail", "fail"],
    ["skip", "skip"]
  ]) {
    for (const text of strs(v[flag])) {
      const row = parseRow(text, result, kindOf);
      if (typeof row === "string") return { ok: false, error: row };
      rows.push(row);
    }
  }
  const loadedPolicies = loadPolicies(policies.map(rel), await getPolicyDecoder()).policies;
  if (rows.length === 0) {
    const byKind = /* @__PURE__ */ new Map();
    for (const r of loadedResources) {
      const k = r.object.kind ?? "";
      byKind.set(k, [...byKind.get(k) ?? [], r.object.metadata?.name ?? ""]);
    }
    for (const p of loadedPolicies)
      for (const rule of p.policy.spec.rules ?? [])
        for (const [kind, names] of byKind)
          rows.push({
            policy: p.policy.metadata.name,
            rule: rule.name,
            kind,
            resources: names,
            result: "pass"
          });
    if (rows.length === 0)
      rows.push({ policy: "my-policy", rule: "my-rule", kind: "Pod", resources: ["my-pod"], result: "pass" });
  }
  const name = str(v["test-name"]) ?? loadedPolicies[0]?.policy.metadata.name ?? "my-test";
  const values = str(v.values);
  return {
    ok: true,
    text: testTemplate({ name, policies, resources, rows, ...values !== void 0 ? { values } : {} })
  };
}
function createValues(v) {
  const globals = {};
  for (const g of strs(v.global)) {
    const eq = g.indexOf("=");
    if (eq <= 0) return { ok: false, error: `--global expects key=value, got "${g}"` };
    globals[g.slice(0, eq)] = g.slice(eq + 1);
  }
  const namespaceLabels = {};
  for (const l of strs(v["namespace-label"])) {
    const m = /^([^:]+):([^=]+)=(.*)$/.exec(l);
    if (m === null) return { ok: false, error: `--namespace-label expects ns:key=value, got "${l}"` };
    const [, ns = "", key = "", value = ""] = m;
    namespaceLabels[ns] = { ...namespaceLabels[ns] ?? {}, [key]: value };
  }
  return { ok: true, text: valuesTemplate({ globals, namespaceLabels }) };
}
function createException(name, v) {
  if (name === void 0) return { ok: false, error: "create exception needs a name" };
  const [policy, ...rules] = (str(v["policy-rules"]) ?? "").split(",").map((s) => s.trim());
  if (policy === void 0 || policy === "" || rules.length === 0)
    return { ok: false, error: "create exception needs --policy-rules policy,rule[,rule...]" };
  const kinds = strs(v.kind);
  return {
    ok: true,
    text: exceptionTemplate({
      name,
      namespace: str(v.namespace) ?? "default",
      policy,
      rules,
      kinds: kinds.length > 0 ? kinds : ["Pod"],
      names: strs(v["name-match"]),
      namespaces: strs(v["namespace-match"])
    })
  };
}
async function createCommand(argv, _ctx) {
  const out = new Output();
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usage(out, parsed.error);
  const v = parsed.values;
  const [what, ...rest] = parsed.positionals;
  if (v.help === true || what === void 0) {
    out.line(CREATE_HELP);
    return out.result(what === void 0 && v.help !== true ? EXIT_USAGE : EXIT_OK);
  }
  const outFile = str(v.output);
  let rendered;
  if (what === "policy") rendered = createPolicy(v);
  else if (what === "test") rendered = await createTest(v, outFile);
  else if (what === "values") rendered = createValues(v);
  else if (what === "exception") rendered = createException(rest[0], v);
  else return usage(out, `unknown file type "${what}" (policy, test, values or exception)`);
  if (!rendered.ok) return usage(out, rendered.error);
  if (outFile === void 0) {
    out.line(rendered.text.trimEnd());
    return out.result(EXIT_OK);
  }
  if (existsSync(outFile) && v.force !== true) {
    out.error(`Error: ${outFile} exists; use --force to overwrite it`);
    return out.result(EXIT_FAILURE);
  }
  try {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, rendered.text);
  } catch (err) {
    out.error(`Error: cannot write ${outFile}: ${err.message}`);
    return out.result(EXIT_FAILURE);
  }
  out.error(`created ${outFile}`);
  return out.result(EXIT_OK);
}
export {
  CREATE_HELP,
  createCommand
};
