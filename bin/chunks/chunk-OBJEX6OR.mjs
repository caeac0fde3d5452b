import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  createLivePorts
} from "./chunk-JVN26A52.mjs";
import {
  require_prom_client
} from "./chunk-74TYKONL.mjs";
import {
  KubeApiError,
  abortableSleep,
  isConflict,
  isNotFound
} from "./chunk-G2E4CQ7Z.mjs";
import {
  TTL_LABEL,
  cleanupCandidateMatches,
  cleanupConditionsMet,
  compileCleanupPolicy,
  compileDeletingPolicy,
  evaluateDeletingPolicy,
  evaluateWithAsyncPorts,
  loadCleanupContext,
  loadDeletingPolicy,
  nextCronTime,
  parseCronSchedule,
  ttlDeletionTime,
  ttlPropagationPolicy,
  wildcardMatch
} from "./chunk-YWPPCUP7.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/controllers/cleanup/start.ts
var import_prom_client2 = __toESM(require_prom_client(), 1);

// src/io/cluster/served-resources.ts
function rows(group, version, list) {
  return (list.resources ?? []).filter((r) => !r.name.includes("/")).map((r) => ({
    group,
    version,
    kind: r.kind,
    resource: r.name,
    namespaced: r.namespaced,
    verbs: r.verbs ?? []
  }));
}
async function servedResources(rest) {
  const out = rows("", "v1", await rest.get("/api/v1"));
  const failed = [];
  const groups = (await rest.get("/apis")).groups ?? [];
  const lists = await Promise.all(
    groups.map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (version === void 0) return [];
      try {
        return rows(g.name, version, await rest.get(`/apis/${g.name}/${version}`));
      } catch (err) {
        failed.push({
          groupVersion: `${g.name}/${version}`,
          error: err instanceof Error ? err.message : String(err)
        });
        return [];
      }
    })
  );
  for (const l of lists) out.push(...l);
  return { resources: out, failed };
}
function collectionPath(r, namespace) {
  const base = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && namespace !== void 0 && namespace !== "" ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${r.resource}`;
}
var apiVersionOf = (r) => r.group === "" ? r.version : `${r.group}/${r.version}`;

// src/io/cluster/cleanup-cluster.ts
var CLEANUP_POLICY_RESOURCES = [
  { group: "kyverno.io", resource: "clustercleanuppolicies" },
  { group: "kyverno.io", resource: "cleanuppolicies" },
  { group: "policies.kyverno.io", resource: "deletingpolicies" },
  { group: "policies.kyverno.io", resource: "namespaceddeletingpolicies" }
];
var REFRESH_MS = 3e4;
var PAGE = 500;
function cleanupCluster(rest, now = () => performance.now()) {
  let table;
  let readAt = Number.NEGATIVE_INFINITY;
  const resources = async (force = false) => {
    if (table === void 0 || now() - readAt > REFRESH_MS || force && now() - readAt > 5e3) {
      table = (await servedResources(rest)).resources;
      readAt = now();
    }
    return table;
  };
  const find = (t, group, resource) => t.find((r) => r.group === group && r.resource === resource);
  const kindMatches = async (selector, t) => {
    const parts = selector.split("/");
    const kind = parts.at(-1) ?? "";
    const group = parts.length === 3 ? parts[0] : parts.length === 2 ? "" : void 0;
    const version = parts.length >= 2 ? parts.at(-2) : void 0;
    const hits = t.filter(
      (r) => wildcardMatch(kind, r.kind) && (group === void 0 || wildcardMatch(group, r.group)) && (version === void 0 || wildcardMatch(version, r.version)) && r.verbs.includes("list") && r.verbs.includes("delete")
    );
    const core = hits.filter((r) => r.group === "");
    return group === void 0 && core.length > 0 && !kind.includes("*") ? core : hits;
  };
  const policyPath = (policy) => {
    const [group] = String(policy.apiVersion ?? "").split("/");
    const r = CLEANUP_POLICY_RESOURCES.map((p) => find(table ?? [], p.group, p.resource)).find(
      (x) => x !== void 0 && x.group === group && x.kind === policy.kind
    );
    if (r === void 0) return void 0;
    return `${collectionPath(r, policy.metadata?.namespace)}/${encodeURIComponent(String(policy.metadata?.name ?? ""))}`;
  };
  const list = async (resource, namespace, labelSelector) => {
    const out = [];
    let next;
    do {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (labelSelector !== void 0 && labelSelector !== "") q.set("labelSelector", labelSelector);
      if (next !== void 0) q.set("continue", next);
      const page = await rest.get(
        `${collectionPath(resource, namespace)}?${q}`
      );
      for (const o of page.items ?? [])
        out.push({ apiVersion: apiVersionOf(resource), kind: resource.kind, ...o });
      next = page.metadata?.continue || void 0;
    } while (next !== void 0);
    return out;
  };
  return {
    async listPolicies() {
      const t = await resources();
      const out = [];
      for (const p of CLEANUP_POLICY_RESOURCES) {
        const r = find(t, p.group, p.resource);
        if (r !== void 0) out.push(...await list(r));
      }
      return out;
    },
    async writeLastExecution(policy, at) {
      await resources();
      const path = policyPath(policy);
      if (path === void 0) return;
      const write = (o) => rest.put(`${path}/status`, {
        ...o,
        status: {
          ...o.status ?? {},
          lastExecutionTime: at.toISOString().replace(/\.\d+Z$/, "Z")
        }
      });
      try {
        await write(policy);
      } catch (err) {
        if (!isConflict(err)) throw err;
        await write(await rest.get(path));
      }
    },
    async resourcesForKind(selector) {
      let hits = await kindMatches(selector, await resources());
      if (hits.length === 0) hits = await kindMatches(selector, await resources(true));
      return hits;
    },
    async resourcesForRules(rules) {
      const t = await resources();
      const has = (list2, v) => (list2 ?? []).some((x) => x === "*" || x === v);
      return t.filter(
        (r) => r.verbs.includes("list") && r.verbs.includes("delete") && rules.some(
          (rule) => has(rule.apiGroups, r.group) && has(rule.apiVersions, r.version) && has(rule.resources, r.resource)
        )
      );
    },
    async deletableResources() {
      return (await resources()).filter((r) => ["list", "watch", "delete"].every((v) => r.verbs.includes(v)));
    },
    list,
    async namespace(name) {
      try {
        return await rest.get(`/api/v1/namespaces/${encodeURIComponent(name)}`);
      } catch (err) {
        if (isNotFound(err)) return void 0;
        throw err;
      }
    },
    async delete(resource, namespace, name, propagation) {
      const q = propagation !== void 0 ? `?propagationPolicy=${propagation}` : "";
      try {
        await rest.delete(`${collectionPath(resource, namespace)}/${encodeURIComponent(name)}${q}`);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    }
  };
}

// src/controllers/ttl/controller.ts
var text = (err) => err instanceof Error ? err.message : String(err);
function createTtlController(options) {
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const intervalMs = options.intervalMs ?? 6e4;
  const { cluster, metrics, logger } = options;
  const forbidden = /* @__PURE__ */ new Set();
  const handle = async (r, o, out) => {
    if (o.metadata?.deletionTimestamp !== void 0) return;
    const labels = o.metadata?.labels ?? {};
    const value = labels[TTL_LABEL];
    if (value === void 0) return;
    const at = ttlDeletionTime(value, o.metadata?.creationTimestamp);
    if (at === void 0) return;
    if (at.getTime() > now().getTime()) {
      if (out.nextAt === void 0 || at < out.nextAt) out.nextAt = at;
      return;
    }
    const namespace = o.metadata?.namespace ?? "";
    const name = String(o.metadata?.name ?? "");
    const propagation = ttlPropagationPolicy(o.metadata?.annotations);
    try {
      if (await cluster.delete(r, namespace, name, propagation)) {
        metrics.ttl("deleted", r, namespace);
        const id = `${r.resource}/${namespace !== "" ? `${namespace}/` : ""}${name}`;
        out.deleted.push(id);
        logger.info("ttl: deleted", { object: id, ttl: value });
      }
    } catch (err) {
      metrics.ttl("error", r, namespace);
      out.errors++;
      logger.warn("ttl: delete failed", { object: `${r.resource}/${namespace}/${name}`, error: text(err) });
    }
  };
  const pass = async (signal = new AbortController().signal) => {
    const out = { deleted: [], errors: 0 };
    const skipped = [];
    for (const r of await cluster.deletableResources()) {
      if (signal.aborted) break;
      let objects;
      try {
        objects = await cluster.list(r, void 0, TTL_LABEL);
      } catch (err) {
        const key = `${r.group}/${r.resource}`;
        if (err instanceof KubeApiError && (err.status === 403 || err.status === 404 || err.status === 405)) {
          if (!forbidden.has(key)) skipped.push(key);
          forbidden.add(key);
        } else {
          out.errors++;
          logger.warn("ttl: cannot list", { resource: key, error: text(err) });
        }
        continue;
      }
      for (const o of objects) await handle(r, o, out);
    }
    if (skipped.length > 0)
      logger.info("ttl: resources not watched (no rights to list them)", { resources: skipped });
    return { deleted: out.deleted, errors: out.errors, nextAt: out.nextAt };
  };
  return {
    pass,
    async lead(signal) {
      while (!signal.aborted) {
        let wait = intervalMs;
        try {
          const { nextAt } = await pass(signal);
          if (nextAt !== void 0)
            wait = Math.min(intervalMs, Math.max(200, nextAt.getTime() - now().getTime()));
        } catch (err) {
          logger.error("ttl controller pass failed; retrying", { error: text(err) });
        }
        await abortableSleep(wait, signal);
      }
    }
  };
}

// src/controllers/cleanup/run-context.ts
var errorText = (err) => err instanceof Error ? err.message : String(err);
function namespaceCache(cluster) {
  const seen = /* @__PURE__ */ new Map();
  return (name) => {
    let hit = seen.get(name);
    if (hit === void 0) {
      hit = cluster.namespace(name);
      seen.set(name, hit);
    }
    return hit;
  };
}

// src/controllers/cleanup/run-cleanup-policy.ts
async function runCleanupPolicy(compiled, run) {
  const { cluster, metrics, logger } = run;
  const policy = compiled.policy;
  const labels = {
    policyType: policy.kind,
    policyNamespace: policy.metadata.namespace ?? "",
    policyName: policy.metadata.name
  };
  const propagation = policy.spec.deletionPropagationPolicy;
  const outcome = { deleted: 0, errors: 0 };
  const context = run.ports !== void 0 ? await evaluateWithAsyncPorts(run.ports, (ports) => loadCleanupContext(compiled, ports), {
    signal: run.signal
  }) : loadCleanupContext(compiled, { clock: { now: run.now } });
  if (!context.ok) {
    logger.error("cleanup policy context not loaded; nothing deleted", {
      policy: policy.metadata.name,
      error: context.error
    });
    outcome.errors++;
    return outcome;
  }
  const namespaceOf = namespaceCache(cluster);
  for (const kind of compiled.kinds) {
    let resources;
    try {
      resources = await cluster.resourcesForKind(kind);
      if (resources.length === 0) throw new Error(`the server serves no deletable kind ${kind}`);
    } catch (err) {
      metrics.cleanup("error", labels, kind, labels.policyNamespace, propagation);
      logger.warn("cleanup: kind skipped", { policy: policy.metadata.name, kind, error: errorText(err) });
      outcome.errors++;
      continue;
    }
    for (const resource of resources) {
      if (compiled.namespace !== void 0 && !resource.namespaced) continue;
      let objects;
      try {
        objects = await cluster.list(resource, compiled.namespace);
      } catch (err) {
        metrics.cleanup("error", labels, kind, labels.policyNamespace, propagation);
        logger.warn("cleanup: cannot list", { policy: policy.metadata.name, kind, error: errorText(err) });
        outcome.errors++;
        continue;
      }
      for (const object of objects) {
        if (run.signal.aborted) return outcome;
        const namespace = object.metadata?.namespace ?? "";
        const name = String(object.metadata?.name ?? "");
        const nsObject = namespace !== "" ? await namespaceOf(namespace) : void 0;
        const nsLabels = nsObject?.metadata?.labels ?? {};
        if (!cleanupCandidateMatches(compiled, object, nsLabels)) continue;
        const verdict = cleanupConditionsMet(compiled, context.root, object, run.now);
        if ("error" in verdict) {
          logger.warn("cleanup: conditions failed", {
            policy: policy.metadata.name,
            object: `${namespace}/${name}`,
            error: verdict.error
          });
          outcome.errors++;
          continue;
        }
        if (!verdict.met) continue;
        try {
          if (await cluster.delete(resource, namespace, name, propagation)) {
            metrics.cleanup("deleted", labels, kind, namespace, propagation);
            logger.info("cleanup: deleted", {
              policy: policy.metadata.name,
              kind: object.kind,
              object: namespace !== "" ? `${namespace}/${name}` : name
            });
            outcome.deleted++;
          }
        } catch (err) {
          metrics.cleanup("error", labels, kind, namespace, propagation);
          logger.warn("cleanup: delete failed", {
            policy: policy.metadata.name,
            object: `${namespace}/${name}`,
            error: errorText(err)
          });
          outcome.errors++;
        }
      }
    }
  }
  return outcome;
}

// src/controllers/cleanup/run-deleting-policy.ts
async function runDeletingPolicy(compiled, run) {
  const { cluster, metrics, logger } = run;
  const policy = compiled.policy;
  const labels = {
    policyType: policy.kind,
    policyNamespace: policy.metadata.namespace ?? "",
    policyName: policy.metadata.name
  };
  const propagation = policy.spec.deletionPropagationPolicy;
  const outcome = { deleted: 0, errors: 0 };
  const namespaceOf = namespaceCache(cluster);
  const evaluate = async (resource, object, nsObject) => {
    const attributes = {
      group: resource.group,
      version: resource.version,
      kind: resource.kind,
      resource: resource.resource,
      subresource: "",
      namespace: object.metadata?.namespace ?? "",
      name: String(object.metadata?.name ?? ""),
      object,
      oldObject: null
    };
    const once = (runtime) => evaluateDeletingPolicy(compiled, attributes, nsObject, runtime);
    return run.ports !== void 0 ? evaluateWithAsyncPorts(run.ports, (ports) => once({ ports, signal: run.signal }), {
      signal: run.signal
    }) : once({ ports: { clock: { now: run.now } } });
  };
  let resources;
  try {
    resources = await cluster.resourcesForRules(policy.spec.matchConstraints?.resourceRules ?? []);
  } catch (err) {
    logger.warn("deleting policy: resources not resolved", {
      policy: policy.metadata.name,
      error: errorText(err)
    });
    outcome.errors++;
    return outcome;
  }
  for (const resource of resources) {
    if (compiled.namespace !== void 0 && !resource.namespaced) continue;
    let objects;
    try {
      objects = await cluster.list(resource, compiled.namespace);
    } catch (err) {
      metrics.deleting("error", labels, resource.resource, "", propagation);
      logger.warn("deleting policy: cannot list", {
        policy: policy.metadata.name,
        resource: resource.resource,
        error: errorText(err)
      });
      outcome.errors++;
      continue;
    }
    for (const object of objects) {
      if (run.signal.aborted) return outcome;
      const namespace = object.metadata?.namespace ?? "";
      const name = String(object.metadata?.name ?? "");
      const nsObject = namespace !== "" ? await namespaceOf(namespace) ?? null : null;
      const result = await evaluate(resource, object, nsObject);
      if (result.status === "error") {
        logger.warn("deleting policy: evaluation failed", {
          policy: policy.metadata.name,
          object: `${namespace}/${name}`,
          error: result.message
        });
        outcome.errors++;
        continue;
      }
      if (result.status !== "pass") continue;
      try {
        if (await cluster.delete(resource, namespace, name, propagation)) {
          metrics.deleting("deleted", labels, resource.resource, namespace, propagation);
          logger.info("deleting policy: deleted", {
            policy: policy.metadata.name,
            resource: resource.resource,
            object: namespace !== "" ? `${namespace}/${name}` : name
          });
          outcome.deleted++;
        }
      } catch (err) {
        metrics.deleting("error", labels, resource.resource, namespace, propagation);
        logger.warn("deleting policy: delete failed", {
          policy: policy.metadata.name,
          object: `${namespace}/${name}`,
          error: errorText(err)
        });
        outcome.errors++;
      }
    }
  }
  return outcome;
}

// src/controllers/cleanup/schedule.ts
function nextRun(policy) {
  const spec = policy.spec ?? {};
  const schedule = parseCronSchedule(typeof spec.schedule === "string" ? spec.schedule : "");
  if (typeof schedule === "string") return { problem: `spec.schedule: ${schedule}` };
  const status = policy.status ?? {};
  const last = typeof status.lastExecutionTime === "string" ? Date.parse(status.lastExecutionTime) : Number.NaN;
  const from = Number.isNaN(last) ? Date.parse(String(policy.metadata?.creationTimestamp ?? "")) : last;
  if (Number.isNaN(from))
    return { problem: "neither status.lastExecutionTime nor metadata.creationTimestamp is a time" };
  const at = nextCronTime(schedule, new Date(from));
  return at === void 0 ? { problem: "spec.schedule: never fires" } : { at };
}

// src/controllers/cleanup/controller.ts
var policyKey = (p) => `${String(p.kind)} ${p.metadata?.namespace !== void 0 ? `${p.metadata.namespace}/` : ""}${String(p.metadata?.name)}`;
var IS_DELETING = /* @__PURE__ */ new Set(["DeletingPolicy", "NamespacedDeletingPolicy"]);
function createCleanupController(options) {
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const pollMs = options.pollMs ?? 1e4;
  const { logger } = options;
  const reported = /* @__PURE__ */ new Set();
  const problem = (p, what) => {
    const key = `${policyKey(p)}@${String(p.metadata?.resourceVersion)}`;
    if (reported.has(key)) return;
    reported.add(key);
    logger.warn("cleanup policy skipped", { policy: policyKey(p), problem: what });
  };
  const runOne = async (p, run) => {
    if (IS_DELETING.has(String(p.kind))) {
      const loaded = loadDeletingPolicy(p);
      const compiled2 = loaded.ok ? compileDeletingPolicy(loaded.value) : loaded;
      if (!compiled2.ok) return void problem(p, compiled2.issues.map((d) => d.message).join("; "));
      return runDeletingPolicy(compiled2.value, run);
    }
    const compiled = compileCleanupPolicy(p);
    if (!compiled.ok) return void problem(p, compiled.issues.map((d) => d.message).join("; "));
    return runCleanupPolicy(compiled.value, run);
  };
  const runDue = async (signal = new AbortController().signal) => {
    const runs = [];
    let nextAt;
    const policies = await options.cluster.listPolicies();
    for (const p of policies) {
      if (signal.aborted) break;
      if (p.metadata?.deletionTimestamp !== void 0) continue;
      const due = nextRun(p);
      if ("problem" in due) {
        problem(p, due.problem);
        continue;
      }
      let next = due.at;
      if (due.at.getTime() <= now().getTime()) {
        const run = {
          cluster: options.cluster,
          metrics: options.metrics,
          logger,
          now,
          signal,
          ...options.ports !== void 0 ? { ports: options.ports } : {}
        };
        const outcome = await runOne(p, run);
        if (outcome === void 0 || signal.aborted) continue;
        const at = now();
        await options.cluster.writeLastExecution(p, at);
        runs.push({ policy: policyKey(p), ...outcome });
        logger.info("cleanup policy ran", { policy: policyKey(p), ...outcome });
        const after = nextRun({
          ...p,
          status: { ...p.status, lastExecutionTime: at.toISOString() }
        });
        if (!("at" in after)) continue;
        next = after.at;
      }
      if (nextAt === void 0 || next < nextAt) nextAt = next;
    }
    return { runs, nextAt };
  };
  return {
    runDue,
    async lead(signal) {
      while (!signal.aborted) {
        let wait = pollMs;
        try {
          const { nextAt } = await runDue(signal);
          if (nextAt !== void 0)
            wait = Math.min(pollMs, Math.max(200, nextAt.getTime() - now().getTime()));
        } catch (err) {
          logger.error("cleanup controller pass failed; retrying", { error: errorText(err) });
        }
        await abortableSleep(wait, signal);
      }
    }
  };
}

// src/controllers/cleanup/metrics.ts
var import_prom_client = __toESM(require_prom_client(), 1);
var POLICY = ["policy_type", "policy_namespace", "policy_name"];
var TTL = ["resource_namespace", "resource_group", "resource_version", "resource_resource"];
function counter(registry, name, help, labelNames) {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof import_prom_client.Counter) return existing;
  return new import_prom_client.Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}
function createCleanupMetrics(registry) {
  const c = {
    cleanup: {
      deleted: counter(
        registry,
        "kyverno_cleanup_controller_deletedobjects_total",
        "can be used to track number of deleted objects.",
        [...POLICY, "resource_kind", "resource_namespace", "deletion_propagation"]
      ),
      error: counter(
        registry,
        "kyverno_cleanup_controller_errors_total",
        "can be used to track number of cleanup failures.",
        [...POLICY, "resource_kind", "resource_namespace", "deletion_propagation"]
      )
    },
    deleting: {
      deleted: counter(
        registry,
        "kyverno_deleting_controller_deletedobjects_total",
        "can be used to track number of deleted objects by the deleting controller.",
        [...POLICY, "resource", "resource_namespace", "deletion_propagation"]
      ),
      error: counter(
        registry,
        "kyverno_deleting_controller_errors_total",
        "can be used to track number of deleting failures.",
        [...POLICY, "resource", "resource_namespace", "deletion_propagation"]
      )
    },
    ttl: {
      deleted: counter(
        registry,
        "kyverno_ttl_controller_deletedobjects_total",
        "can be used to track number of objects deleted by the cleanup ttl controller.",
        TTL
      ),
      error: counter(
        registry,
        "kyverno_ttl_controller_errors_total",
        "can be used to track number of errors encountered by the cleanup ttl controller.",
        TTL
      )
    }
  };
  const policyLabels = (p, namespace, propagation) => ({
    policy_type: p.policyType,
    policy_namespace: p.policyNamespace,
    policy_name: p.policyName,
    ...namespace !== "" ? { resource_namespace: namespace } : {},
    ...propagation !== void 0 ? { deletion_propagation: propagation } : {}
  });
  return {
    cleanup: (outcome, p, kind, namespace, propagation) => c.cleanup[outcome].inc({ ...policyLabels(p, namespace, propagation), resource_kind: kind }),
    deleting: (outcome, p, resource, namespace, propagation) => c.deleting[outcome].inc({ ...policyLabels(p, namespace, propagation), resource }),
    ttl: (outcome, gvr, namespace) => c.ttl[outcome].inc({
      resource_namespace: namespace,
      resource_group: gvr.group,
      resource_version: gvr.version,
      resource_resource: gvr.resource
    })
  };
}

// src/controllers/cleanup/start.ts
function startCleanupControllers(options) {
  const cluster = cleanupCluster(options.rest);
  const metrics = createCleanupMetrics(options.registry ?? new import_prom_client2.Registry());
  const cleanup = createCleanupController({
    cluster,
    metrics,
    logger: options.logger,
    ports: createLivePorts({ kubeConfig: options.kubeConfig }),
    ...options.pollMs !== void 0 ? { pollMs: options.pollMs } : {}
  });
  const ttl = createTtlController({
    cluster,
    metrics,
    logger: options.logger,
    intervalMs: options.ttlIntervalMs
  });
  return {
    async lead(signal) {
      options.logger.info("cleanup and TTL controllers leading", { ttlIntervalMs: options.ttlIntervalMs });
      await Promise.all([cleanup.lead(signal), ttl.lead(signal)]);
    }
  };
}

export {
  startCleanupControllers
};
