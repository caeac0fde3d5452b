import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  policyDocuments
} from "./chunk-B636O7HU.mjs";
import {
  attachSource
} from "./chunk-B25Y5PAN.mjs";
import {
  ioDiagnostic
} from "./chunk-BEDWXCWF.mjs";
import {
  compilePolicySet
} from "./chunk-VRWKX5IU.mjs";

// src/io/coalesced-runs.ts
var CoalescedRuns = class {
  #task;
  #chain = Promise.resolve();
  #queued = false;
  /** `task` reports its own failures: a rejection would stop every later run. */
  constructor(task) {
    this.#task = task;
  }
  /** Whether a run is waiting to start. */
  get queued() {
    return this.#queued;
  }
  /** Asks for a run; resolves once the run that serves this request has ended. */
  request() {
    if (this.#queued) return this.#chain;
    this.#queued = true;
    this.#chain = this.#chain.then(() => {
      this.#queued = false;
      return this.#task();
    });
    return this.#chain;
  }
};

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
  CoalescedRuns,
  compileLoadedPolicies
};
