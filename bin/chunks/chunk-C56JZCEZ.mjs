import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  DEFAULT_CALL_TIMEOUT_MS,
  createLivePorts
} from "./chunk-S3L4M4DS.mjs";
import {
  abortableSleep
} from "./chunk-BZZJRPMU.mjs";
import {
  CoalescedRuns,
  compileLoadedPolicies
} from "./chunk-GCUPY5NU.mjs";
import {
  decodePolicyDocuments,
  getPolicyDecoder
} from "./chunk-B25Y5PAN.mjs";
import {
  loadDocuments
} from "./chunk-BEDWXCWF.mjs";
import {
  BoundedMemo,
  CompileMemo,
  DEFAULT_RETRY_LIMIT,
  loadGlobalContextEntry,
  refreshIntervalMs,
  searchJmespath,
  splitGlobalReference
} from "./chunk-VRWKX5IU.mjs";

// src/io/cluster/cluster-policies.ts
function newRejections() {
  let reported = /* @__PURE__ */ new Set();
  return (load) => {
    const now = /* @__PURE__ */ new Set();
    const fresh = [];
    for (const [policy, issues] of load.rejected) {
      const key = `${policy}
${issues.map((d) => d.message).join("\n")}`;
      now.add(key);
      if (!reported.has(key)) fresh.push([policy, issues]);
    }
    reported = now;
    return fresh;
  };
}
function compileClusterPolicies(objects, documents, decoder, exceptionGate) {
  const loaded = decodePolicyDocuments(documents.documents(objects), decoder);
  const compiled = compileLoadedPolicies(loaded, exceptionGate);
  const rejected = /* @__PURE__ */ new Map();
  const warnings = [];
  for (const d of compiled.issues) {
    if (d.severity !== "error") {
      warnings.push(d);
      continue;
    }
    const ref = d.source?.file ?? "(cluster)";
    const list = rejected.get(ref);
    if (list === void 0) rejected.set(ref, [d]);
    else list.push(d);
  }
  const kept = warnings.filter((w) => {
    const list = rejected.get(w.source?.file ?? "");
    if (list === void 0) return true;
    list.push(w);
    return false;
  });
  return {
    set: compiled.set,
    policyCount: compiled.policyCount,
    objectCount: objects.length,
    rejected,
    warnings: kept
  };
}

