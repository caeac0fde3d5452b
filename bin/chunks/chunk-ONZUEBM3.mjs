import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  policyDocuments
} from "./chunk-B636O7HU.mjs";
import {
  attachSource
} from "./chunk-DK6M3GY4.mjs";
import {
  ioDiagnostic
} from "./chunk-TK3LYB6K.mjs";
import {
  compilePolicySet
} from "./chunk-NKZCESSI.mjs";

// src/io/compile-policies.ts
function compileLoadedPolicies(loaded, admission) {
  const issues = [...loaded.issues];
  for (const u of loaded.unsupported)
    issues.push(
      ioDiagnostic("policy/unsupported-kind", `${u.kind} ${u.name}: ${u.reason}`, { severity: "warning" })
    );
  const compiled = compilePolicySet(policyDocuments(loaded), admission !== void 0 ? { admission } : {});
  for (const d of compiled.diagnostics) issues.push(attachSource(d.diagnostic, d.source));
  return { set: compiled.set, policyCount: compiled.set.policies.length, issues };
}

export {
  compileLoadedPolicies
};
