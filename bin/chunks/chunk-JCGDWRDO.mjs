import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/report/report-result.ts
function isScored(policy) {
  return policy.annotations?.["policies.kyverno.io/scored"] !== "false";
}
function computeReportStatus(policy, response, rule, auditWarn = false) {
  if (rule.status !== "fail") return rule.status;
  if (!isScored(policy) || auditWarn && response.validationFailureAction === "Audit") return "warn";
  return "fail";
}
function toReportResult(policy, policyKey, resource, response, rule, auditWarn = false) {
  const ann = policy.annotations ?? {};
  const ref = {
    apiVersion: resource.apiVersion ?? "",
    kind: resource.kind ?? "",
    name: resource.metadata?.name ?? ""
  };
  if (resource.metadata?.namespace !== void 0 && resource.metadata.namespace !== "")
    ref.namespace = resource.metadata.namespace;
  if (typeof resource.metadata?.uid === "string") ref.uid = resource.metadata.uid;
  return {
    policy: policyKey,
    rule: rule.name,
    result: computeReportStatus(policy, response, rule, auditWarn),
    message: rule.message,
    scored: isScored(policy),
    source: "kyverno",
    ...ann["policies.kyverno.io/category"] !== void 0 ? { category: ann["policies.kyverno.io/category"] } : {},
    ...ann["policies.kyverno.io/severity"] !== void 0 ? { severity: ann["policies.kyverno.io/severity"] } : {},
    ...rule.properties !== void 0 ? { properties: rule.properties } : {},
    resources: [ref]
  };
}
function summarize(results) {
  const s = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}
function buildPolicyReports(results) {
  const cluster = results.filter((r) => r.namespace === void 0).map((r) => r.result);
  const byNs = /* @__PURE__ */ new Map();
  for (const r of results) {
    if (r.namespace === void 0) continue;
    byNs.set(r.namespace, [...byNs.get(r.namespace) ?? [], r.result]);
  }
  const out = [
    {
      apiVersion: "wgpolicyk8s.io/v1alpha2",
      kind: "ClusterPolicyReport",
      metadata: { name: "merged" },
      results: cluster,
      summary: summarize(cluster)
    }
  ];
  for (const [ns, rs] of [...byNs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push({
      apiVersion: "wgpolicyk8s.io/v1alpha2",
      kind: "PolicyReport",
      metadata: { name: `merged`, namespace: ns },
      results: rs,
      summary: summarize(rs)
    });
  }
  return out;
}

export {
  computeReportStatus,
  toReportResult,
  summarize,
  buildPolicyReports
};