// src/io/cluster/reflector.ts
var DEFAULT_BACKOFF = { initialMs: 500, maxMs: 3e4 };
function keyOf(o) {
  return `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
}
var message = (err) => err instanceof Error ? err.message : String(err);
function startReflector(options) {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? abortableSleep;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const items = /* @__PURE__ */ new Map();
  let state = "pending";
  let delay = backoff.initialMs;
  const stamp = (o, apiVersion) => o.apiVersion === void 0 || o.kind === void 0 ? { ...o, apiVersion, kind: options.kind } : o;
  const wait = async () => {
    await sleep(delay, signal);
    delay = Math.min(delay * 2, backoff.maxMs);
  };
  const list = async () => {
    for (const v of options.versions) {
      const r = await options.client.list(v.path, signal);
      if (r.kind === "listed") return { version: v, ...r };
    }
    return void 0;
  };
  const run = async () => {
    while (!signal.aborted) {
      try {
        const listed = await list();
        if (signal.aborted) return;
        if (listed === void 0) {
          if (state !== "missing") {
            options.log("warn", "resource not served (CRD not installed?); will look again", {
              resource: options.resource,
              versions: options.versions.map((v) => v.apiVersion)
            });
            items.clear();
            state = "missing";
            options.onChange();
          }
          await wait();
          continue;
        }
        const wasMissing = state === "missing";
        items.clear();
        for (const o of listed.items) items.set(keyOf(o), stamp(o, listed.version.apiVersion));
        state = "synced";
        delay = backoff.initialMs;
        if (wasMissing)
          options.log("info", "resource now served", {
            resource: options.resource,
            apiVersion: listed.version.apiVersion
          });
        options.onChange();
        let resourceVersion = listed.resourceVersion;
        const apply = (e) => {
          if (e.type === "BOOKMARK") {
            resourceVersion = e.resourceVersion;
            return;
          }
          const o = stamp(e.object, listed.version.apiVersion);
          resourceVersion = o.metadata?.resourceVersion ?? resourceVersion;
          if (e.type === "DELETED") items.delete(keyOf(o));
          else items.set(keyOf(o), o);
          options.onChange();
        };
        while (!signal.aborted) {
          const end = await options.client.watch(listed.version.path, resourceVersion, apply, signal);
          if (end === "gone") break;
          await sleep(backoff.initialMs, signal);
        }
      } catch (err) {
        if (signal.aborted) return;
        options.log("error", "list/watch failed; retrying", {
          resource: options.resource,
          error: message(err),
          retryInMs: delay
        });
        await wait();
      }
    }
  };
  void run();
  return {
    get state() {
      return state;
    },
    items: () => [...items.values()],
    get: (name, namespace = "") => items.get(`${namespace}/${name}`),
    stop: () => controller.abort()
  };
}

// src/io/cluster/global-context/entry-data.ts
var text = (err) => err instanceof Error ? err.message : String(err);
var Projector = class {
  #projections;
  #memo = new CompileMemo();
  #results;
  constructor(projections) {
    this.#projections = projections;
  }
  /** The data changed: projections are computed again when next read. */
  invalidate() {
    this.#results = void 0;
  }
  /** `projection` of `data`, or undefined when the entry declares no such projection. */
  project(projection, data) {
    if (this.#results === void 0) {
      const value = data();
      this.#results = /* @__PURE__ */ new Map();
      for (const p of this.#projections) {
        try {
          this.#results.set(p.name, {
            ok: true,
            data: searchJmespath(p.jmesPath, value, { memo: this.#memo })
          });
        } catch (err) {
          this.#results.set(p.name, {
            ok: false,
            error: `failed to apply projection "${p.name}": ${text(err)}`
          });
        }
      }
    }
    return this.#results.get(projection);
  }
};

// src/io/cluster/global-context/api-call-entry.ts
var FIRST_PAUSE_MS = 10;
var PAUSE_FACTOR = 5;
function apiCallRequest(call) {
  const method = call.method ?? "GET";
  const body = call.data !== void 0 ? Object.fromEntries(call.data.map((d) => [d.key, d.value])) : void 0;
  const headers = call.service?.headers !== void 0 ? Object.fromEntries(call.service.headers.map((h) => [h.key, h.value])) : void 0;
  return {
    method,
    ...call.urlPath !== void 0 && call.urlPath !== "" ? { urlPath: call.urlPath } : {},
    ...call.service !== void 0 ? { url: call.service.url } : {},
    ...call.service?.caBundle !== void 0 && call.service.caBundle !== "" ? { caBundle: call.service.caBundle } : {},
    ...headers !== void 0 ? { headers } : {},
    ...body !== void 0 ? { body } : {}
  };
}
function apiCallEntry(options) {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? abortableSleep;
  const projector = new Projector(options.projections);
  const request2 = apiCallRequest(options.call);
  let state = { ok: false, error: "no data available" };
  const callOnce = async () => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.callTimeoutMs)]);
    const r = await options.caller.call(request2, { signal: deadline });
    if (!r.ok) return { ok: false, error: r.message };
    return r.value === void 0 || r.value === null ? { ok: false, error: "no data available" } : { ok: true, data: r.value };
  };
  const refresh = async () => {
    let pause = FIRST_PAUSE_MS;
    let last = { ok: false, error: "no data available" };
    for (let attempt = 1; attempt <= Math.max(1, options.retryLimit); attempt++) {
      last = await callOnce();
      if (last.ok || signal.aborted) break;
      if (attempt < options.retryLimit) {
        await sleep(pause, signal);
        pause *= PAUSE_FACTOR;
      }
    }
    if (signal.aborted) return;
    state = last;
    projector.invalidate();
    if (last.ok) options.onRefreshed?.();
    else options.onFailed?.(last.error);
  };
  void (async () => {
    while (!signal.aborted) {
      try {
        await refresh();
      } catch (err) {
        state = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      await sleep(options.refreshMs, signal).catch(() => void 0);
    }
  })();
  return {
    get(projection) {
      if (!state.ok) return state;
      const data = state.data;
      if (projection === "") return state;
      const projected = projector.project(projection, () => data);
      return projected === void 0 || projected.ok && (projected.data === null || projected.data === void 0) ? { ok: false, error: "no data available" } : projected;
    },
    stop: () => controller.abort()
  };
}

// src/io/cluster/global-context/resource-entry.ts
function collectionPath(source) {
  const gv = source.group === void 0 || source.group === "" ? `/api/${source.version}` : `/apis/${source.group}/${source.version}`;
  const ns = source.namespace !== void 0 && source.namespace !== "" ? `/namespaces/${encodeURIComponent(source.namespace)}` : "";
  return `${gv}${ns}/${encodeURIComponent(source.resource)}`;
}
function resourceEntry(options) {
  const { source } = options;
  const apiVersion = source.group === void 0 || source.group === "" ? source.version : `${source.group}/${source.version}`;
  const projector = new Projector(options.projections);
  const reflector = startReflector({
    resource: `${source.resource}${source.group ? `.${source.group}` : ""}`,
    kind: options.kind,
    versions: [{ apiVersion, path: collectionPath(source) }],
    client: options.client,
    onChange: () => projector.invalidate(),
    log: (level, message2, fields) => options.log(level, message2, { globalContextEntry: options.name, ...fields })
  });
  const objects = () => reflector.items();
  return {
    get(projection) {
      if (reflector.state === "pending")
        return { ok: false, error: `global context entry ${options.name} is not synced yet` };
      if (reflector.state === "missing")
        return {
          ok: false,
          error: `global context entry ${options.name}: resource ${collectionPath(source)} is not served`
        };
      if (projection === "") return { ok: true, data: objects() };
      return projector.project(projection, objects) ?? { ok: false, error: `projection "${projection}" not found` };
    },
    stop: () => reflector.stop()
  };
}

// src/io/cluster/global-context/global-context-store.ts
var GLOBAL_CONTEXT_ENTRY_PATHS = [
  { apiVersion: "kyverno.io/v2", path: "/apis/kyverno.io/v2/globalcontextentries" },
  { apiVersion: "kyverno.io/v2beta1", path: "/apis/kyverno.io/v2beta1/globalcontextentries" },
  { apiVersion: "kyverno.io/v2alpha1", path: "/apis/kyverno.io/v2alpha1/globalcontextentries" }
];
function startGlobalContextStore(options) {
  const controller = new AbortController();
  const entries = /* @__PURE__ */ new Map();
  const max = options.maxEntries ?? 0;
  const start = (gce, spec) => {
    const name = gce.metadata.name;
    const projections = gce.spec.projections ?? [];
    const call = gce.spec.apiCall;
    if (call !== void 0) {
      const data = apiCallEntry({
        name,
        call,
        refreshMs: refreshIntervalMs(gce),
        retryLimit: call.retryLimit ?? DEFAULT_RETRY_LIMIT,
        projections,
        caller: options.caller,
        callTimeoutMs: options.callTimeoutMs,
        onRefreshed: () => options.onRefreshed?.(gce),
        onFailed: (error) => options.log("warn", "global context entry refresh failed", { globalContextEntry: name, error })
      });
      return { spec, data, error: void 0 };
    }
    const source = gce.spec.kubernetesResource;
    if (source === void 0) return { spec, data: void 0, error: "the entry has no source" };
    const running = {
      spec,
      data: void 0,
      error: `global context entry ${name} is not synced yet`
    };
    void options.kindOf(source.group ?? "", source.version, source.resource, controller.signal).then((kind) => {
      if (controller.signal.aborted || entries.get(name) !== running) return;
      if (!kind.ok) {
        running.error = `global context entry ${name}: ${kind.message}`;
        options.log("error", "global context entry cannot run", {
          globalContextEntry: name,
          error: kind.message
        });
        return;
      }
      running.data = resourceEntry({
        name,
        source,
        kind: kind.value,
        projections,
        client: options.client,
        log: options.log
      });
      running.error = void 0;
    });
    return running;
  };
  const stopEntry = (r) => r?.data?.stop();
  const reconcile = (objects) => {
    const seen = /* @__PURE__ */ new Set();
    for (const object of objects) {
      const name = String(object.metadata?.name ?? "");
      if (name === "") continue;
      seen.add(name);
      const spec = JSON.stringify(object.spec ?? null);
      const old = entries.get(name);
      if (old?.spec === spec) continue;
      stopEntry(old);
      const loaded = loadGlobalContextEntry(object);
      if (!loaded.ok) {
        const error = loaded.issues.map((d) => d.message).join("; ");
        entries.set(name, {
          spec,
          data: void 0,
          error: `global context entry ${name} is invalid: ${error}`
        });
        options.log("error", "global context entry is invalid", { globalContextEntry: name, error });
        continue;
      }
      if (old === void 0 && max > 0 && entries.size >= max) {
        options.log("warn", "global context store is full", { globalContextEntry: name, maxEntries: max });
        continue;
      }
      entries.set(name, start(loaded.value, spec));
      options.log("info", "global context entry started", { globalContextEntry: name });
    }
    for (const [name, r] of entries)
      if (!seen.has(name)) {
        stopEntry(r);
        entries.delete(name);
        options.log("info", "global context entry removed", { globalContextEntry: name });
      }
  };
  const watched = startReflector({
    resource: "globalcontextentries.kyverno.io",
    kind: "GlobalContextEntry",
    versions: GLOBAL_CONTEXT_ENTRY_PATHS,
    client: options.client,
    onChange: () => reconcile(watched?.items() ?? []),
    log: options.log
  });
  return {
    async get(reference) {
      const { entry, projection } = splitGlobalReference(reference);
      const running = entries.get(entry);
      if (running === void 0)
        return { ok: false, code: "not-found", message: `failed to fetch entry key=${entry}` };
      if (running.data === void 0)
        return {
          ok: false,
          code: "unavailable",
          message: running.error ?? `global context entry ${entry} is not ready`
        };
      const answer = running.data.get(projection);
      return answer.ok ? { ok: true, value: answer.data } : { ok: false, code: "unavailable", message: answer.error };
    },
    close() {
      controller.abort();
      watched.stop();
      for (const r of entries.values()) stopEntry(r);
      entries.clear();
    }
  };
}

// src/io/cluster/global-context/resource-kind.ts
function discoverKind(http) {
  return async (group, version, resource, signal) => {
    const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
    try {
      const answer = await http.getJson(path, signal);
      if (answer.status === 404) return { ok: false, code: "not-found", message: `${path} is not served` };
      if (answer.status !== 200)
        return { ok: false, code: "unavailable", message: `discovery of ${path}: HTTP ${answer.status}` };
      const list = answer.body.resources ?? [];
      const found = list.find((r) => r.name === resource);
      return typeof found?.kind === "string" ? { ok: true, value: found.kind } : { ok: false, code: "not-found", message: `resource ${resource} is not served by ${path}` };
    } catch (err) {
      return {
        ok: false,
        code: "unavailable",
        message: `discovery of ${path}: ${err instanceof Error ? err.message : String(err)}`
      };
    }
  };
}

// src/io/cluster/cluster-ports.ts
function clusterPorts(options) {
  const { kubeConfig, peek } = options;
  let store;
  const direct = createLivePorts({ kubeConfig, ...peek !== void 0 ? { peek } : {} });
  const ports = createLivePorts({
    kubeConfig,
    ...peek !== void 0 ? { peek } : {},
    ...options.httpEgress !== void 0 ? { httpEgress: options.httpEgress } : {},
    globalContext: {
      get: (name, call) => store !== void 0 ? store.get(name, call) : Promise.resolve({ ok: false, code: "unavailable", message: `failed to fetch entry key=${name}` })
    }
  });
  return {
    ports,
    start() {
      if (store !== void 0) return;
      store = startGlobalContextStore({
        client: options.client,
        caller: direct.apiCaller,
        kindOf: discoverKind(options.http),
        ...options.onRefreshed !== void 0 ? { onRefreshed: options.onRefreshed } : {},
        maxEntries: options.maxGlobalContextEntries,
        callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
        log: options.log
      });
    },
    close() {
      store?.close();
    }
  };
}

// src/io/crds/crd-catalog.ts
var AGE = { name: "AGE", type: "date", jsonPath: ".metadata.creationTimestamp" };
var readyCondition = (field) => `.status.conditions[?(@.type == "Ready")].${field}`;
var KYVERNO_POLICY_COLUMNS = [
  { name: "ADMISSION", type: "boolean", jsonPath: ".spec.admission" },
  { name: "BACKGROUND", type: "boolean", jsonPath: ".spec.background" },
  { name: "READY", type: "string", jsonPath: readyCondition("status") },
  AGE,
  { name: "FAILURE POLICY", type: "string", jsonPath: ".spec.failurePolicy", priority: 1 },
  { name: "VALIDATE", type: "integer", jsonPath: ".status.rulecount.validate", priority: 1 },
  { name: "MUTATE", type: "integer", jsonPath: ".status.rulecount.mutate", priority: 1 },
  { name: "GENERATE", type: "integer", jsonPath: ".status.rulecount.generate", priority: 1 },
  { name: "VERIFY IMAGES", type: "integer", jsonPath: ".status.rulecount.verifyimages", priority: 1 },
  { name: "MESSAGE", type: "string", jsonPath: readyCondition("message") }
];
var CEL_POLICY_COLUMNS = [
  AGE,
  { name: "READY", type: "string", jsonPath: ".status.conditionStatus.ready" }
];
var CLEANUP_COLUMNS = [
  { name: "SCHEDULE", type: "string", jsonPath: ".spec.schedule" },
  { name: "READY", type: "string", jsonPath: readyCondition("status") },
  AGE
];
var KYVERNO_POLICY_VERSIONS = [
  { name: "v1", storage: true },
  { name: "v2beta1", storage: false }
];
var KYVERNO_V2_VERSIONS = [
  { name: "v2", storage: true },
  { name: "v2beta1", storage: false, deprecated: true }
];
var CEL_VERSIONS = [
  { name: "v1", storage: false },
  { name: "v1alpha1", storage: false, deprecated: true },
  { name: "v1beta1", storage: true }
];
var NAMESPACED_CEL_VERSIONS = CEL_VERSIONS.filter((v) => v.name !== "v1alpha1");
function kyverno(kind, plural, shortName, scope, versions, columns) {
  return {
    group: "kyverno.io",
    kind,
    plural,
    shortNames: [shortName],
    scope,
    versions,
    columns,
    statusSubresource: kind !== "PolicyException"
  };
}
function celPair(kind, plural, shortName) {
  const entry = (k, p, s, scope) => ({
    group: "policies.kyverno.io",
    kind: k,
    plural: p,
    shortNames: [s],
    scope,
    versions: scope === "Cluster" ? CEL_VERSIONS : NAMESPACED_CEL_VERSIONS,
    columns: CEL_POLICY_COLUMNS,
    statusSubresource: true
  });
  return [
    entry(kind, plural, shortName, "Cluster"),
    entry(`Namespaced${kind}`, `namespaced${plural}`, `n${shortName}`, "Namespaced")
  ];
}
var CRD_CATALOG = [
  kyverno(
    "ClusterPolicy",
    "clusterpolicies",
    "cpol",
    "Cluster",
    KYVERNO_POLICY_VERSIONS,
    KYVERNO_POLICY_COLUMNS
  ),
  kyverno("Policy", "policies", "pol", "Namespaced", KYVERNO_POLICY_VERSIONS, KYVERNO_POLICY_COLUMNS),
  kyverno("PolicyException", "policyexceptions", "polex", "Namespaced", KYVERNO_V2_VERSIONS, [AGE]),
  kyverno(
    "ClusterCleanupPolicy",
    "clustercleanuppolicies",
    "ccleanpol",
    "Cluster",
    KYVERNO_V2_VERSIONS,
    CLEANUP_COLUMNS
  ),
  kyverno("CleanupPolicy", "cleanuppolicies", "cleanpol", "Namespaced", KYVERNO_V2_VERSIONS, CLEANUP_COLUMNS),
  {
    group: "kyverno.io",
    kind: "GlobalContextEntry",
    plural: "globalcontextentries",
    shortNames: ["gctxentry"],
    scope: "Cluster",
    versions: [
      { name: "v2", storage: false },
      { name: "v2alpha1", storage: false, deprecated: true },
      { name: "v2beta1", storage: true }
    ],
    columns: [
      AGE,
      { name: "REFRESH INTERVAL", type: "string", jsonPath: ".spec.apiCall.refreshInterval" },
      { name: "LAST REFRESH", type: "date", jsonPath: ".status.lastRefreshTime" }
    ],
    statusSubresource: true
  },
  ...celPair("ValidatingPolicy", "validatingpolicies", "vpol"),
  ...celPair("MutatingPolicy", "mutatingpolicies", "mpol"),
  ...celPair("GeneratingPolicy", "generatingpolicies", "gpol"),
  ...celPair("DeletingPolicy", "deletingpolicies", "dpol"),
  ...celPair("ImageValidatingPolicy", "imagevalidatingpolicies", "ivpol"),
  {
    group: "policies.kyverno.io",
    kind: "PolicyException",
    plural: "policyexceptions",
    // Not `polex`: kyverno.io's PolicyException has that short name.
    shortNames: [],
    scope: "Namespaced",
    versions: CEL_VERSIONS,
    columns: [AGE],
    statusSubresource: false
  }
];

// src/io/cluster/collections.ts
function collection(group, plural, kind, versions) {
  return {
    resource: group === "" ? plural : `${plural}.${group}`,
    kind,
    versions: versions.map((v) => ({
      apiVersion: group === "" ? v : `${group}/${v}`,
      path: group === "" ? `/api/${v}/${plural}` : `/apis/${group}/${v}/${plural}`
    }))
  };
}
function preferredVersions(entry) {
  const rank = (v) => v.name === "v1" ? 0 : v.storage ? 1 : v.deprecated === true ? 3 : 2;
  return [...entry.versions].sort((a, b) => rank(a) - rank(b)).map((v) => v.name);
}
var NOT_FOLLOWED = /* @__PURE__ */ new Set(["ClusterCleanupPolicy", "CleanupPolicy"]);
var ADMISSION_GROUP = "admissionregistration.k8s.io";
var POLICY_COLLECTIONS = [
  ...CRD_CATALOG.filter((e) => !NOT_FOLLOWED.has(e.kind)).map(
    (e) => collection(e.group, e.plural, e.kind, preferredVersions(e))
  ),
  collection(ADMISSION_GROUP, "validatingadmissionpolicies", "ValidatingAdmissionPolicy", ["v1", "v1beta1"]),
  collection(ADMISSION_GROUP, "validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", [
    "v1",
    "v1beta1"
  ]),
  collection(ADMISSION_GROUP, "mutatingadmissionpolicies", "MutatingAdmissionPolicy", [
    "v1",
    "v1beta1",
    "v1alpha1"
  ]),
  collection(ADMISSION_GROUP, "mutatingadmissionpolicybindings", "MutatingAdmissionPolicyBinding", [
    "v1",
    "v1beta1",
    "v1alpha1"
  ])
];
var NAMESPACES = collection("", "namespaces", "Namespace", ["v1"]);
var ROLE_BINDINGS = collection("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", ["v1"]);
var CLUSTER_ROLE_BINDINGS = collection(
  "rbac.authorization.k8s.io",
  "clusterrolebindings",
  "ClusterRoleBinding",
  ["v1"]
);

// src/io/cluster/object-documents.ts
function objectRef(o) {
  const ns = o.metadata?.namespace;
  return `${String(o.kind)}/${ns !== void 0 && ns !== "" ? `${ns}/` : ""}${o.metadata?.name ?? ""}`;
}
function withoutManagedFields(o) {
  if (o.metadata === void 0 || !("managedFields" in o.metadata)) return o;
  const { managedFields: _, ...metadata } = o.metadata;
  return { ...o, metadata };
}
var ObjectDocuments = class {
  #cache = /* @__PURE__ */ new Map();
  /** One document per object; the cache keeps only the objects of this call. */
  documents(objects) {
    const next = /* @__PURE__ */ new Map();
    const documents = [];
    for (const o of objects) {
      const key = `${objectRef(o)}@${o.metadata?.uid ?? ""}@${o.metadata?.resourceVersion ?? ""}`;
      let doc = this.#cache.get(key);
      if (doc === void 0) {
        const loaded = loadDocuments(JSON.stringify(withoutManagedFields(o), null, 2), objectRef(o));
        doc = loaded.documents[0];
      }
      if (doc === void 0) continue;
      next.set(key, doc);
      documents.push(doc);
    }
    this.#cache = next;
    return { documents, issues: [] };
  }
};

// src/io/cluster/role-refs.ts
function subjectMatches(subject, user, bindingNamespace) {
  switch (subject.kind) {
    case "ServiceAccount": {
      const ns = subject.namespace || bindingNamespace;
      return ns !== "" && user.username === `system:serviceaccount:${ns}:${subject.name ?? ""}`;
    }
    case "Group":
      return (user.groups ?? []).includes(subject.name ?? "");
    case "User":
      return user.username === subject.name;
    default:
      return false;
  }
}
function binds(binding, user, namespace) {
  return (binding.subjects ?? []).some((s) => subjectMatches(s, user, namespace));
}
var sortedSet = (xs) => [...new Set(xs)].sort();
function roleRefs(roleBindings, clusterRoleBindings, user, requestNamespace) {
  const roles = [];
  const clusterRoles = [];
  for (const rb of roleBindings) {
    const ns = rb.metadata?.namespace ?? "";
    if (!binds(rb, user, ns)) continue;
    const name = rb.roleRef?.name ?? "";
    if (rb.roleRef?.kind === "Role") roles.push(`${ns}:${name}`);
    else if (rb.roleRef?.kind === "ClusterRole" && ns === requestNamespace) clusterRoles.push(name);
  }
  for (const crb of clusterRoleBindings) {
    if (crb.roleRef?.kind === "ClusterRole" && binds(crb, user, ""))
      clusterRoles.push(crb.roleRef.name ?? "");
  }
  return { roles: sortedSet(roles), clusterRoles: sortedSet(clusterRoles) };
}

// src/io/cluster/request-context.ts
var MEMO_LIMIT = 1e4;
var RequestContexts = class {
  #copies;
  #memo = new BoundedMemo(MEMO_LIMIT);
  constructor(copies) {
    this.#copies = copies;
  }
  /** Call when a RoleBinding or ClusterRoleBinding changes. */
  bindingsChanged() {
    this.#memo.clear();
  }
  #roles(request2) {
    const user = request2.userInfo ?? {};
    const key = JSON.stringify([user.username ?? "", user.groups ?? [], request2.namespace]);
    let refs = this.#memo.get(key);
    if (refs === void 0) {
      refs = roleRefs(
        this.#copies.roleBindings(),
        this.#copies.clusterRoleBindings(),
        { username: user.username ?? "", groups: user.groups ?? [] },
        request2.namespace
      );
      this.#memo.set(key, refs);
    }
    return refs;
  }
  /** The context `admit` reads for `request`. */
  contextFor(request2) {
    const refs = request2.userInfo === void 0 ? void 0 : this.#roles(request2);
    const ns = request2.namespace === "" ? void 0 : this.#copies.namespace(request2.namespace);
    return {
      namespaceObject: ns ?? null,
      ...refs !== void 0 ? { roles: refs.roles, clusterRoles: refs.clusterRoles } : {}
    };
  }
};

// src/io/cluster/cluster-source.ts
function byNamespaceAndName(a, b) {
  const ka = `${a.metadata?.namespace ?? ""}/${a.metadata?.name ?? ""}`;
  const kb = `${b.metadata?.namespace ?? ""}/${b.metadata?.name ?? ""}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
function startClusterSource(onLoad, options) {
  const documents = new ObjectDocuments();
  let closed = false;
  let timer;
  let loadedOnce = false;
  let markLoaded = () => {
  };
  const firstLoad = new Promise((done) => {
    markLoaded = done;
  });
  const reflectors = [];
  const settled = () => reflectors.every((r) => r.state !== "pending");
  const compiles = new CoalescedRuns(async () => {
    if (closed) return;
    try {
      const decoder = await getPolicyDecoder();
      const objects = policyReflectors.flatMap((r) => r.items().sort(byNamespaceAndName));
      const load = compileClusterPolicies(objects, documents, decoder, options.exceptionGate);
      if (closed) return;
      onLoad(load);
      if (!loadedOnce) {
        loadedOnce = true;
        markLoaded();
      }
    } catch (err) {
      options.log("error", "compiling the cluster policies failed", {
        error: err instanceof Error ? err.message : String(err)
      });
    }
  });
  const policyChanged = () => {
    if (closed || !settled()) return;
    if (!loadedOnce && !compiles.queued && timer === void 0) {
      void compiles.request();
      return;
    }
    if (timer !== void 0) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = void 0;
      void compiles.request();
    }, options.debounceMs);
  };
  const start = (c, onChange) => {
    const r = startReflector({
      resource: c.resource,
      kind: c.kind,
      versions: c.versions,
      client: options.client,
      log: options.log,
      onChange,
      ...options.backoff !== void 0 ? { backoff: options.backoff } : {}
    });
    reflectors.push(r);
    return r;
  };
  const contextChanged = () => {
    if (!loadedOnce) policyChanged();
  };
  const policyReflectors = POLICY_COLLECTIONS.map((c) => start(c, policyChanged));
  const namespaces = start(NAMESPACES, contextChanged);
  let contexts;
  const bindingsChanged = () => {
    contexts?.bindingsChanged();
    contextChanged();
  };
  const roleBindings = start(ROLE_BINDINGS, bindingsChanged);
  const clusterRoleBindings = start(CLUSTER_ROLE_BINDINGS, bindingsChanged);
  contexts = new RequestContexts({
    namespace: (name) => namespaces.get(name),
    roleBindings: () => roleBindings.items(),
    clusterRoleBindings: () => clusterRoleBindings.items()
  });
  const requestContexts = contexts;
  return {
    contextFor: (request2) => requestContexts.contextFor(request2),
    namespace: (name) => namespaces.get(name),
    firstLoad,
    close() {
      closed = true;
      if (timer !== void 0) clearTimeout(timer);
      for (const r of reflectors) r.stop();
    }
  };
}

