import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  clusterPorts,
  kubeHttp,
  listWatchClient,
  newRejections,
  startClusterSource
} from "./chunk-C56JZCEZ.mjs";
import "./chunk-S3L4M4DS.mjs";
import {
  loadKubeConfig
} from "./chunk-NU3ZKU3R.mjs";
import {
  kubeRest
} from "./chunk-BZZJRPMU.mjs";
import {
  diagnosticFields
} from "./chunk-K2VKATRP.mjs";
import "./chunk-GCUPY5NU.mjs";
import "./chunk-DUEQKOJN.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-B25Y5PAN.mjs";
import "./chunk-BEDWXCWF.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-VRWKX5IU.mjs";
import "./chunk-34UHWEGN.mjs";

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
  const http = kubeHttp(kube.config);
  const client = listWatchClient(http);
  const log = (level, m, fields) => logger[level](m, fields);
  const peek = (apiVersion, kind, _namespace, name) => apiVersion === "v1" && kind === "Namespace" ? running?.namespace(name) : void 0;
  const calls = clusterPorts({
    kubeConfig: kube.config,
    http,
    client,
    peek,
    ...options.httpEgress !== void 0 ? { httpEgress: options.httpEgress } : {},
    maxGlobalContextEntries: options.maxGlobalContextEntries ?? 0,
    onRefreshed: refreshedStatusWriter(kubeRest(kube.config), (m, fields) => logger.warn(m, fields)),
    log
  });
  return {
    description: {
      source: "cluster",
      server: kube.server,
      ...kube.origin.kind === "file" ? { kubeconfig: kube.origin.path } : { kubeconfig: "in-cluster" }
    },
    requestContext: (request) => running?.contextFor(request) ?? {},
    ports: calls.ports,
    async start() {
      calls.start();
      running = startClusterSource(onClusterLoad(store, logger), {
        client,
        debounceMs: options.debounceMs,
        exceptionGate: options.exceptionGate,
        log
      });
    },
    close: () => {
      calls.close();
      running?.close();
    }
  };
}
export {
  clusterSource
};
