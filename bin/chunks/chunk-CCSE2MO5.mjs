import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  policyDocuments
} from "./chunk-B636O7HU.mjs";
import {
  attachSource,
  decodePolicyDocuments,
  getPolicyDecoder
} from "./chunk-B25Y5PAN.mjs";
import {
  ioDiagnostic,
  loadDocuments
} from "./chunk-BEDWXCWF.mjs";
import {
  compilePolicySet,
  formatFieldPath,
  loadGlobalContextEntry
} from "./chunk-VRWKX5IU.mjs";

// src/io/policy-object-check.ts
function diagnosticLine(d) {
  const path = formatFieldPath(d.path);
  return path === "" ? d.message : `${path}: ${d.message}`;
}
async function checkPolicyObject(object, name = "request.object") {
  if (object?.kind === "GlobalContextEntry") {
    const r = loadGlobalContextEntry(object);
    const issues2 = r.ok ? r.warnings : r.issues;
    return {
      errors: issues2.filter((d) => d.severity === "error"),
      warnings: issues2.filter((d) => d.severity !== "error")
    };
  }
  const loaded = loadDocuments(JSON.stringify(object), name);
  const decoder = await getPolicyDecoder();
  const policies = decodePolicyDocuments(loaded, decoder);
  const issues = [...policies.issues];
  for (const u of policies.unsupported)
    issues.push(
      ioDiagnostic("policy/unsupported-kind", `${u.kind} ${u.name}: ${u.reason}`, { severity: "warning" })
    );
  const compiled = compilePolicySet(policyDocuments(policies));
  for (const d of compiled.diagnostics) issues.push(attachSource(d.diagnostic, d.source));
  return {
    errors: issues.filter((d) => d.severity === "error"),
    warnings: issues.filter((d) => d.severity !== "error")
  };
}

// src/webhook/policy-check.ts
async function checkPolicy(object) {
  const r = await checkPolicyObject(object);
  return { errors: r.errors.map(diagnosticLine), warnings: r.warnings.map(diagnosticLine) };
}

export {
  checkPolicy
};
