import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  diagnosticFields
} from "./chunk-K2VKATRP.mjs";
import {
  kubeHttp,
  listWatchClient,
  newRejections,
  startClusterSource,
  startReflector
} from "./chunk-I6A2X4UM.mjs";
import {
  loadKubeConfig
} from "./chunk-NU3ZKU3R.mjs";
import "./chunk-3MMMPS4N.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-WZVBTUSX.mjs";
import "./chunk-6T4HLX2I.mjs";
import "./chunk-DBKA2XEV.mjs";
import {
  DEFAULT_CALL_TIMEOUT_MS,
  createLivePorts
} from "./chunk-RZEFM2PW.mjs";
import {
  abortableSleep,
  kubeRest
} from "./chunk-Q7EKNDC4.mjs";
import {
  CompileMemo,
  DEFAULT_RETRY_LIMIT,
  loadGlobalContextEntry,
  refreshIntervalMs,
  searchJmespath,
  splitGlobalReference
} from "./chunk-Z5DEH4BP.mjs";
import "./chunk-34UHWEGN.mjs";

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
  const request = apiCallRequest(options.call);
  let state = { ok: false, error: "no data available" };
  const callOnce = async () => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.callTimeoutMs)]);
    const r = await options.caller.call(request, { signal: deadline });
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
    log: (level, message, fields) => options.log(level, message, { globalContextEntry: options.name, ...fields })
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

// src/io/cluster/global-context/refresh-status.ts
var FIELD_MANAGER = "palisade-global-context";
function metaTime(date) {
  return `${date.toISOString().slice(0, 19)}Z`;
}
function refreshedStatusWriter(rest, warn, now = () => /* @__PURE__ */ new Date()) {
  return (entry) => {
    const name = entry.metadata.name;
    const [group, version] = entry.apiVersion.split("/");
    const path = `/apis/${group}/${version}/globalcontextentries/${encodeURIComponent(name)}/status`;
    rest.apply(
      path,
      {
        apiVersion: entry.apiVersion,
        kind: "GlobalContextEntry",
        metadata: { name },
        status: { lastRefreshTime: metaTime(now()) }
      },
      FIELD_MANAGER
    ).catch(
      (err) => warn("cannot write the global context entry status", {
        globalContextEntry: name,
        error: err instanceof Error ? err.message : String(err)
      })
    );
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

// src/webhook/cluster-policy-source.ts
function onClusterLoad(store, logger) {
  const rejectedSinceLast = newRejections();
  return (load) => {
    for (const [policy, issues] of rejectedSinceLast(load))
      logger.error("policy left out of the set: it does not compile", {
        policy,
        diagnostics: issues.map(diagnosticFields)
      });
    const loaded = store.swap(load.set, load.policyCount);
    logger.info("policy set loaded", {
      source: "cluster",
      policySet: loaded.generation,
      policies: load.policyCount,
      objects: load.objectCount,
      ...load.rejected.size > 0 ? { rejected: [...load.rejected.keys()] } : {},
      ...load.warnings.length > 0 ? { warnings: load.warnings.map(diagnosticFields) } : {}
    });
  };
}
function clusterSource(kubeconfig, store, logger, options) {
  const kube = loadKubeConfig({ ...kubeconfig !== void 0 ? { kubeconfig } : {}, env: options.env });
  let running;
  let globalContext;
  const http = kubeHttp(kube.config);
  const peek = (apiVersion, kind, _namespace, name) => apiVersion === "v1" && kind === "Namespace" ? running?.namespace(name) : void 0;
  const direct = createLivePorts({ kubeConfig: kube.config, peek });
  return {
    description: {
      source: "cluster",
      server: kube.server,
      ...kube.origin.kind === "file" ? { kubeconfig: kube.origin.path } : { kubeconfig: "in-cluster" }
    },
    requestContext: (request) => running?.contextFor(request) ?? {},
    ports: createLivePorts({
      kubeConfig: kube.config,
      peek,
      ...options.httpEgress !== void 0 ? { httpEgress: options.httpEgress } : {},
      globalContext: {
        get: (name, call) => globalContext !== void 0 ? globalContext.get(name, call) : Promise.resolve({
          ok: false,
          code: "unavailable",
          message: `failed to fetch entry key=${name}`
        })
      }
    }),
    async start() {
      const client = listWatchClient(http);
      globalContext = startGlobalContextStore({
        client,
        caller: direct.apiCaller,
        kindOf: discoverKind(http),
        onRefreshed: refreshedStatusWriter(kubeRest(kube.config), (m, fields) => logger.warn(m, fields)),
        maxEntries: options.maxGlobalContextEntries ?? 0,
        callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
        log: (level, m, fields) => logger[level](m, fields)
      });
      running = startClusterSource(onClusterLoad(store, logger), {
        client,
        debounceMs: options.debounceMs,
        exceptionGate: options.exceptionGate,
        log: (level, m, fields) => logger[level](m, fields)
      });
    },
    close: () => {
      globalContext?.close();
      running?.close();
    }
  };
}
export {
  clusterSource
};
