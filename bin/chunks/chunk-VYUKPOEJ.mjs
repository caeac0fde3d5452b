import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  summarize,
  toReportResult
} from "./chunk-JCGDWRDO.mjs";
import {
  createLivePorts
} from "./chunk-S3L4M4DS.mjs";
import {
  discoverResources
} from "./chunk-M5ZV5SI3.mjs";
import {
  KubeApiError,
  abortableSleep,
  isConflict,
  isNotFound
} from "./chunk-BZZJRPMU.mjs";
import {
  NO_EVENTS,
  backgroundFailedEvent,
  cleanupEvent,
  generatedEvents,
  mutatedEvent,
  refOfObject,
  scanEvents
} from "./chunk-CIHTMZJI.mjs";
import {
  require_prom_client
} from "./chunk-74TYKONL.mjs";
import {
  DEFAULT_RESOURCE_FILTERS,
  LABEL_MANAGED_BY,
  LABEL_POLICY_NAME,
  LABEL_POLICY_NAMESPACE,
  LABEL_RULE_NAME,
  LABEL_SOURCE_GROUP,
  LABEL_SOURCE_KIND,
  LABEL_SOURCE_NAME,
  LABEL_SOURCE_NAMESPACE,
  LABEL_SOURCE_UID,
  LABEL_SOURCE_VERSION,
  LABEL_TRIGGER_GROUP,
  LABEL_TRIGGER_KIND,
  LABEL_TRIGGER_NAME,
  LABEL_TRIGGER_NAMESPACE,
  LABEL_TRIGGER_UID,
  LABEL_TRIGGER_VERSION,
  TTL_LABEL,
  admit,
  cleanupCandidateMatches,
  cleanupConditionsMet,
  compileCleanupPolicy,
  compileDeletingPolicy,
  evaluateDeletingPolicy,
  evaluateWithAsyncPorts,
  isFilteredRequest,
  kindOfResource,
  loadCleanupContext,
  loadDeletingPolicy,
  nextCronTime,
  objectOutsideNamespace,
  parseCronSchedule,
  parseResourceFilters,
  requestForObject,
  scan,
  triggersMutateExistingWork,
  ttlDeletionTime,
  ttlPropagationPolicy,
  wildcardMatch
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/io/cluster/cluster-objects.ts
var str = (v) => typeof v === "string" ? v : "";
function splitApiVersion(apiVersion) {
  const at = apiVersion.indexOf("/");
  return at < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, at), version: apiVersion.slice(at + 1) };
}
var REDISCOVER_MS = 5e3;
function clusterObjects(rest) {
  let table;
  let readAt = Number.NEGATIVE_INFINITY;
  const discover = async () => {
    table = (await discoverResources(rest)).resources.filter((r) => !r.resource.includes("/"));
    readAt = performance.now();
    return table;
  };
  const find = (resources, apiVersion, kind) => {
    const named = resources.filter((r) => r.kind === kind);
    if (apiVersion === "") return named.find((r) => r.group === "") ?? named[0];
    const { group, version } = splitApiVersion(apiVersion);
    return named.find((r) => r.group === group && r.version === version);
  };
  const resolve = async (apiVersion, kind) => {
    let hit = find(table ?? await discover(), apiVersion, kind);
    if (hit === void 0 && performance.now() - readAt > REDISCOVER_MS)
      hit = find(await discover(), apiVersion, kind);
    if (hit === void 0)
      throw new KubeApiError(404, `the server does not serve ${apiVersion || "*"}/${kind}`, "NotFound");
    return { ...hit, apiVersion: hit.group === "" ? hit.version : `${hit.group}/${hit.version}` };
  };
  const pathOf = (r, namespace, name) => {
    const base = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
    const ns = r.namespaced && namespace !== void 0 && namespace !== "" ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    return `${base}${ns}/${r.resource}${name !== void 0 ? `/${encodeURIComponent(name)}` : ""}`;
  };
  const typed = (o, apiVersion, kind) => ({ apiVersion, kind, ...o });
  return {
    async kindsFor(rules) {
      const has = (list2, v) => (list2 ?? []).some((x) => x === "*" || x === v);
      const out = /* @__PURE__ */ new Map();
      for (const r of table ?? await discover())
        if (rules.some(
          (x) => has(x.apiGroups, r.group) && has(x.apiVersions, r.version) && has(x.resources, r.resource)
        ))
          out.set(`${r.group}/${r.version}/${r.kind}`, {
            apiVersion: r.group === "" ? r.version : `${r.group}/${r.version}`,
            kind: r.kind
          });
      return [...out.values()];
    },
    async get(apiVersion, kind, namespace, name) {
      const r = await resolve(apiVersion, kind);
      try {
        return typed(await rest.get(pathOf(r, namespace, name)), r.apiVersion, kind);
      } catch (err) {
        if (isNotFound(err)) return void 0;
        throw err;
      }
    },
    async list(apiVersion, kind, namespace, labelSelector) {
      const r = await resolve(apiVersion, kind);
      const query = labelSelector !== void 0 && labelSelector !== "" ? `?labelSelector=${encodeURIComponent(labelSelector)}` : "";
      const out = await rest.get(`${pathOf(r, namespace)}${query}`);
      return (out.items ?? []).map((o) => typed(o, r.apiVersion, kind));
    },
    async create(object) {
      const r = await resolve(str(object.apiVersion), str(object.kind));
      return rest.post(pathOf(r, str(object.metadata?.namespace)), object);
    },
    async apply(object, fieldManager) {
      const r = await resolve(str(object.apiVersion), str(object.kind));
      const path = pathOf(r, str(object.metadata?.namespace), str(object.metadata?.name));
      return rest.apply(path, object, fieldManager);
    },
    async update(object, subresource) {
      const r = await resolve(str(object.apiVersion), str(object.kind));
      const path = pathOf(r, str(object.metadata?.namespace), str(object.metadata?.name));
      const sub = subresource !== void 0 && subresource !== "" ? `/${encodeURIComponent(subresource)}` : "";
      return rest.put(`${path}${sub}`, object);
    },
    async delete(apiVersion, kind, namespace, name) {
      const r = await resolve(apiVersion, kind);
      try {
        await rest.delete(pathOf(r, namespace, name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };
}
function failure(err) {
  const status = err instanceof KubeApiError ? err.status : 0;
  const code = status === 404 ? "not-found" : status === 403 ? "forbidden" : status >= 500 || status === 0 ? "unavailable" : "failed";
  return { ok: false, code, message: err instanceof Error ? err.message : String(err) };
}
function asyncClusterReader(objects, hidden = () => false) {
  return {
    async get(apiVersion, kind, namespace, name) {
      try {
        const o = await objects.get(apiVersion, kind, namespace, name);
        return { ok: true, value: o !== void 0 && !hidden(o) ? o : void 0 };
      } catch (err) {
        if (isNotFound(err)) return { ok: true, value: void 0 };
        return failure(err);
      }
    },
    async list(apiVersion, kind, namespace) {
      try {
        return {
          ok: true,
          value: (await objects.list(apiVersion, kind, namespace)).filter((o) => !hidden(o))
        };
      } catch (err) {
        return failure(err);
      }
    }
  };
}

// src/io/cluster/generate-requests.ts
import { createHash } from "node:crypto";

// src/io/cluster/record-store.ts
function configMapRecordStore(rest, namespace, kind) {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  return {
    async put(request) {
      const name = kind.name(request);
      const body = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace, labels: { [kind.label]: "true" } },
        data: { request: JSON.stringify(request) }
      };
      try {
        await rest.post(base, body);
      } catch (err) {
        if (!isConflict(err)) throw err;
        if (kind.onPending === "replace") await rest.put(`${base}/${encodeURIComponent(name)}`, body);
      }
    },
    async list() {
      const out = await rest.get(
        `${base}?labelSelector=${encodeURIComponent(`${kind.label}=true`)}`
      );
      return (out.items ?? []).flatMap((o) => {
        const request = kind.parse(o.data?.request);
        const name = o.metadata?.name;
        return request !== void 0 && typeof name === "string" ? [{ name, request }] : [];
      });
    },
    async remove(name) {
      try {
        await rest.delete(`${base}/${encodeURIComponent(name)}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };
}

// src/io/cluster/generate-requests.ts
var GENERATE_REQUEST_LABEL = "palisade.kyverno.io/generate-request";
function generateRequestKey(r) {
  const p = r.policy;
  const t = r.trigger;
  const key = [p.kind, p.namespace ?? "", p.name, r.rule, t.apiVersion, t.kind, t.namespace ?? "", t.name];
  if (r.operation === "DELETE") key.push("DELETE");
  return key.join("/");
}
function generateRequestName(r) {
  return `palisade-gr-${createHash("sha256").update(generateRequestKey(r)).digest("hex").slice(0, 20)}`;
}
function parseGenerateRequest(text5) {
  if (typeof text5 !== "string") return void 0;
  try {
    const r = JSON.parse(text5);
    return typeof r.rule === "string" && typeof r.policy?.name === "string" && typeof r.trigger?.kind === "string" ? r : void 0;
  } catch {
    return void 0;
  }
}
function configMapRequestStore(rest, namespace) {
  return configMapRecordStore(rest, namespace, {
    label: GENERATE_REQUEST_LABEL,
    name: generateRequestName,
    parse: parseGenerateRequest,
    onPending: "keep"
  });
}

// src/io/cluster/mutate-requests.ts
import { createHash as createHash2 } from "node:crypto";
var MUTATE_REQUEST_LABEL = "palisade.kyverno.io/mutate-request";
function mutateRequestKey(r) {
  const p = r.policy;
  const t = r.trigger;
  return [
    p.kind,
    p.namespace ?? "",
    p.name,
    t.apiVersion,
    t.kind,
    t.namespace ?? "",
    t.name,
    r.operation === "DELETE" ? "DELETE" : ""
  ].join("/");
}
function mutateRequestName(r) {
  return `palisade-mr-${createHash2("sha256").update(mutateRequestKey(r)).digest("hex").slice(0, 20)}`;
}
function parseMutateRequest(text5) {
  if (typeof text5 !== "string") return void 0;
  try {
    const r = JSON.parse(text5);
    return typeof r.policy?.name === "string" && typeof r.policy.kind === "string" && typeof r.trigger?.kind === "string" && typeof r.trigger.name === "string" && typeof r.operation === "string" ? r : void 0;
  } catch {
    return void 0;
  }
}
function configMapMutateRequestStore(rest, namespace) {
  return configMapRecordStore(rest, namespace, {
    label: MUTATE_REQUEST_LABEL,
    name: mutateRequestName,
    parse: parseMutateRequest,
    onPending: "replace"
  });
}

// src/controllers/cleanup/start.ts
var import_prom_client2 = __toESM(require_prom_client(), 1);

// src/io/cluster/served-resources.ts
function rows(group, version, list2) {
  return (list2.resources ?? []).filter((r) => !r.name.includes("/")).map((r) => ({
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
  const list2 = async (resource, namespace, labelSelector) => {
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
        if (r !== void 0) out.push(...await list2(r));
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
      const has = (list3, v) => (list3 ?? []).some((x) => x === "*" || x === v);
      return t.filter(
        (r) => r.verbs.includes("list") && r.verbs.includes("delete") && rules.some(
          (rule) => has(rule.apiGroups, r.group) && has(rule.apiVersions, r.version) && has(rule.resources, r.resource)
        )
      );
    },
    async deletableResources() {
      return (await resources()).filter((r) => ["list", "watch", "delete"].every((v) => r.verbs.includes(v)));
    },
    list: list2,
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

// src/controllers/cleanup/metrics.ts
var import_prom_client = __toESM(require_prom_client(), 1);
function policyLabels(policy) {
  return {
    policyType: policy.kind,
    policyNamespace: policy.metadata.namespace ?? "",
    policyName: policy.metadata.name
  };
}
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
  const policyLabels2 = (p, namespace, propagation) => ({
    policy_type: p.policyType,
    policy_namespace: p.policyNamespace,
    policy_name: p.policyName,
    ...namespace !== "" ? { resource_namespace: namespace } : {},
    ...propagation !== void 0 ? { deletion_propagation: propagation } : {}
  });
  return {
    cleanup: (outcome, p, kind, namespace, propagation) => c.cleanup[outcome].inc({ ...policyLabels2(p, namespace, propagation), resource_kind: kind }),
    deleting: (outcome, p, resource, namespace, propagation) => c.deleting[outcome].inc({ ...policyLabels2(p, namespace, propagation), resource }),
    ttl: (outcome, gvr, namespace) => c.ttl[outcome].inc({
      resource_namespace: namespace,
      resource_group: gvr.group,
      resource_version: gvr.version,
      resource_resource: gvr.resource
    })
  };
}

// src/controllers/cleanup/run-context.ts
function deletionEvent(run, object, error, deleting = false) {
  if (run.events !== void 0) run.events.sink.add(cleanupEvent(run.events.policy, object, error, deleting));
}
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
function filteredOut(run, resource, object) {
  return isFilteredRequest(run.filters, {
    kind: { group: resource.group, version: resource.version, kind: resource.kind },
    namespace: object.metadata?.namespace ?? "",
    name: String(object.metadata?.name ?? "")
  });
}

// src/controllers/cleanup/sweep.ts
async function sweepObjects(run, resource, objects, policy, outcome) {
  const { cluster, logger } = run;
  for (const object of objects) {
    if (run.signal.aborted) return false;
    const namespace = object.metadata?.namespace ?? "";
    const name = String(object.metadata?.name ?? "");
    if (filteredOut(run, resource, object)) continue;
    const verdict = await policy.decide(object, namespace);
    if (verdict === "keep") continue;
    if (verdict !== "delete") {
      logger.warn(`${policy.subject}: ${policy.undecided}`, {
        policy: policy.policyName,
        object: `${namespace}/${name}`,
        error: verdict.error
      });
      outcome.errors++;
      continue;
    }
    try {
      if (await cluster.delete(resource, namespace, name, policy.propagation)) {
        policy.count("deleted", namespace);
        logger.info(`${policy.subject}: deleted`, {
          policy: policy.policyName,
          ...policy.described(object),
          object: namespace !== "" ? `${namespace}/${name}` : name
        });
        outcome.deleted++;
        deletionEvent(run, object, void 0, policy.deletingPolicy);
      }
    } catch (err) {
      policy.count("error", namespace);
      deletionEvent(run, object, errorText(err), policy.deletingPolicy);
      logger.warn(`${policy.subject}: delete failed`, {
        policy: policy.policyName,
        object: `${namespace}/${name}`,
        error: errorText(err)
      });
      outcome.errors++;
    }
  }
  return true;
}

// src/controllers/cleanup/run-cleanup-policy.ts
async function runCleanupPolicy(compiled, run) {
  const { cluster, metrics, logger } = run;
  const policy = compiled.policy;
  const labels = policyLabels(policy);
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
      const sweep = {
        subject: "cleanup",
        undecided: "conditions failed",
        policyName: policy.metadata.name,
        propagation,
        deletingPolicy: false,
        count: (result, namespace) => metrics.cleanup(result, labels, kind, namespace, propagation),
        described: (object) => ({ kind: object.kind }),
        decide: async (object, namespace) => {
          const nsObject = namespace !== "" ? await namespaceOf(namespace) : void 0;
          const nsLabels = nsObject?.metadata?.labels ?? {};
          if (!cleanupCandidateMatches(compiled, object, nsLabels)) return "keep";
          const verdict = cleanupConditionsMet(compiled, context.root, object, run.now);
          if ("error" in verdict) return { error: verdict.error };
          return verdict.met ? "delete" : "keep";
        }
      };
      if (!await sweepObjects(run, resource, objects, sweep, outcome)) return outcome;
    }
  }
  return outcome;
}

// src/controllers/cleanup/run-deleting-policy.ts
async function runDeletingPolicy(compiled, run) {
  const { cluster, metrics, logger } = run;
  const policy = compiled.policy;
  const labels = policyLabels(policy);
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
    const sweep = {
      subject: "deleting policy",
      undecided: "evaluation failed",
      policyName: policy.metadata.name,
      propagation,
      deletingPolicy: true,
      count: (result, namespace) => metrics.deleting(result, labels, resource.resource, namespace, propagation),
      described: () => ({ resource: resource.resource }),
      decide: async (object, namespace) => {
        const nsObject = namespace !== "" ? await namespaceOf(namespace) ?? null : null;
        const result = await evaluate(resource, object, nsObject);
        if (result === void 0) return "keep";
        if (result.status === "error") return { error: result.message };
        return result.status === "pass" ? "delete" : "keep";
      }
    };
    if (!await sweepObjects(run, resource, objects, sweep, outcome)) return outcome;
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
  const filters = options.filters ?? parseResourceFilters(DEFAULT_RESOURCE_FILTERS);
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
          filters,
          ...options.ports !== void 0 ? { ports: options.ports } : {},
          ...options.events !== void 0 ? { events: { sink: options.events, policy: refOfObject(p) } } : {}
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

// src/controllers/cleanup/start.ts
function startCleanupControllers(options) {
  const cluster = cleanupCluster(options.rest);
  const metrics = createCleanupMetrics(options.registry ?? new import_prom_client2.Registry());
  const cleanup = createCleanupController({
    cluster,
    metrics,
    logger: options.logger,
    ports: options.ports ?? createLivePorts({ kubeConfig: options.kubeConfig }),
    ...options.pollMs !== void 0 ? { pollMs: options.pollMs } : {},
    ...options.filters !== void 0 ? { filters: options.filters } : {},
    ...options.events !== void 0 ? { events: options.events } : {}
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

// src/controllers/generate/controller.ts
import { setMaxListeners } from "node:events";

// src/controllers/work-loops.ts
var text2 = (err) => err instanceof Error ? err.message : String(err);
async function repeatEvery(what, everyMs, step, signal, logger) {
  while (!signal.aborted) {
    try {
      await step();
    } catch (err) {
      logger.warn(`${what} failed`, { error: text2(err) });
    }
    await abortableSleep(everyMs, signal);
  }
}
async function drainQueue(worker, signal) {
  const { queue, logger, what } = worker;
  const forget = (record) => record === void 0 ? Promise.resolve() : worker.forget(record).catch(() => void 0);
  while (!signal.aborted) {
    const entry = queue.take();
    if (entry === void 0) {
      await Promise.race([queue.wait(Math.min(queue.dueInMs() ?? 500, 500)), abortableSleep(500, signal)]);
      continue;
    }
    try {
      await worker.process(entry.item, signal);
      queue.done(entry);
      await forget(entry.item.record);
    } catch (err) {
      if (signal.aborted) {
        queue.done(entry);
        continue;
      }
      if (!queue.retry(entry)) {
        logger.error(`${what} failed; given up`, {
          key: entry.key,
          attempts: entry.attempt,
          error: text2(err)
        });
        await forget(entry.item.record);
      } else if (entry.attempt >= 3) {
        logger.warn(`${what} failed; retrying`, { key: entry.key, attempt: entry.attempt, error: text2(err) });
      }
    }
  }
}
async function recordWithRetries(put, fields, logger) {
  for (let attempt = 1; ; attempt++) {
    try {
      await put();
      return;
    } catch (err) {
      if (attempt >= 5) {
        logger.error(`${fields.what} request not recorded`, { key: fields.key, error: text2(err) });
        return;
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}
var PendingWrites = class {
  writes = /* @__PURE__ */ new Set();
  track(write) {
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }
  async flush() {
    await Promise.all([...this.writes]);
  }
};
async function leadWork(work, signal) {
  const { what, logger, records } = work;
  const readRecords = async () => {
    for (const { name, request } of await records.list()) work.enqueueRecord(request, name);
  };
  const loop = (step, everyMs, run) => repeatEvery(`${what} controller: ${step}`, everyMs, run, signal, logger);
  logger.info(`${what} controller started`);
  await Promise.all([
    loop(`reading ${what} requests`, work.pollMs, readRecords),
    loop("resync", work.resyncMs, () => work.resync(signal)),
    drainQueue({ ...work, forget: (record) => records.remove(record) }, signal)
  ]);
  logger.info(`${what} controller stopped`);
}

// src/controllers/generate/clone-sources.ts
var str2 = (v) => typeof v === "string" ? v : "";
var FAILED = /* @__PURE__ */ Symbol("failed");
function createSourceTracker(objects) {
  let located = /* @__PURE__ */ new Map();
  return {
    reset() {
      located = /* @__PURE__ */ new Map();
    },
    round() {
      const reads = /* @__PURE__ */ new Map();
      const lists = /* @__PURE__ */ new Map();
      const asked = /* @__PURE__ */ new Set();
      const get = (apiVersion, kind, namespace, name) => {
        const key = `${apiVersion}/${kind}/${namespace ?? ""}/${name}`;
        let read = reads.get(key);
        if (read === void 0) {
          read = objects.get(apiVersion, kind, namespace, name).catch(() => FAILED);
          reads.set(key, read);
        }
        return read;
      };
      const list2 = (apiVersion, kind, namespace) => {
        const key = `${apiVersion}/${kind}/${namespace ?? ""}`;
        let read = lists.get(key);
        if (read === void 0) {
          read = objects.list(apiVersion, kind, namespace).catch(() => FAILED);
          lists.set(key, read);
        }
        return read;
      };
      const goneByName = async (at, uid) => {
        const o = await get(at.apiVersion, at.kind, at.namespace, at.name);
        if (o === FAILED) return false;
        return o === void 0 || uid !== void 0 && str2(o.metadata?.uid) !== uid;
      };
      return {
        async gone(source, scope) {
          const namespace = source.namespace !== void 0 ? source.namespace || void 0 : scope;
          if (source.name !== void 0)
            return goneByName({ ...source, namespace, name: source.name }, source.uid);
          const uid = source.uid;
          if (uid === void 0) return false;
          asked.add(uid);
          const at = located.get(uid);
          if (at !== void 0) {
            const gone = await goneByName(at, uid);
            if (gone) located.delete(uid);
            return gone;
          }
          const all = await list2(source.apiVersion, source.kind, namespace);
          if (all === FAILED) return false;
          const found = all.find((o) => str2(o.metadata?.uid) === uid);
          if (found === void 0) return true;
          located.set(uid, {
            apiVersion: source.apiVersion,
            kind: source.kind,
            namespace: str2(found.metadata?.namespace) || void 0,
            name: str2(found.metadata?.name)
          });
          return false;
        },
        done() {
          for (const uid of located.keys()) if (!asked.has(uid)) located.delete(uid);
        }
      };
    }
  };
}

// src/controllers/generate/downstream.ts
var SERVER_METADATA = /* @__PURE__ */ new Set([
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink"
]);
function labelsOf(object) {
  const raw = object.metadata?.labels;
  const out = {};
  if (typeof raw === "object" && raw !== null) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === "string") out[k] = v;
  }
  return out;
}
function covers(desired, existing, top = true) {
  if (typeof desired !== "object" || desired === null) return desired === existing;
  if (Array.isArray(desired)) {
    return Array.isArray(existing) && existing.length === desired.length && desired.every((d, i) => covers(d, existing[i], false));
  }
  if (typeof existing !== "object" || existing === null || Array.isArray(existing)) return false;
  const have = existing;
  return Object.entries(desired).every(([k, v]) => {
    if (top && k === "status") return true;
    if (k === "metadata" && top && typeof v === "object" && v !== null) {
      const meta = Object.fromEntries(Object.entries(v).filter(([mk]) => !SERVER_METADATA.has(mk)));
      return covers(meta, have.metadata, false);
    }
    return covers(v, have[k], false);
  });
}
function asStored(object) {
  const { stringData, ...rest } = object;
  if (object.kind !== "Secret" || typeof stringData !== "object" || stringData === null) return object;
  const data = typeof rest.data === "object" && rest.data !== null ? { ...rest.data } : {};
  for (const [k, v] of Object.entries(stringData))
    data[k] = Buffer.from(String(v), "utf8").toString("base64");
  return { ...rest, data };
}
function generatedBy(object, policy, rule) {
  const l = labelsOf(object);
  return l[LABEL_MANAGED_BY] === "kyverno" && l[LABEL_POLICY_NAME] === policy.name && (l[LABEL_POLICY_NAMESPACE] ?? "") === (policy.namespace ?? "") && (rule === void 0 || l[LABEL_RULE_NAME] === rule);
}
function generatedByGeneratingPolicy(object, policy) {
  const l = labelsOf(object);
  return l[LABEL_MANAGED_BY] === "kyverno" && l[LABEL_POLICY_NAME] === policy.name && l[LABEL_RULE_NAME] === void 0 && (policy.namespace === void 0 || object.metadata?.namespace === policy.namespace);
}
function generatingPolicyLabels(policy, trigger) {
  const apiVersion = typeof trigger.apiVersion === "string" ? trigger.apiVersion : "";
  const at = apiVersion.indexOf("/");
  const str5 = (v) => typeof v === "string" ? v : "";
  return {
    [LABEL_MANAGED_BY]: "kyverno",
    [LABEL_POLICY_NAME]: policy.name,
    [LABEL_TRIGGER_NAME]: str5(trigger.metadata?.name),
    [LABEL_TRIGGER_NAMESPACE]: str5(trigger.metadata?.namespace),
    [LABEL_TRIGGER_UID]: str5(trigger.metadata?.uid),
    [LABEL_TRIGGER_KIND]: str5(trigger.kind),
    [LABEL_TRIGGER_GROUP]: at < 0 ? "" : apiVersion.slice(0, at),
    [LABEL_TRIGGER_VERSION]: at < 0 ? apiVersion : apiVersion.slice(at + 1)
  };
}
function downstreamSelector(policy, rule, triggerUid) {
  const uid = triggerUid !== void 0 ? [`${LABEL_TRIGGER_UID}=${triggerUid}`] : [];
  if (rule === "")
    return [
      `${LABEL_MANAGED_BY}=kyverno`,
      `${LABEL_POLICY_NAME}=${policy.name}`,
      `!${LABEL_RULE_NAME}`,
      ...uid
    ].join(",");
  return [
    `${LABEL_MANAGED_BY}=kyverno`,
    `${LABEL_POLICY_NAME}=${policy.name}`,
    `${LABEL_POLICY_NAMESPACE}=${policy.namespace ?? ""}`,
    `${LABEL_RULE_NAME}=${rule}`,
    ...uid
  ].join(",");
}
function triggerOf(object) {
  const l = labelsOf(object);
  const kind = l[LABEL_TRIGGER_KIND] ?? "";
  const uid = l[LABEL_TRIGGER_UID] ?? "";
  if (kind === "" || uid === "") return void 0;
  const group = l[LABEL_TRIGGER_GROUP] ?? "";
  const version = l[LABEL_TRIGGER_VERSION] ?? "";
  return {
    apiVersion: group === "" ? version : `${group}/${version}`,
    kind,
    namespace: l[LABEL_TRIGGER_NAMESPACE] ?? "",
    uid
  };
}
function forApply(object) {
  const meta = Object.fromEntries(
    Object.entries(object.metadata ?? {}).filter(([k]) => !SERVER_METADATA.has(k))
  );
  const { status: _status, ...rest } = object;
  return { ...rest, metadata: meta };
}
function cloneSourceOf(object) {
  const l = labelsOf(object);
  const uid = l[LABEL_SOURCE_UID] || void 0;
  const kind = l[LABEL_SOURCE_KIND] ?? "";
  if (kind !== "") {
    const group = l[LABEL_SOURCE_GROUP] ?? "";
    const version = l[LABEL_SOURCE_VERSION] ?? "";
    const name = l[LABEL_SOURCE_NAME] || void 0;
    if (name === void 0 && uid === void 0) return void 0;
    return {
      apiVersion: group === "" ? version : `${group}/${version}`,
      kind,
      namespace: l[LABEL_SOURCE_NAMESPACE] ?? "",
      ...name !== void 0 ? { name } : {},
      ...uid !== void 0 ? { uid } : {}
    };
  }
  if (uid === void 0) return void 0;
  const str5 = (v) => typeof v === "string" ? v : "";
  return { apiVersion: str5(object.apiVersion), kind: str5(object.kind), uid };
}

// src/controllers/generate/generate-rules.ts
var isMap = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var strings = (v) => Array.isArray(v) ? v.filter((s) => typeof s === "string") : [];
function kindRef(entry) {
  if (entry.includes("*") || entry.includes("{{") || entry === "") return void 0;
  const parts = entry.split("/");
  if (parts.length === 1) return { apiVersion: "", kind: entry };
  if (parts.length === 2) return { apiVersion: parts[0] ?? "", kind: parts[1] ?? "" };
  return { apiVersion: `${parts[0]}/${parts[1]}`, kind: parts[2] ?? "" };
}
function unique(kinds) {
  const seen = /* @__PURE__ */ new Map();
  for (const k of kinds) if (k !== void 0) seen.set(`${k.apiVersion}/${k.kind}`, k);
  return [...seen.values()];
}
function matchKinds(match) {
  if (!isMap(match)) return [];
  const filters = [
    ...Array.isArray(match.any) ? match.any : [],
    ...Array.isArray(match.all) ? match.all : [],
    ...isMap(match.resources) ? [{ resources: match.resources }] : []
  ];
  return unique(
    filters.flatMap((f) => isMap(f) && isMap(f.resources) ? strings(f.resources.kinds).map(kindRef) : [])
  );
}
function targetKind(block) {
  const kind = typeof block.kind === "string" ? block.kind : "";
  const apiVersion = typeof block.apiVersion === "string" ? block.apiVersion : "";
  if (kind === "" || kind.includes("{{") || apiVersion.includes("{{")) return void 0;
  return { apiVersion, kind };
}
function generatedKinds(block) {
  const parts = [block, ...Array.isArray(block.foreach) ? block.foreach.filter(isMap) : []];
  return unique(
    parts.flatMap((p) => [
      targetKind(p),
      ...isMap(p.cloneList) ? strings(p.cloneList.kinds).map(kindRef) : []
    ])
  );
}
var USER_FIELDS = ["subjects", "roles", "clusterRoles"];
var filtersOf = (block) => isMap(block) ? [
  block,
  ...Array.isArray(block.any) ? block.any : [],
  ...Array.isArray(block.all) ? block.all : []
].filter(isMap) : [];
var operationsOf = (filter) => isMap(filter.resources) ? strings(filter.resources.operations) : [];
function rematchable(rule) {
  for (const f of filtersOf(rule.match)) {
    if (USER_FIELDS.some((k) => Array.isArray(f[k]) && f[k].length > 0)) return false;
    const ops = operationsOf(f);
    if (ops.length > 0 && !ops.includes("CREATE")) return false;
  }
  return !filtersOf(rule.exclude).some((f) => operationsOf(f).includes("CREATE"));
}
function generateRulesOf(policy) {
  if (policy.kind !== "cluster-policy") return [];
  const legacy = policy.compiled;
  const rules = Array.isArray(legacy?.compiled?.rules) ? legacy.compiled.rules : [];
  return rules.flatMap((rule) => {
    if (!isMap(rule) || !isMap(rule.generate) || typeof rule.name !== "string") return [];
    const g = rule.generate;
    return [
      {
        name: rule.name,
        synchronize: g.synchronize === true,
        generateExisting: g.generateExisting === true,
        orphanDownstreamOnPolicyDelete: g.orphanDownstreamOnPolicyDelete === true,
        triggerKinds: matchKinds(rule.match),
        generatedKinds: generatedKinds(g),
        rematchable: rematchable(rule),
        generatesOnDelete: filtersOf(rule.match).some((f) => operationsOf(f).includes("DELETE"))
      }
    ];
  });
}
function generatingPolicyRule(policy) {
  if (policy.kind !== "generating-policy") return void 0;
  const compiled = policy.compiled;
  const spec = isMap(compiled?.policy?.spec) ? compiled.policy.spec : {};
  const evaluation = isMap(spec.evaluation) ? spec.evaluation : {};
  const enabled = (k) => {
    const v = evaluation[k];
    return isMap(v) && v.enabled === true;
  };
  return {
    name: "",
    synchronize: enabled("synchronize"),
    generateExisting: enabled("generateExisting"),
    orphanDownstreamOnPolicyDelete: enabled("orphanDownstreamOnPolicyDelete"),
    triggerKinds: [],
    generatedKinds: [],
    // matchConstraints name no users; their operations must let a CREATE through.
    rematchable: createMatches(spec.matchConstraints),
    generatesOnDelete: operationListed(spec.matchConstraints, "DELETE"),
    triggerRules: resourceRulesOf(spec.matchConstraints)
  };
}
function resourceRulesOf(constraints) {
  const rules = isMap(constraints) && Array.isArray(constraints.resourceRules) ? constraints.resourceRules : [];
  return rules.filter(isMap).map((r) => ({
    apiGroups: strings(r.apiGroups),
    apiVersions: strings(r.apiVersions),
    resources: strings(r.resources)
  }));
}
function operationListed(constraints, operation) {
  const rules = isMap(constraints) && Array.isArray(constraints.resourceRules) ? constraints.resourceRules : [];
  return rules.some((r) => isMap(r) && strings(r.operations).includes(operation));
}
function createMatches(constraints) {
  const rules = isMap(constraints) && Array.isArray(constraints.resourceRules) ? constraints.resourceRules : [];
  return rules.some((r) => {
    const ops = isMap(r) ? strings(r.operations) : [];
    return ops.length === 0 || ops.includes("CREATE") || ops.includes("*");
  });
}
function generatorsOf(policy) {
  const gpol = generatingPolicyRule(policy);
  return gpol !== void 0 ? [gpol] : generateRulesOf(policy);
}

// src/controllers/generate/stale-rules.ts
function staleGenerators(generators, results, options) {
  const candidates = generators.filter((g) => g.synchronize && g.rematchable);
  if (options.generatingPolicy) return results.length === 0 ? candidates : [];
  if (options.applyOne && results.some((r) => r.status === "pass")) return [];
  return candidates.filter((g) => {
    const r = results.find((x) => x.name === g.name);
    return r === void 0 || r.status === "skip" && (r.exceptions ?? []).length === 0;
  });
}

// src/controllers/generate/work-queue.ts
var WorkQueue = class {
  #waiting = /* @__PURE__ */ new Map();
  #active = /* @__PURE__ */ new Map();
  #options;
  #now;
  #wake;
  constructor(options) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }
  get size() {
    return this.#waiting.size + this.#active.size;
  }
  /** Queues `item` under `key`; false when the queue is full and the key is new. */
  add(key, item) {
    const active = this.#active.get(key);
    if (active !== void 0) {
      active.again = item;
      return true;
    }
    const waiting = this.#waiting.get(key);
    if (waiting !== void 0) {
      waiting.item = item;
      return true;
    }
    if (this.size >= this.#options.capacity) return false;
    this.#waiting.set(key, { item, attempt: 1, notBefore: this.#now() });
    this.#wake?.();
    return true;
  }
  /** The oldest entry that is due, now being processed; undefined when none is. */
  take() {
    const now = this.#now();
    for (const [key, w] of this.#waiting) {
      if (w.notBefore > now) continue;
      this.#waiting.delete(key);
      this.#active.set(key, {});
      return { key, item: w.item, attempt: w.attempt };
    }
    return void 0;
  }
  /** Milliseconds until the next waiting entry is due (undefined: none waits). */
  dueInMs() {
    let min;
    for (const w of this.#waiting.values()) min = Math.min(min ?? Number.POSITIVE_INFINITY, w.notBefore);
    return min === void 0 ? void 0 : Math.max(0, min - this.#now());
  }
  /** The entry succeeded (or is given up on): forget it, unless it was added again meanwhile. */
  done(entry) {
    const again = this.#active.get(entry.key)?.again;
    this.#active.delete(entry.key);
    if (again !== void 0) this.add(entry.key, again);
  }
  /** The entry failed: try it again after a backoff; false when its attempts are used up (dropped). */
  retry(entry) {
    const again = this.#active.get(entry.key)?.again;
    this.#active.delete(entry.key);
    if (again !== void 0) {
      this.add(entry.key, again);
      return true;
    }
    if (entry.attempt >= this.#options.maxAttempts) return false;
    const delay = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** (entry.attempt - 1));
    this.#waiting.set(entry.key, {
      item: entry.item,
      attempt: entry.attempt + 1,
      notBefore: this.#now() + delay
    });
    return true;
  }
  /** Resolves when an entry is added or after `ms`, whichever is first. */
  wait(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.#wake === done) self.#wake = void 0;
        resolve();
      }
      this.#wake = done;
    });
  }
};

// src/controllers/generate/controller.ts
var FIELD_MANAGER = "palisade-generate";
var EVALUATION_TIMEOUT_MS = 3e4;
var str3 = (v) => typeof v === "string" ? v : "";
var policyKey2 = (ref) => `${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
var isGeneratingPolicy = (p) => p.kind === "generating-policy";
var owns = (object, policy, rule) => rule === "" && isGeneratingPolicy(policy) ? generatedByGeneratingPolicy(object, policy.ref) : generatedBy(object, policy.ref, rule);
var idOf = (o) => `${str3(o.apiVersion)}/${str3(o.kind)}/${str3(o.metadata?.namespace)}/${str3(o.metadata?.name)}`;
function withLabels(object, labels) {
  return { ...object, metadata: { ...object.metadata ?? {}, labels: { ...labelsOf(object), ...labels } } };
}
function applyOne(policy) {
  const c = policy.compiled;
  return c?.compiled?.policy?.spec?.applyRules === "One";
}
var sameRef = (p, r) => p.ref.kind === r.kind && p.ref.name === r.name && (p.ref.namespace ?? "") === (r.namespace ?? "");
function refOf(object) {
  const ns = str3(object.metadata?.namespace);
  return {
    apiVersion: str3(object.apiVersion),
    kind: str3(object.kind),
    ...ns !== "" ? { namespace: ns } : {},
    name: str3(object.metadata?.name)
  };
}
function admissionTrigger(request) {
  const object = request.object ?? request.oldObject ?? {};
  const k = request.kind;
  return {
    apiVersion: k.group === "" ? k.version : `${k.group}/${k.version}`,
    kind: k.kind,
    ...request.namespace !== void 0 && request.namespace !== "" ? { namespace: request.namespace } : {},
    name: str3(object.metadata?.name) || str3(request.name)
  };
}
var policyRefOf = (ref) => ({
  kind: ref.kind,
  name: ref.name,
  ...ref.namespace !== void 0 ? { namespace: ref.namespace } : {}
});
function deletionRecords(admitted) {
  const { request, set } = admitted;
  if (request.operation !== "DELETE" || request.oldObject === null) return [];
  const trigger = admissionTrigger(request);
  const out = [];
  for (const { policy: ref, response } of admitted.responses) {
    const policy = set.policies.find(
      (p) => p.ref.kind === ref.kind && p.ref.name === ref.name && (p.ref.namespace ?? "") === (ref.namespace ?? "")
    );
    if (policy === void 0) continue;
    for (const g of generatorsOf(policy)) {
      if (!g.generatesOnDelete) continue;
      const answered = isGeneratingPolicy(policy) ? true : response.rules.some((r) => r.name === g.name && r.status === "fail");
      if (!answered) continue;
      out.push({
        policy: policyRefOf(policy.ref),
        rule: g.name,
        trigger,
        operation: "DELETE",
        ...request.userInfo !== void 0 ? { userInfo: request.userInfo } : {},
        oldObject: request.oldObject
      });
    }
  }
  return out;
}
function createGenerateController(options) {
  const events = options.events ?? NO_EVENTS;
  const { objects, requests, logger } = options;
  const queue = new WorkQueue({
    capacity: 1e4,
    baseDelayMs: 500,
    maxDelayMs: 3e4,
    maxAttempts: 8,
    ...options.queue
  });
  const writes = new PendingWrites();
  let seen = /* @__PURE__ */ new Map();
  let existingDone = /* @__PURE__ */ new WeakMap();
  let known2 = /* @__PURE__ */ new Map();
  const comparedFor = /* @__PURE__ */ new WeakMap();
  let freshlyWritten = /* @__PURE__ */ new Map();
  const learnt = /* @__PURE__ */ new Map();
  const sources = createSourceTracker(objects);
  const kindsOf = (policy, rule) => rule.name === "" && isGeneratingPolicy(policy) ? [...learnt.get(policyKey2(policy.ref))?.values() ?? []] : [...rule.generatedKinds];
  const learn = (policy, object) => {
    if (!isGeneratingPolicy(policy)) return;
    const key = policyKey2(policy.ref);
    const kinds = learnt.get(key) ?? /* @__PURE__ */ new Map();
    const k = { apiVersion: str3(object.apiVersion), kind: str3(object.kind) };
    kinds.set(`${k.apiVersion}/${k.kind}`, k);
    learnt.set(key, kinds);
  };
  const downstreamOf = async (policy, rule, triggerUid) => {
    const out = [];
    const namespace = isGeneratingPolicy(policy) ? policy.ref.namespace : void 0;
    for (const kind of kindsOf(policy, rule))
      for (const o of await objects.list(
        kind.apiVersion,
        kind.kind,
        namespace,
        downstreamSelector(policy.ref, rule.name, triggerUid)
      ))
        if (owns(o, policy, rule.name)) out.push(o);
    return out;
  };
  const remove = async (o, why, policy, rule) => {
    await objects.delete(
      str3(o.apiVersion),
      str3(o.kind),
      str3(o.metadata?.namespace) || void 0,
      str3(o.metadata?.name)
    );
    logger.info(`generated object deleted: ${why}`, { policy: policy.ref.name, rule, object: idOf(o) });
  };
  const enqueue = (work) => {
    if (!queue.add(generateRequestKey(work.request), work))
      logger.warn("generate queue full; the work is left to the next resync", {
        key: generateRequestKey(work.request)
      });
  };
  const record = (request) => recordWithRetries(
    () => requests.put(request),
    { what: "generate", key: generateRequestKey(request) },
    logger
  );
  const removeStale = async (policy, generators, results, trigger, written, errors, changed, signal) => {
    const uid = str3(trigger.metadata?.uid);
    const stale = staleGenerators(generators, results, {
      generatingPolicy: isGeneratingPolicy(policy),
      applyOne: applyOne(policy)
    });
    for (const rule of stale)
      for (const o of await downstreamOf(policy, rule, uid)) {
        if (signal.aborted) return;
        await remove(o, "its trigger no longer matches", policy, rule.name);
      }
    const gpol = isGeneratingPolicy(policy) ? generators[0] : void 0;
    const checked = comparedFor.get(policy.compiled) ?? /* @__PURE__ */ new Set();
    comparedFor.set(policy.compiled, checked);
    if (!changed && checked.has(uid)) return;
    checked.add(uid);
    if (gpol?.synchronize === true && errors.length === 0 && !stale.includes(gpol))
      for (const o of await downstreamOf(policy, gpol, uid)) {
        if (signal.aborted || written.has(idOf(o))) continue;
        await remove(o, "no longer generated for its trigger", policy, "");
      }
  };
  const evaluate = async (set, policy, request, signal) => {
    const evaluation = AbortSignal.any([signal, AbortSignal.timeout(EVALUATION_TIMEOUT_MS)]);
    setMaxListeners(0, evaluation);
    const outcome = await admit(
      set,
      request,
      // The policy's own downstream reads as absent, so the engine reports the whole desired object.
      {
        // A GeneratingPolicy's evaluation does not depend on its targets: it sees them all.
        asyncPorts: {
          cluster: asyncClusterReader(
            objects,
            (o) => !isGeneratingPolicy(policy) && generatedBy(o, policy.ref)
          )
        },
        signal: evaluation
      },
      {
        profile: "admission",
        phases: isGeneratingPolicy(policy) ? ["validating"] : ["legacy-generate"],
        select: (p) => p === policy
      }
    );
    const results = outcome.responses.flatMap((r) => r.response.rules);
    const failedRules = results.flatMap(
      (rule) => rule.status === "error" ? [rule] : rule.generateError !== void 0 ? [{ ...rule, message: rule.generateError }] : []
    );
    const trigger = request.object ?? request.oldObject;
    if (trigger !== null)
      for (const rule of failedRules)
        events.add(
          backgroundFailedEvent(
            "kyverno-generate",
            policy.ref,
            rule.name,
            rule.message,
            refOfObject(trigger)
          )
        );
    const errors = failedRules.map((rule) => `${rule.name}: ${rule.message}`);
    return { generated: outcome.generated, results, errors };
  };
  const processDeletion = async (work, set, policy, signal) => {
    const deleted = work.request.oldObject;
    const t = work.request.trigger;
    if (deleted === void 0) return;
    const live = await objects.get(t.apiVersion, t.kind, t.namespace, t.name);
    if (live !== void 0 && live.metadata?.uid === deleted.metadata?.uid && live.metadata?.deletionTimestamp === void 0)
      throw new Error(
        `trigger ${t.kind}/${t.namespace ?? ""}/${t.name} still exists: its deletion was refused?`
      );
    const ns = str3(deleted.metadata?.namespace);
    const namespaceObject = ns !== "" ? await objects.get("v1", "Namespace", void 0, ns) ?? null : null;
    const userInfo = work.request.userInfo;
    const request = requestForObject(deleted, "DELETE", {
      context: { namespaceObject },
      ...userInfo !== void 0 ? { userInfo } : {}
    });
    const { generated, errors } = await evaluate(set, policy, { ...request, object: deleted }, signal);
    const rules = new Map(generatorsOf(policy).map((r) => [r.name, r]));
    for (const { object } of generated) {
      const rule = rules.get(labelsOf(object)[LABEL_RULE_NAME] ?? "");
      if (rule?.generatesOnDelete !== true) continue;
      const desired = isGeneratingPolicy(policy) ? withLabels(object, generatingPolicyLabels(policy.ref, deleted)) : object;
      await write(desired, policy, rule, signal);
    }
    if (errors.length > 0) throw new Error(errors.join("; "));
  };
  const process = async (work, signal) => {
    const set = options.policies();
    if (set === void 0) throw new Error("no policy set loaded yet");
    const policy = set.policies.find((p) => sameRef(p, work.request.policy));
    if (policy === void 0) return;
    if (work.request.operation === "DELETE") return processDeletion(work, set, policy, signal);
    const t = work.request.trigger;
    const trigger = await objects.get(t.apiVersion, t.kind, t.namespace, t.name);
    if (trigger === void 0) {
      if (work.listed === true) return;
      throw new Error(`trigger ${t.kind}/${t.namespace ?? ""}/${t.name} not found`);
    }
    const ns = str3(trigger.metadata?.namespace);
    const namespaceObject = ns !== "" ? await objects.get("v1", "Namespace", void 0, ns) ?? null : null;
    const operation = work.request.operation === "UPDATE" ? "UPDATE" : "CREATE";
    const userInfo = work.request.userInfo;
    const request = requestForObject(trigger, operation, {
      context: { namespaceObject },
      ...userInfo !== void 0 ? { userInfo } : {}
    });
    const { generated, results, errors } = await evaluate(
      set,
      policy,
      operation === "UPDATE" ? { ...request, oldObject: trigger } : request,
      signal
    );
    const generators = generatorsOf(policy);
    const rules = new Map(generators.map((r) => [r.name, r]));
    const written = /* @__PURE__ */ new Set();
    for (const { object } of generated) {
      const rule = rules.get(labelsOf(object)[LABEL_RULE_NAME] ?? "");
      const desired = isGeneratingPolicy(policy) ? withLabels(object, generatingPolicyLabels(policy.ref, trigger)) : object;
      written.add(idOf(desired));
      if (await write(desired, policy, rule, signal, work.fromPolicy === "restore") && rule?.synchronize === true)
        freshlyWritten.set(idOf(desired), { request: { ...work.request, rule: rule.name }, listed: true });
    }
    if (work.fromPolicy === void 0)
      await removeStale(
        policy,
        generators,
        results,
        trigger,
        written,
        errors,
        work.record !== void 0,
        signal
      );
    if (errors.length > 0) throw new Error(errors.join("; "));
  };
  const write = async (object, policy, rule, signal, restoreOnly = false) => {
    const id = `${str3(object.kind)}/${str3(object.metadata?.namespace)}/${str3(object.metadata?.name)}`;
    const outside = objectOutsideNamespace(object, policy.ref.namespace);
    if (outside !== void 0) {
      logger.warn("generated object refused", { policy: policy.ref.name, object: id, reason: outside });
      return false;
    }
    const existing = await objects.get(
      str3(object.apiVersion),
      str3(object.kind),
      str3(object.metadata?.namespace) || void 0,
      str3(object.metadata?.name)
    );
    if (isGeneratingPolicy(policy)) {
      if (existing !== void 0 && (!generatedByGeneratingPolicy(existing, policy.ref) || labelsOf(existing)[LABEL_TRIGGER_UID] !== labelsOf(object)[LABEL_TRIGGER_UID]))
        return false;
      if (restoreOnly && existing === void 0) return false;
      learn(policy, object);
      if (restoreOnly || existing !== void 0 && covers(asStored(forApply(object)), existing))
        return true;
    } else if (existing !== void 0 && (rule?.synchronize !== true || covers(asStored(forApply(object)), existing)))
      return true;
    if (signal.aborted) return false;
    await objects.apply(forApply(object), FIELD_MANAGER);
    events.add(...generatedEvents(policy.ref, rule?.name ?? "", object));
    logger.info(existing === void 0 ? "generated object created" : "generated object synchronized", {
      policy: policy.ref.name,
      rule: rule?.name ?? "",
      object: id
    });
    return true;
  };
  const triggersOf = async (policy, rule) => {
    const out = [];
    const kinds = rule.triggerRules !== void 0 ? await objects.kindsFor?.(rule.triggerRules) ?? [] : rule.triggerKinds;
    for (const k of kinds) out.push(...await objects.list(k.apiVersion, k.kind, policy.ref.namespace));
    return out;
  };
  const resync = async (signal) => {
    const set = options.policies();
    if (set === void 0) return;
    const nowSeen = /* @__PURE__ */ new Map();
    const cloneGone = /* @__PURE__ */ new Set();
    const round = sources.round();
    const fresh = freshlyWritten;
    freshlyWritten = /* @__PURE__ */ new Map();
    const triggerLists = /* @__PURE__ */ new Map();
    for (const policy of set.policies) {
      for (const rule of generatorsOf(policy)) {
        if (signal.aborted) return;
        const policyRef = {
          kind: policy.ref.kind,
          name: policy.ref.name,
          ...policy.ref.namespace !== void 0 ? { namespace: policy.ref.namespace } : {}
        };
        const work = (trigger) => ({
          request: { policy: policyRef, rule: rule.name, trigger, operation: "CREATE" }
        });
        const done = existingDone.get(policy.compiled) ?? /* @__PURE__ */ new Set();
        const restore = rule.synchronize && rule.triggerRules !== void 0 && !learnt.has(policyKey2(policy.ref));
        if ((rule.generateExisting || restore) && !done.has(rule.name)) {
          const fromPolicy = rule.generateExisting ? "generate" : "restore";
          const triggers = await triggersOf(policy, rule);
          for (const trigger of triggers) enqueue({ ...work(refOf(trigger)), listed: true, fromPolicy });
          logger.info("generate: existing triggers queued", {
            policy: policy.ref.name,
            rule: rule.name,
            reason: fromPolicy === "generate" ? "generateExisting" : "finding synchronized downstream",
            triggers: triggers.length
          });
          done.add(rule.name);
          existingDone.set(policy.compiled, done);
        }
        if (!rule.synchronize) continue;
        const scope = isGeneratingPolicy(policy) ? policy.ref.namespace : void 0;
        for (const d of await downstreamOf(policy, rule)) {
          const source = cloneSourceOf(d);
          if (source !== void 0 && await round.gone(source, scope)) {
            if (signal.aborted) return;
            await remove(d, "its clone source is gone", policy, rule.name);
            cloneGone.add(idOf(d));
            continue;
          }
          const t = triggerOf(d);
          if (t === void 0) continue;
          const listKey = `${t.apiVersion}/${t.kind}/${t.namespace}`;
          let list2 = triggerLists.get(listKey);
          if (list2 === void 0) {
            list2 = objects.list(t.apiVersion, t.kind, t.namespace || void 0).catch(() => void 0);
            triggerLists.set(listKey, list2);
          }
          const listed = await list2;
          if (listed === void 0) continue;
          const trigger = listed.find((o) => o.metadata?.uid === t.uid);
          if (trigger === void 0) {
            if (signal.aborted) return;
            if (!rule.generatesOnDelete) await remove(d, "its trigger is gone", policy, rule.name);
            continue;
          }
          const w = { ...work(refOf(trigger)), listed: true };
          nowSeen.set(idOf(d), w);
          enqueue(w);
        }
      }
    }
    for (const [id, w] of [...seen, ...fresh]) if (!nowSeen.has(id) && !cloneGone.has(id)) enqueue(w);
    seen = new Map([...nowSeen, ...freshlyWritten]);
    round.done();
    await policiesDeleted(set, signal);
  };
  const policiesDeleted = async (set, signal) => {
    const current = /* @__PURE__ */ new Map();
    for (const policy of set.policies) {
      const rules = generatorsOf(policy).filter((r) => r.synchronize && !r.orphanDownstreamOnPolicyDelete);
      if (rules.length > 0) current.set(policyKey2(policy.ref), { policy, rules });
    }
    for (const [key, { policy, rules }] of known2) {
      if (current.has(key) || signal.aborted) continue;
      const ref = policy.ref;
      const stored = await objects.get(ref.apiVersion, ref.kind, ref.namespace, ref.name).catch(() => ref);
      if (stored !== void 0) {
        current.set(key, { policy, rules });
        continue;
      }
      for (const rule of rules)
        for (const d of await downstreamOf(policy, rule)) {
          if (signal.aborted) return;
          if (isGeneratingPolicy(policy) && labelsOf(d)[LABEL_SOURCE_UID] !== void 0) continue;
          await remove(d, "its policy is gone", policy, rule.name);
        }
      learnt.delete(key);
    }
    known2 = current;
  };
  return {
    onGenerated(generated, request) {
      if (request.operation === "DELETE") return;
      const trigger = admissionTrigger(request);
      const keys = /* @__PURE__ */ new Map();
      for (const g of generated) {
        const rule = labelsOf(g.object)[LABEL_RULE_NAME] ?? "";
        const r = {
          policy: {
            kind: g.policy.kind,
            name: g.policy.name,
            ...g.policy.namespace !== void 0 ? { namespace: g.policy.namespace } : {}
          },
          rule,
          trigger,
          operation: request.operation,
          ...request.userInfo !== void 0 ? { userInfo: request.userInfo } : {}
        };
        keys.set(generateRequestKey(r), r);
      }
      for (const r of keys.values()) {
        writes.track(record(r));
      }
    },
    onAdmitted(admitted) {
      for (const r of deletionRecords(admitted)) {
        writes.track(record(r));
      }
    },
    async lead(signal) {
      seen = /* @__PURE__ */ new Map();
      freshlyWritten = /* @__PURE__ */ new Map();
      existingDone = /* @__PURE__ */ new WeakMap();
      sources.reset();
      await leadWork(
        {
          what: "generate",
          queue,
          process,
          logger,
          records: requests,
          enqueueRecord: (request, record2) => enqueue({ request, record: record2 }),
          pollMs: options.pollMs ?? 1e3,
          resyncMs: options.resyncMs,
          resync
        },
        signal
      );
    },
    flush: () => writes.flush()
  };
}

// src/controllers/mutate-existing/controller.ts
import { setMaxListeners as setMaxListeners2 } from "node:events";

// src/controllers/mutate-existing/mutate-existing-rules.ts
var isMap2 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var list = (v) => Array.isArray(v) ? v : [];
var strings2 = (v) => list(v).filter((s) => typeof s === "string");
function legacyInfo(policy) {
  const compiled = policy.compiled?.compiled;
  const spec = isMap2(compiled?.policy?.spec) ? compiled.policy.spec : {};
  const rules = list(compiled?.rules).filter(
    (r) => isMap2(r) && isMap2(r.mutate) && list(r.mutate.targets).length > 0
  );
  if (rules.length === 0) return void 0;
  const onUpdate = (r) => {
    const own = r.mutate.mutateExistingOnPolicyUpdate;
    return typeof own === "boolean" ? own : spec.mutateExistingOnPolicyUpdate === true;
  };
  const kinds = /* @__PURE__ */ new Map();
  for (const r of rules) for (const k of matchKinds(r.match)) kinds.set(`${k.apiVersion}/${k.kind}`, k);
  return {
    onPolicyUpdate: rules.some(onUpdate),
    triggerKinds: [...kinds.values()],
    skipBackgroundRequests: rules.every((r) => r.skipBackgroundRequests !== false)
  };
}
function mutatingPolicyInfo(policy) {
  const compiled = policy.compiled;
  if (compiled?.mutateExisting !== true) return void 0;
  const spec = isMap2(compiled.policy?.spec) ? compiled.policy.spec : {};
  const constraints = isMap2(spec.matchConstraints) ? spec.matchConstraints : {};
  const kinds = /* @__PURE__ */ new Map();
  for (const rule of list(constraints.resourceRules).filter(isMap2))
    for (const group of strings2(rule.apiGroups))
      for (const version of strings2(rule.apiVersions))
        for (const resource of strings2(rule.resources)) {
          if (group === "*" || version === "*" || resource.includes("*")) continue;
          const apiVersion = group === "" ? version : `${group}/${version}`;
          const kind = kindOfResource(resource.split("/")[0] ?? "");
          kinds.set(`${apiVersion}/${kind}`, { apiVersion, kind });
        }
  return {
    onPolicyUpdate: true,
    triggerKinds: [...kinds.values()],
    skipBackgroundRequests: spec.skipBackgroundRequests !== false
  };
}
var known = /* @__PURE__ */ new WeakMap();
function mutateExistingOf(policy) {
  const key = policy.compiled;
  let info = known.get(key);
  if (info === void 0) {
    info = (policy.kind === "cluster-policy" ? legacyInfo(policy) : policy.kind === "mutating-policy" ? mutatingPolicyInfo(policy) : void 0) ?? null;
    known.set(key, info);
  }
  return info ?? void 0;
}

// src/controllers/mutate-existing/controller.ts
var EVALUATION_TIMEOUT_MS2 = 3e4;
var CONFLICT_ATTEMPTS = 5;
var str4 = (v) => typeof v === "string" ? v : "";
var idOf2 = (o) => `${str4(o.kind)}/${str4(o.metadata?.namespace) === "" ? "" : `${str4(o.metadata?.namespace)}/`}${str4(o.metadata?.name)}`;
var policyRefOf2 = (p) => ({
  kind: p.ref.kind,
  name: p.ref.name,
  ...p.ref.namespace !== void 0 ? { namespace: p.ref.namespace } : {}
});
var sameRef2 = (p, r) => p.ref.kind === r.kind && p.ref.name === r.name && (p.ref.namespace ?? "") === (r.namespace ?? "");
function refOf2(object) {
  const ns = str4(object.metadata?.namespace);
  return {
    apiVersion: str4(object.apiVersion),
    kind: str4(object.kind),
    ...ns !== "" ? { namespace: ns } : {},
    name: str4(object.metadata?.name)
  };
}
function admissionRecord(request, policy) {
  const object = request.object ?? request.oldObject ?? {};
  const k = request.kind;
  const trigger = {
    apiVersion: k.group === "" ? k.version : `${k.group}/${k.version}`,
    kind: k.kind,
    ...request.namespace !== "" ? { namespace: request.namespace } : {},
    name: str4(object.metadata?.name) || request.name
  };
  const stored = request.operation === "CREATE" ? {} : {
    ...request.object !== null ? { object: request.object } : {},
    ...request.oldObject !== null ? { oldObject: request.oldObject } : {}
  };
  return {
    policy: policyRefOf2(policy),
    trigger,
    operation: request.operation,
    ...request.userInfo !== void 0 ? { userInfo: request.userInfo } : {},
    ...stored
  };
}
function recordedPolicies(admitted, ownNamespace) {
  const { request, set, select, role } = admitted;
  if (request.operation === "CONNECT") return [];
  const own = (request.userInfo?.username ?? "").startsWith(`system:serviceaccount:${ownNamespace}:`);
  const candidates = set.policiesFor(
    { kind: request.kind.kind, resource: request.resource.resource },
    request.namespace
  );
  return candidates.filter((p) => {
    if (p.kind === "cluster-policy" ? role !== "validate" : p.kind !== "mutating-policy" || role !== "mutate")
      return false;
    const info = mutateExistingOf(p);
    if (info === void 0 || own && info.skipBackgroundRequests || !select(p)) return false;
    return triggersMutateExistingWork(set, p, request);
  });
}
function createMutateExistingController(options) {
  const { objects, requests, logger } = options;
  const events = options.events ?? NO_EVENTS;
  const queue = new WorkQueue({
    capacity: 1e4,
    baseDelayMs: 500,
    maxDelayMs: 3e4,
    maxAttempts: 8,
    ...options.queue
  });
  const writes = new PendingWrites();
  let existingDone = /* @__PURE__ */ new WeakSet();
  const enqueue = (work) => {
    if (!queue.add(mutateRequestKey(work.request), work))
      logger.warn("mutate-existing queue full; the work is left to its record or the next policy change", {
        key: mutateRequestKey(work.request)
      });
  };
  const record = (request) => recordWithRetries(
    () => requests.put(request),
    { what: "mutate-existing", key: mutateRequestKey(request) },
    logger
  );
  const triggerRequest = async (r) => {
    const t = r.trigger;
    const stored = r.operation === "DELETE" ? r.oldObject ?? r.object : r.operation === "UPDATE" ? r.object : void 0;
    const trigger = stored ?? await objects.get(t.apiVersion, t.kind, t.namespace, t.name);
    if (trigger === void 0) throw new Error(`trigger ${t.kind}/${t.namespace ?? ""}/${t.name} not found`);
    const ns = str4(trigger.metadata?.namespace);
    const namespaceObject = ns !== "" ? await objects.get("v1", "Namespace", void 0, ns) ?? null : null;
    const operation = r.operation === "UPDATE" || r.operation === "DELETE" ? r.operation : "CREATE";
    const userInfo = r.userInfo;
    const request = requestForObject(trigger, operation, {
      context: { namespaceObject },
      ...userInfo !== void 0 ? { userInfo } : {}
    });
    return operation === "UPDATE" ? { ...request, oldObject: r.oldObject ?? trigger } : request;
  };
  const attempt = async (set, policy, r, signal) => {
    const request = await triggerRequest(r);
    const evaluation = AbortSignal.any([signal, AbortSignal.timeout(EVALUATION_TIMEOUT_MS2)]);
    setMaxListeners2(0, evaluation);
    const outcome = await admit(
      set,
      request,
      { asyncPorts: options.ports, signal: evaluation },
      { profile: "admission", phases: ["mutate-existing"], select: (p) => p === policy }
    );
    const updated = [];
    const refused = [];
    for (const { object, subresource } of outcome.mutatedTargets) {
      const outside = objectOutsideNamespace(object, policy.ref.namespace);
      if (outside !== void 0) {
        refused.push(idOf2(object));
        logger.warn("mutate-existing target refused", {
          policy: policy.ref.name,
          target: idOf2(object),
          reason: outside
        });
        continue;
      }
      if (signal.aborted) break;
      try {
        await objects.update(object, subresource);
      } catch (err) {
        if (isConflict(err)) return "conflict";
        throw err;
      }
      updated.push(`${idOf2(object)}${subresource !== void 0 ? `/${subresource}` : ""}`);
      events.add(mutatedEvent(policy.ref, object));
      logger.info("existing object mutated", {
        policy: policy.ref.name,
        target: idOf2(object),
        ...subresource !== void 0 ? { subresource } : {}
      });
    }
    const failedRules = outcome.responses.flatMap(
      (x) => x.response.rules.filter((rule) => rule.status === "error")
    );
    const errors = failedRules.map((rule) => `${rule.name}: ${rule.message}`);
    for (const rule of failedRules)
      events.add(backgroundFailedEvent("kyverno-mutate", policy.ref, rule.name, rule.message, r.trigger));
    if (errors.length > 0) throw new Error(errors.join("; "));
    return { updated, refused };
  };
  const process = async (work, signal) => {
    const set = options.policies();
    if (set === void 0) throw new Error("no policy set loaded yet");
    const policy = set.policies.find((p) => sameRef2(p, work.request.policy));
    if (policy === void 0) return;
    if (work.listed === true) {
      const t = work.request.trigger;
      if (await objects.get(t.apiVersion, t.kind, t.namespace, t.name) === void 0) return;
    }
    for (let i = 1; i <= CONFLICT_ATTEMPTS; i++) {
      if (await attempt(set, policy, work.request, signal) !== "conflict") return;
    }
    throw new Error(`a target kept changing: ${CONFLICT_ATTEMPTS} conflicts`);
  };
  const resync = async (signal) => {
    const set = options.policies();
    if (set === void 0) return;
    for (const policy of set.policies) {
      if (signal.aborted) return;
      const info = mutateExistingOf(policy);
      if (info === void 0 || !info.onPolicyUpdate || existingDone.has(policy.compiled)) continue;
      for (const k of info.triggerKinds)
        for (const trigger of await objects.list(k.apiVersion, k.kind, policy.ref.namespace)) {
          if (trigger.metadata?.namespace === options.namespace) continue;
          const request = { policy: policyRefOf2(policy), trigger: refOf2(trigger), operation: "CREATE" };
          enqueue({ request, listed: true });
        }
      existingDone.add(policy.compiled);
    }
  };
  return {
    onAdmitted(admitted) {
      for (const policy of recordedPolicies(admitted, options.namespace)) {
        writes.track(record(admissionRecord(admitted.request, policy)));
      }
    },
    async lead(signal) {
      setMaxListeners2(0, signal);
      existingDone = /* @__PURE__ */ new WeakSet();
      await leadWork(
        {
          what: "mutate-existing",
          queue,
          process,
          logger,
          records: requests,
          enqueueRecord: (request, record2) => enqueue({ request, record: record2 }),
          pollMs: options.pollMs ?? 1e3,
          resyncMs: options.resyncMs,
          resync
        },
        signal
      );
    },
    flush: () => writes.flush()
  };
}

// src/io/cluster/admission-records.ts
import { createHash as createHash3 } from "node:crypto";
var ADMISSION_RECORD_LABEL = "palisade.kyverno.io/admission-results";
function admissionRecordName(r) {
  const key = [r.apiVersion, r.kind, r.namespace ?? "", r.name].join("/");
  return `palisade-ar-${createHash3("sha256").update(key).digest("hex").slice(0, 20)}`;
}
function parse(object) {
  const text5 = object.data?.record;
  if (typeof text5 !== "string") return void 0;
  try {
    const r = JSON.parse(text5);
    return typeof r.resource?.kind === "string" && Array.isArray(r.results) ? r : void 0;
  } catch {
    return void 0;
  }
}
function configMapAdmissionRecords(rest, namespace) {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  return {
    async put(record) {
      const name = admissionRecordName(record.resource);
      const body = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace, labels: { [ADMISSION_RECORD_LABEL]: "true" } },
        data: { record: JSON.stringify(record) }
      };
      try {
        await rest.post(base, body);
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      const stored = await rest.get(`${base}/${name}`);
      await rest.put(`${base}/${name}`, {
        ...body,
        metadata: { ...body.metadata, resourceVersion: stored.metadata?.resourceVersion }
      });
    },
    async list() {
      const out = await rest.get(
        `${base}?labelSelector=${encodeURIComponent(`${ADMISSION_RECORD_LABEL}=true`)}`
      );
      return (out.items ?? []).flatMap((o) => {
        const record = parse(o);
        const name = o.metadata?.name;
        const createdAt = Date.parse(String(o.metadata?.creationTimestamp ?? "")) || 0;
        return record !== void 0 && typeof name === "string" ? [{ name, record, createdAt }] : [];
      });
    },
    async remove(name) {
      try {
        await rest.delete(`${base}/${encodeURIComponent(name)}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };
}

// src/io/report/resource-report.ts
var REPORT_KINDS = {
  wgpolicyk8s: {
    apiVersion: "wgpolicyk8s.io/v1alpha2",
    namespaced: "PolicyReport",
    cluster: "ClusterPolicyReport"
  },
  openreports: { apiVersion: "openreports.io/v1alpha1", namespaced: "Report", cluster: "ClusterReport" }
};
var MANAGED_BY_KYVERNO = { "app.kubernetes.io/managed-by": "kyverno" };
var REPORTS_DISABLED_LABEL = "reports.kyverno.io/disabled";
var SOURCES = {
  ValidatingPolicy: "KyvernoValidatingPolicy",
  NamespacedValidatingPolicy: "KyvernoValidatingPolicy",
  ImageValidatingPolicy: "KyvernoImageValidatingPolicy",
  NamespacedImageValidatingPolicy: "KyvernoImageValidatingPolicy",
  MutatingPolicy: "KyvernoMutatingPolicy",
  NamespacedMutatingPolicy: "KyvernoMutatingPolicy",
  GeneratingPolicy: "KyvernoGeneratingPolicy",
  NamespacedGeneratingPolicy: "KyvernoGeneratingPolicy",
  ValidatingAdmissionPolicy: "ValidatingAdmissionPolicy",
  MutatingAdmissionPolicy: "MutatingAdmissionPolicy"
};
var sourceOf = (policyKind) => SOURCES[policyKind] ?? "kyverno";
var SEVERITIES = /* @__PURE__ */ new Set(["critical", "high", "medium", "low", "info"]);
var MESSAGE_OVERRIDES = {
  pass: "passMessage",
  fail: "failMessage",
  warn: "warnMessage",
  error: "errorMessage",
  skip: "skipMessage"
};
function resourceReportResult(result, rule, process, nowSeconds) {
  const {
    resources: _resources,
    source: _source,
    ...base
  } = toReportResult(
    result.policy,
    result.response.policyKey,
    result.response.resource,
    result.response,
    rule
  );
  const properties = { ...base.properties ?? {} };
  let message = base.message;
  const override = properties[MESSAGE_OVERRIDES[base.result] ?? ""] || properties.message;
  if (override !== void 0 && override !== "") message = override;
  properties.process = process;
  if (rule.exceptions !== void 0 && rule.exceptions.length > 0)
    properties.exceptions = rule.exceptions.join(",");
  const failed = (rule.podSecurityChecks ?? []).filter((c) => !c.allowed).map((c) => c.id);
  if (failed.length > 0) properties.controls = failed.join(",");
  const { severity, ...rest } = base;
  return {
    ...rest,
    ...severity !== void 0 && SEVERITIES.has(severity) ? { severity } : {},
    message,
    source: sourceOf(result.policy.kind),
    properties,
    timestamp: { seconds: nowSeconds, nanos: 0 }
  };
}
function reportResultsOf(results, process, nowSeconds) {
  return results.flatMap(
    (r) => r.response.rules.map((rule) => resourceReportResult(r, rule, process, nowSeconds))
  );
}
function sortResults(results) {
  const cmp = (a, b) => a < b ? -1 : a > b ? 1 : 0;
  return [...results].sort(
    (a, b) => cmp(a.policy, b.policy) || cmp(a.rule, b.rule) || cmp(a.source, b.source)
  );
}
function reportedResource(object) {
  const m = object.metadata;
  const uid = typeof m?.uid === "string" ? m.uid : "";
  const name = typeof m?.name === "string" ? m.name : "";
  if (uid === "" || name === "" || typeof object.apiVersion !== "string" || typeof object.kind !== "string")
    return void 0;
  const namespace = typeof m?.namespace === "string" && m.namespace !== "" ? m.namespace : void 0;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name,
    ...namespace !== void 0 ? { namespace } : {},
    uid
  };
}
function reportKindOf(api, resource) {
  const k = REPORT_KINDS[api];
  return { apiVersion: k.apiVersion, kind: resource.namespace !== void 0 ? k.namespaced : k.cluster };
}
function buildResourceReport(api, resource, results) {
  const sorted = sortResults(results);
  const scope = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name: resource.name,
    ...resource.namespace !== void 0 ? { namespace: resource.namespace } : {},
    uid: resource.uid
  };
  return {
    ...reportKindOf(api, resource),
    metadata: {
      name: resource.uid,
      ...resource.namespace !== void 0 ? { namespace: resource.namespace } : {},
      labels: { ...MANAGED_BY_KYVERNO },
      ownerReferences: [
        { apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name, uid: resource.uid }
      ]
    },
    scope,
    results: sorted,
    summary: summarize(sorted)
  };
}
function sameResults(a, b) {
  if (a.length !== b.length) return false;
  const strip = (r) => {
    const { timestamp: _t, ...rest } = r ?? {};
    return stableJson(rest);
  };
  return a.every((r, i) => strip(r) === strip(b[i]));
}
function stableJson(v) {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v;
    return `{${Object.keys(o).filter((k) => o[k] !== void 0).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
function keepTimestamps(fresh, stored) {
  const byKey = /* @__PURE__ */ new Map();
  for (const s of stored) {
    const r = s ?? {};
    byKey.set(`${r.source}
${r.policy}
${r.rule}`, s);
  }
  return fresh.map((f) => {
    const old = byKey.get(`${f.source}
${f.policy}
${f.rule}`);
    return old !== void 0 && old.timestamp !== void 0 && sameResults([old], [f]) ? { ...f, timestamp: old.timestamp } : f;
  });
}

// src/io/cluster/report-store.ts
var PATHS = {
  wgpolicyk8s: {
    base: "/apis/wgpolicyk8s.io/v1alpha2",
    namespaced: "policyreports",
    cluster: "clusterpolicyreports"
  },
  openreports: { base: "/apis/openreports.io/v1alpha1", namespaced: "reports", cluster: "clusterreports" }
};
var enc = encodeURIComponent;
function reportStore(rest, api) {
  const p = PATHS[api];
  const path = (namespace, name) => {
    const collection = namespace !== void 0 && namespace !== "" ? `${p.base}/namespaces/${enc(namespace)}/${p.namespaced}` : `${p.base}/${p.cluster}`;
    return name === void 0 ? collection : `${collection}/${enc(name)}`;
  };
  const nsOf = (o) => {
    const ns = o.metadata?.namespace;
    return typeof ns === "string" && ns !== "" ? ns : void 0;
  };
  const selector = Object.entries(MANAGED_BY_KYVERNO).map(([k, v]) => `${k}=${v}`).join(",");
  return {
    api,
    async served() {
      try {
        await rest.get(`${p.base}/${p.cluster}?limit=1`);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async get(namespace, name) {
      try {
        return await rest.get(path(namespace, name));
      } catch (err) {
        if (isNotFound(err)) return void 0;
        throw err;
      }
    },
    async create(report) {
      await rest.post(path(nsOf(report)), report);
    },
    async replace(report) {
      await rest.put(path(nsOf(report), String(report.metadata?.name)), report);
    },
    async delete(namespace, name) {
      try {
        await rest.delete(path(namespace, name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async *pages(scope, limit = 500) {
      const collection = scope === "cluster" ? `${p.base}/${p.cluster}` : `${p.base}/${p.namespaced}`;
      let next;
      do {
        const query = `?labelSelector=${enc(selector)}&limit=${limit}${next !== void 0 ? `&continue=${enc(next)}` : ""}`;
        let page;
        try {
          page = await rest.get(`${collection}${query}`);
        } catch (err) {
          if (isNotFound(err)) return;
          throw err;
        }
        yield page.items ?? [];
        next = page.metadata?.continue || void 0;
      } while (next !== void 0);
    }
  };
}
async function* pagedList(rest, collectionPath2, limit = 500, restarts = 3) {
  let next;
  let left = restarts;
  for (; ; ) {
    const query = `?limit=${limit}${next !== void 0 ? `&continue=${enc(next)}` : ""}`;
    let page;
    try {
      page = await rest.get(`${collectionPath2}${query}`);
    } catch (err) {
      if (next === void 0 || !(err instanceof KubeApiError) || err.status !== 410 || left-- <= 0)
        throw err;
      next = void 0;
      continue;
    }
    yield page.items ?? [];
    next = page.metadata?.continue || void 0;
    if (next === void 0) return;
  }
}

// src/controllers/reports/admission.ts
var policyKeyOf = (ref) => ref.namespace !== void 0 && ref.namespace !== "" ? `${ref.namespace}/${ref.name}` : ref.name;
var admissionOnlyMemo = /* @__PURE__ */ new WeakMap();
function admissionOnlyPolicies(set) {
  let keys = admissionOnlyMemo.get(set);
  if (keys === void 0) {
    keys = new Set(set.policies.filter((p) => !p.traits.background).map((p) => policyKeyOf(p.ref)));
    admissionOnlyMemo.set(set, keys);
  }
  return keys;
}
var REPORTED_TYPES = /* @__PURE__ */ new Set(["Validation", "ImageVerify"]);
function admissionRecord2(set, responses, request, nowSeconds) {
  if (request.operation === "DELETE" || request.dryRun === true) return void 0;
  const only = admissionOnlyPolicies(set);
  if (only.size === 0) return void 0;
  const picked = responses.filter((r) => only.has(policyKeyOf(r.policy))).map((r) => ({
    policy: r.policy,
    response: { ...r.response, rules: r.response.rules.filter((rule) => REPORTED_TYPES.has(rule.type)) }
  }));
  const results = reportResultsOf(picked, "admission review", nowSeconds);
  const object = request.object ?? {};
  const name = typeof object.metadata?.name === "string" ? object.metadata.name : request.name ?? "";
  if (results.length === 0 || name === "") return void 0;
  const k = request.kind;
  return {
    resource: {
      apiVersion: k.group === "" ? k.version : `${k.group}/${k.version}`,
      kind: k.kind,
      ...request.namespace !== void 0 && request.namespace !== "" ? { namespace: request.namespace } : {},
      name
    },
    results
  };
}
var text3 = (err) => err instanceof Error ? err.message : String(err);
function admissionRecorder(options) {
  const writes = /* @__PURE__ */ new Set();
  return {
    onAdmitted(responses, request) {
      const set = options.policies();
      if (set === void 0) return;
      const record = admissionRecord2(set, responses, request, Math.floor(Date.now() / 1e3));
      if (record === void 0) return;
      const p = options.records.put(record).catch(
        (err) => options.logger.warn("admission results not recorded", {
          resource: `${record.resource.kind}/${record.resource.namespace ?? ""}/${record.resource.name}`,
          error: text3(err)
        })
      );
      writes.add(p);
      void p.finally(() => writes.delete(p));
    },
    async flush() {
      await Promise.all([...writes]);
    }
  };
}

// src/controllers/reports/controller.ts
import { setMaxListeners as setMaxListeners3 } from "node:events";

// src/controllers/reports/scan-targets.ts
var NEVER = /* @__PURE__ */ new Set([
  "PolicyReport",
  "ClusterPolicyReport",
  "Report",
  "ClusterReport",
  "EphemeralReport",
  "ClusterEphemeralReport",
  "Event"
]);
function scanTargets(set, discovery, filters) {
  const namespaces = [
    "",
    ...new Set(set.policies.flatMap((p) => p.ref.namespace !== void 0 ? [p.ref.namespace] : []))
  ];
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const r of discovery) {
    if (r.resource.includes("/") || NEVER.has(r.kind)) continue;
    const key = `${r.group}/${r.kind}`;
    if (seen.has(key)) continue;
    const target = { kind: r.kind, resource: r.resource };
    const wanted = namespaces.some(
      (ns) => set.policiesFor(target, ns).some((p) => p.traits.background && (ns === "" || r.namespaced))
    );
    if (!wanted) continue;
    const kind = { group: r.group, version: r.version, kind: r.kind };
    if (isFilteredRequest(filters, { kind, namespace: "\0", name: "\0" })) continue;
    seen.add(key);
    const base = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
    out.push({
      apiVersion: r.group === "" ? r.version : `${r.group}/${r.version}`,
      kind: r.kind,
      namespaced: r.namespaced,
      path: `${base}/${r.resource}`
    });
  }
  return out;
}

// src/controllers/reports/controller.ts
var SCAN_TIMEOUT_MS = 3e4;
var DISCOVERY_TTL_MS = 6e4;
var text4 = (err) => err instanceof Error ? err.message : String(err);
async function withDeadline(parent, ms, work) {
  const controller = new AbortController();
  setMaxListeners3(0, controller.signal);
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(`scan took more than ${ms} ms`)), ms);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener("abort", onAbort);
  }
}
var resultKey = (r) => `${r.source}
${r.policy}
${r.rule}`;
function liveAdmissionResults(set, stored) {
  const only = admissionOnlyPolicies(set);
  return stored.filter(
    (r) => r?.properties?.process === "admission review" && only.has(String(r.policy))
  );
}
function createReportsController(options) {
  const { reports, logger } = options;
  const concurrency = options.concurrency ?? 8;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1e3));
  let scannedAt = /* @__PURE__ */ new Map();
  let scannedWith;
  let discovery;
  let saidMissing = false;
  const discover = async () => {
    if (discovery === void 0 || performance.now() - discovery.at > DISCOVERY_TTL_MS)
      discovery = { at: performance.now(), value: await options.discover() };
    return discovery.value;
  };
  const reconcile = async (set, object, namespaces, signal, admitted = []) => {
    const resource = reportedResource(object);
    if (resource === void 0) return "skipped";
    let namespaceObject = null;
    if (resource.namespace !== void 0) {
      let ns = namespaces.get(resource.namespace);
      if (ns === void 0) {
        ns = options.getNamespace(resource.namespace).then((o) => o ?? null);
        namespaces.set(resource.namespace, ns);
      }
      namespaceObject = await ns;
    }
    const outcome = await withDeadline(
      signal,
      SCAN_TIMEOUT_MS,
      (evaluation) => scan(set, object, { asyncPorts: options.ports, signal: evaluation }, { namespaceObject })
    );
    if (!signal.aborted) options.events?.add(...scanEvents(outcome.results));
    const scanned = reportResultsOf(outcome.results, "background scan", nowSeconds());
    const stored = await reports.get(resource.namespace, resource.uid);
    const fromAdmission = /* @__PURE__ */ new Map();
    for (const r of liveAdmissionResults(set, [...stored?.results ?? [], ...admitted]))
      fromAdmission.set(resultKey(r), r);
    const fresh = [...scanned, ...fromAdmission.values()];
    if (signal.aborted) return "skipped";
    if (fresh.length === 0) {
      if (stored === void 0) return "unchanged";
      await reports.delete(resource.namespace, resource.uid);
      return "deleted";
    }
    const results = keepTimestamps(fresh, stored?.results ?? []);
    const desired = buildResourceReport(reports.api, resource, results);
    if (stored === void 0) {
      await reports.create(desired);
      return "created";
    }
    if (sameResults(stored.results ?? [], desired.results)) return "unchanged";
    const version = stored.metadata?.resourceVersion;
    await reports.replace({
      ...desired,
      metadata: { ...desired.metadata, ...typeof version === "string" ? { resourceVersion: version } : {} }
    });
    return "updated";
  };
  const disabled = (o) => {
    const labels = o.metadata?.labels ?? {};
    return Object.hasOwn(labels, REPORTS_DISABLED_LABEL);
  };
  const filtered = (target, o) => {
    const [group, version] = target.apiVersion.includes("/") ? target.apiVersion.split("/") : ["", target.apiVersion];
    return isFilteredRequest(options.filters, {
      kind: { group, version, kind: target.kind },
      namespace: String(o.metadata?.namespace ?? ""),
      name: String(o.metadata?.name ?? "")
    });
  };
  const collect = async (set, visited, signal) => {
    let deleted = 0;
    for (const scope of ["namespaced", "cluster"])
      for await (const page of reports.pages(scope)) {
        const stale = page.filter(
          (r) => !visited.has(String(r.metadata?.name)) && liveAdmissionResults(set, r.results ?? []).length === 0
        );
        for (const r of stale) {
          if (signal.aborted) return deleted;
          const ns = r.metadata?.namespace;
          await reports.delete(
            typeof ns === "string" && ns !== "" ? ns : void 0,
            String(r.metadata?.name)
          );
          deleted++;
        }
      }
    return deleted;
  };
  const mergeAdmissions = async (set, namespaces, stats, signal) => {
    const admission = options.admission;
    if (admission === void 0) return;
    for (const { name, record, createdAt } of await admission.records.list()) {
      if (signal.aborted) return;
      const r = record.resource;
      try {
        const object = await admission.getObject(r.apiVersion, r.kind, r.namespace, r.name);
        if (object === void 0) {
          if (Date.now() - createdAt < (admission.graceMs ?? 6e4)) continue;
        } else if (!disabled(object)) {
          const what = await reconcile(
            set,
            { apiVersion: r.apiVersion, kind: r.kind, ...object },
            namespaces,
            signal,
            record.results
          );
          stats[what]++;
        }
        if (!signal.aborted) await admission.records.remove(name);
      } catch (err) {
        logger.warn("admission results not merged; retrying", {
          resource: `${r.kind}/${r.namespace ?? ""}/${r.name}`,
          error: text4(err)
        });
      }
    }
  };
  const pass = async (full, signal) => {
    const stats = { scanned: 0, unchanged: 0, created: 0, updated: 0, deleted: 0, skipped: 0 };
    const set = options.policies();
    if (set === void 0) return { ...stats, complete: false };
    if (!await reports.served()) {
      if (!saidMissing)
        logger.warn("the policy report CRDs are not installed: no reports are written", { api: reports.api });
      saidMissing = true;
      return { ...stats, complete: false };
    }
    saidMissing = false;
    const namespaces = /* @__PURE__ */ new Map();
    if (options.admission !== void 0) await mergeAdmissions(set, namespaces, stats, signal);
    const complete = full || set !== scannedWith;
    const targets = scanTargets(set, (await discover()).resources, options.filters);
    const seen = /* @__PURE__ */ new Map();
    let listedAll = true;
    for (const target of targets) {
      try {
        for await (const page of options.list(target.path)) {
          const work = [];
          for (const raw of page) {
            const o = { apiVersion: target.apiVersion, kind: target.kind, ...raw };
            const uid = String(o.metadata?.uid ?? "");
            const version = String(o.metadata?.resourceVersion ?? "");
            if (seen.has(uid)) continue;
            if (disabled(o) || filtered(target, o)) {
              stats.skipped++;
              continue;
            }
            seen.set(uid, version);
            if (!complete && scannedAt.get(uid) === version) continue;
            work.push(o);
          }
          for (let i = 0; i < work.length; i += concurrency) {
            if (signal.aborted) return { ...stats, complete: false };
            const outcomes = await Promise.all(
              work.slice(i, i + concurrency).map(
                (o) => reconcile(set, o, namespaces, signal).catch((err) => {
                  seen.delete(String(o.metadata?.uid ?? ""));
                  if (!isConflict(err))
                    logger.warn("report not written", {
                      resource: `${target.kind}/${String(o.metadata?.namespace ?? "")}/${String(o.metadata?.name ?? "")}`,
                      error: text4(err)
                    });
                  return "skipped";
                })
              )
            );
            for (const what of outcomes) {
              stats.scanned++;
              stats[what]++;
            }
          }
        }
      } catch (err) {
        listedAll = false;
        if (!isNotFound(err))
          logger.warn("background scan could not list", { resource: target.path, error: text4(err) });
      }
    }
    if (signal.aborted) return { ...stats, complete: false };
    if (complete && listedAll) stats.deleted += await collect(set, new Set(seen.keys()), signal);
    if (complete || listedAll) scannedAt = seen;
    else for (const [uid, v] of seen) scannedAt.set(uid, v);
    if (complete) scannedWith = set;
    return { ...stats, complete };
  };
  return {
    pass,
    async lead(signal) {
      logger.info("reports controller started", { intervalMs: options.intervalMs });
      scannedAt = /* @__PURE__ */ new Map();
      scannedWith = void 0;
      let fullAt = Number.NEGATIVE_INFINITY;
      const pollMs = options.changePollMs ?? 1e4;
      while (!signal.aborted) {
        const full = performance.now() - fullAt >= options.intervalMs;
        const started = performance.now();
        try {
          const { complete, ...stats } = await pass(full, signal);
          if (complete) fullAt = started;
          if (complete || stats.created + stats.updated + stats.deleted > 0)
            logger.info(complete ? "background scan" : "background scan of changes", {
              ...stats,
              ms: Math.round(performance.now() - started)
            });
        } catch (err) {
          logger.warn("background scan failed; retrying", { error: text4(err) });
        }
        await abortableSleep(pollMs, signal);
      }
      logger.info("reports controller stopped");
    }
  };
}

// src/controllers/reports/start.ts
function startReports(context, ports) {
  const config = context.reports;
  if (config === void 0) return void 0;
  const { rest } = context;
  const records = configMapAdmissionRecords(rest, context.namespace);
  const objects = clusterObjects(rest);
  const recorder = admissionRecorder({ records, policies: context.policies, logger: context.logger });
  const controller = createReportsController({
    reports: reportStore(rest, config.api),
    list: (path) => pagedList(rest, path),
    getNamespace: async (name) => {
      try {
        return await rest.get(`/api/v1/namespaces/${encodeURIComponent(name)}`);
      } catch (err) {
        if (isNotFound(err)) return void 0;
        throw err;
      }
    },
    discover: () => discoverResources(rest),
    ports,
    policies: context.policies,
    filters: config.filters,
    logger: context.logger,
    intervalMs: config.scanIntervalMs,
    changePollMs: context.resyncMs,
    ...context.events !== void 0 ? { events: context.events } : {},
    admission: { records, getObject: (...a) => objects.get(...a) }
  });
  return { controller, recorder };
}

// src/controllers/main.ts
var startBackground = (context) => {
  const ports = context.ports ?? createLivePorts({ kubeConfig: context.kubeConfig });
  const generate = createGenerateController({
    objects: clusterObjects(context.rest),
    requests: configMapRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
    ...context.events !== void 0 ? { events: context.events } : {}
  });
  const mutateExisting = createMutateExistingController({
    objects: clusterObjects(context.rest),
    ports,
    requests: configMapMutateRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
    namespace: context.namespace,
    ...context.events !== void 0 ? { events: context.events } : {}
  });
  const reports = startReports(context, ports);
  const cleanup = context.cleanup?.enabled === true ? startCleanupControllers({
    kubeConfig: context.kubeConfig,
    rest: context.rest,
    logger: context.logger,
    ttlIntervalMs: context.cleanup.ttlIntervalMs,
    ports,
    ...context.cleanup.filters !== void 0 ? { filters: context.cleanup.filters } : {},
    ...context.metricsRegistry !== void 0 ? { registry: context.metricsRegistry } : {},
    ...context.events !== void 0 ? { events: context.events } : {}
  }) : void 0;
  return {
    onGenerated: (objects, request) => generate.onGenerated(objects, request),
    onAdmitted: (admitted) => {
      if (admitted.allowed) {
        mutateExisting.onAdmitted(admitted);
        generate.onAdmitted(admitted);
      }
      if (reports !== void 0 && admitted.responses.length > 0)
        reports.recorder.onAdmitted(admitted.responses, admitted.request);
    },
    lead: async (signal) => {
      const leads = context.leads ?? { reports: true, background: true };
      await Promise.all([
        leads.background ? generate.lead(signal) : void 0,
        leads.background ? mutateExisting.lead(signal) : void 0,
        leads.reports ? reports?.controller.lead(signal) : void 0,
        cleanup?.lead(signal)
      ]);
    },
    stop: async () => {
      await Promise.all([generate.flush(), mutateExisting.flush(), reports?.recorder.flush()]);
    }
  };
};

export {
  startCleanupControllers,
  startBackground
};