// src/io/cluster/kube-http.ts
import { request } from "node:https";
import { createInterface } from "node:readline";
async function open(config, path, signal, timeoutMs) {
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig names no current cluster");
  const url = new URL(path, cluster.server);
  const options = { headers: { accept: "application/json" } };
  await config.applyToHTTPSOptions(options);
  return new Promise((done, fail) => {
    const req = request(
      url,
      { ...options, method: "GET", timeout: timeoutMs, ...signal ? { signal } : {} },
      done
    );
    req.on("timeout", () => req.destroy(new Error(`GET ${url.pathname}: no answer within ${timeoutMs} ms`)));
    req.on("error", fail);
    req.end();
  });
}
function readAll(res) {
  return new Promise((done, fail) => {
    let text2 = "";
    res.setEncoding("utf8");
    res.on("data", (d) => {
      text2 += d;
    });
    res.on("end", () => {
      try {
        done(JSON.parse(text2));
      } catch {
        done(text2);
      }
    });
    res.on("error", fail);
  });
}
function kubeHttp(config, requestTimeoutMs = 3e4) {
  return {
    async getJson(path, signal) {
      const res = await open(config, path, signal, requestTimeoutMs);
      return { status: res.statusCode ?? 0, body: await readAll(res) };
    },
    async stream(path, onLine, { signal, idleMs }) {
      const res = await open(config, path, signal, idleMs);
      const status = res.statusCode ?? 0;
      if (status !== 200) return { status, body: await readAll(res) };
      return new Promise((done, fail) => {
        const lines = createInterface({ input: res, crlfDelay: Number.POSITIVE_INFINITY });
        lines.on("line", (line) => {
          if (line.trim() === "") return;
          let value;
          try {
            value = JSON.parse(line);
          } catch {
            return;
          }
          onLine(value);
        });
        res.on("error", fail);
        lines.on("error", fail);
        res.on("aborted", () => fail(new Error(`watch ${path}: connection aborted`)));
        lines.on("close", () => done({ status, body: void 0 }));
      });
    }
  };
}

