import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  policyDocuments
} from "./chunk-B636O7HU.mjs";
import {
  attachSource,
  getPolicyDecoder,
  loadPolicies
} from "./chunk-NHID5TVY.mjs";
import {
  compilePolicySet,
  ioDiagnostic
} from "./chunk-JKZ2CQ2I.mjs";

// src/io/files/watch-folder.ts
import { watch } from "node:fs";
function watchFolder(folder, onChange, options) {
  let timer;
  let closed = false;
  const fire = () => {
    timer = void 0;
    if (!closed) onChange();
  };
  const watcher = watch(folder, { recursive: true, persistent: false }, () => {
    if (closed) return;
    if (timer !== void 0) clearTimeout(timer);
    timer = setTimeout(fire, options.debounceMs);
  });
  watcher.on("error", (err) => {
    if (closed) return;
    options.onError?.(`watching ${folder} failed: ${err.message}`);
  });
  return {
    close() {
      closed = true;
      if (timer !== void 0) clearTimeout(timer);
      watcher.close();
    }
  };
}

// src/io/policy-folder.ts
async function loadPolicyFolder(folder, options = {}) {
  const decoder = await getPolicyDecoder();
  const loaded = loadPolicies([folder], decoder);
  const issues = [];
  for (const d of loaded.issues) {
    const empty = d.code === "input/empty";
    issues.push(empty && options.allowEmpty !== true ? { ...d, severity: "error" } : d);
  }
  for (const u of loaded.unsupported)
    issues.push(
      ioDiagnostic("policy/unsupported-kind", `${u.kind} ${u.name}: ${u.reason}`, { severity: "warning" })
    );
  const documents = [
    ...policyDocuments(loaded),
    ...loaded.exceptions.map((x) => ({ document: x.exception, source: x.source }))
  ];
  const compiled = compilePolicySet(documents);
  for (const d of compiled.diagnostics) issues.push(attachSource(d.diagnostic, d.source));
  if (issues.some((d) => d.severity === "error")) return { ok: false, issues };
  return { ok: true, set: compiled.set, policyCount: compiled.set.policies.length, warnings: issues };
}
function watchPolicyFolder(folder, onLoad, options) {
  let chain = Promise.resolve();
  let queued = false;
  let closed = false;
  const reload = () => {
    if (queued) return chain;
    queued = true;
    chain = chain.then(async () => {
      queued = false;
      if (closed) return;
      try {
        const load = await loadPolicyFolder(folder, options);
        if (!closed) onLoad(load);
      } catch (err) {
        options.onError?.(`reloading ${folder} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return chain;
  };
  const watch2 = watchFolder(folder, () => void reload(), options);
  return {
    reload,
    close() {
      closed = true;
      watch2.close();
    }
  };
}

export {
  watchFolder,
  loadPolicyFolder,
  watchPolicyFolder
};