// src/io/cluster/list-watch-client.ts
var PAGE = 500;
var WATCH_SECONDS = 290;
function statusMessage(body) {
  const b = body;
  return typeof b?.message === "string" ? b.message : typeof body === "string" ? body.slice(0, 200) : "";
}
function failure(what, status, body) {
  const m = statusMessage(body);
  return new Error(`${what}: HTTP ${status}${m !== "" ? `: ${m}` : ""}`);
}
function listWatchClient(http, options = {}) {
  const pageSize = options.pageSize ?? PAGE;
  const watchSeconds = options.watchSeconds ?? WATCH_SECONDS;
  return {
    async list(path, signal) {
      const items = [];
      let cont = "";
      for (; ; ) {
        const query = new URLSearchParams({ limit: String(pageSize) });
        if (cont !== "") query.set("continue", cont);
        const answer = await http.getJson(`${path}?${query}`, signal);
        if (answer.status === 404) return { kind: "missing" };
        if (answer.status === 410 && cont !== "") {
          items.length = 0;
          cont = "";
          continue;
        }
        if (answer.status !== 200) throw failure(`list ${path}`, answer.status, answer.body);
        const body = answer.body;
        items.push(...body.items ?? []);
        cont = body.metadata?.continue ?? "";
        if (cont === "")
          return { kind: "listed", items, resourceVersion: body.metadata?.resourceVersion ?? "" };
      }
    },
    async watch(path, resourceVersion, onEvent, signal) {
      const query = new URLSearchParams({
        watch: "true",
        allowWatchBookmarks: "true",
        resourceVersion,
        timeoutSeconds: String(watchSeconds)
      });
      let gone = false;
      let error;
      const answer = await http.stream(
        `${path}?${query}`,
        (line) => {
          const e = line;
          if (e.type === "ERROR") {
            if (e.object?.code === 410) gone = true;
            else error = failure(`watch ${path}`, Number(e.object?.code ?? 0), e.object);
            return;
          }
          if (e.object === void 0) return;
          if (e.type === "BOOKMARK")
            onEvent({
              type: "BOOKMARK",
              resourceVersion: e.object.metadata?.resourceVersion ?? resourceVersion
            });
          else if (e.type === "ADDED" || e.type === "MODIFIED" || e.type === "DELETED")
            onEvent({ type: e.type, object: e.object });
        },
        { signal, idleMs: (watchSeconds + 30) * 1e3 }
      );
      if (answer.status === 410) return "gone";
      if (answer.status !== 200) throw failure(`watch ${path}`, answer.status, answer.body);
      if (error !== void 0 && !gone) throw error;
      return gone ? "gone" : "closed";
    }
  };
}

export {
  newRejections,
  clusterPorts,
  startClusterSource,
  kubeHttp,
  listWatchClient
};
