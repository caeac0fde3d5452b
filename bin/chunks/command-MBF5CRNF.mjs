import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  startBackground,
  startCleanupControllers
} from "./chunk-VYUKPOEJ.mjs";
import "./chunk-JCGDWRDO.mjs";
import {
  clusterPorts,
  kubeHttp,
  listWatchClient,
  newRejections,
  startClusterSource
} from "./chunk-C56JZCEZ.mjs";
import {
  createLivePorts
} from "./chunk-S3L4M4DS.mjs";
import {
  startClusterEvents,
  startLeaderElection
} from "./chunk-ZN6OWZZ5.mjs";
import "./chunk-M5ZV5SI3.mjs";
import {
  loadKubeConfig
} from "./chunk-NU3ZKU3R.mjs";
import {
  kubeRest
} from "./chunk-BZZJRPMU.mjs";
import {
  ELECTION_TIMING_OPTIONS,
  EVENT_HELP,
  EVENT_OPTIONS,
  parseElectionTiming,
  parseEventFlags
} from "./chunk-242MH7RB.mjs";
import "./chunk-CIHTMZJI.mjs";
import {
  parseCommandArgs,
  str
} from "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import {
  parseCountValue,
  parseLimitValue
} from "./chunk-G5XHT7KU.mjs";
import "./chunk-GCUPY5NU.mjs";
import {
  egressPolicyFromFlags
} from "./chunk-DUEQKOJN.mjs";
import {
  require_prom_client
} from "./chunk-74TYKONL.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-B25Y5PAN.mjs";
import "./chunk-BEDWXCWF.mjs";
import "./chunk-DBKA2XEV.mjs";
import {
  DEFAULT_RESOURCE_FILTERS,
  parseResourceFilters
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/controllers/command.ts
var import_prom_client = __toESM(require_prom_client(), 1);
import { createServer } from "node:http";
import { hostname } from "node:os";

// src/controllers/cluster-policy-set.ts
function watchClusterPolicySet(options) {
  const { logger } = options;
  const http = kubeHttp(options.kubeConfig);
  const client = listWatchClient(http);
  const log = (level, message, fields) => logger[level](message, fields ?? {});
  const calls = clusterPorts({
    kubeConfig: options.kubeConfig,
    http,
    client,
    httpEgress: options.httpEgress,
    maxGlobalContextEntries: options.maxGlobalContextEntries,
    log
  });
  calls.start();
  let set;
  let generation = 0;
  const rejectedSinceLast = newRejections();
  const source = startClusterSource(
    (load) => {
      for (const [policy, issues] of rejectedSinceLast(load))
        logger.error("policy left out of the set: it does not compile", {
          policy,
          errors: issues.map((d) => d.message)
        });
      set = load.set;
      generation += 1;
      logger.info("policy set loaded", {
        source: "cluster",
        policySet: generation,
        policies: load.policyCount,
        objects: load.objectCount
      });
    },
    { client, debounceMs: options.debounceMs, exceptionGate: options.exceptionGate, log }
  );
  return {
    current: () => set,
    ports: calls.ports,
    firstLoad: source.firstLoad,
    close: () => {
      calls.close();
      source.close();
    }
  };
}

// src/controllers/controller-args.ts
var CONTROLLER_NAMES = ["cleanup", "reports", "background"];
var CONTROLLER_HELP = `Usage: palisade controller <cleanup|reports|background> [flags]

Runs background controllers on their own, in a Deployment apart from 'palisade serve' (which then
runs with --cleanup-controller=false, --reports-controller=false or --background-controller=false).
One replica leads through its own Lease; the others wait. reports and background read the policies
from the cluster as 'palisade serve --cluster' does, and the admission records serve's replicas
leave in --namespace.
  cleanup      ClusterCleanupPolicy/CleanupPolicy/DeletingPolicy schedules and the cleanup.kyverno.io/ttl label
  reports      background scans and admission results, one PolicyReport per resource
  background   generate (data, clone, synchronize, generateExisting) and mutate-existing

Flags:
      --kubeconfig FILE          cluster to act on (default: $KUBECONFIG, in-cluster, ~/.kube/config)
      --namespace NS             Palisade's namespace, where the Lease lives (default: $POD_NAMESPACE, else palisade)
      --leader-election BOOL     elect one leader through a Lease (default true)
      --lease-name NAME          the Lease (default palisade-<name>-controller)
      --lease-duration duration  (default 12s)   --renew-deadline duration (default 10s)
      --retry-period duration    (default 2s)
      --metrics-port N           /metrics, /health/liveness and /health/readiness (ready once the
                                 policy set is loaded) on this port (default: none)
      --metrics-address ADDR     (default 0.0.0.0)
      --ttl-reconciliation-interval duration
                                 cleanup: how often TTL-labelled objects are listed (default 1m)
      --resync-period duration   reports, background: changed triggers, targets and resources are
                                 re-read every min(this, 10s) (default 1m, as serve)
      --background-scan-interval duration
                                 reports: every resource is scanned again this often (default 1h)
      --openreports-enabled      reports: openreports.io Reports, not wgpolicyk8s.io PolicyReports
      --resource-filters LIST    reports: [kind,namespace,name] entries scans skip (serve's default)
      --enable-policy-exception  reports, background: honour PolicyExceptions, as serve's flags
      --exception-namespace NS   (give both processes the same values)
      --watch-debounce duration  reports, background: quiet time before a changed policy set is
                                 compiled (default 500ms)
      --http-blocklist list      where CEL http.Get/Post may not connect, as serve's (default:
                                 Kyverno's: metadata addresses and loopback)
      --http-allowlist list      URL prefixes CEL http.Get/Post may reach, as serve's
      --max-global-context-entries int
                                 reports, background: GlobalContextEntries run at most (0: no bound)
${EVENT_HELP}
  -h, --help`;
var OPTIONS = {
  help: { type: "boolean", short: "h" },
  kubeconfig: { type: "string" },
  namespace: { type: "string" },
  "leader-election": { type: "string" },
  "lease-name": { type: "string" },
  ...ELECTION_TIMING_OPTIONS,
  "metrics-port": { type: "string" },
  "metrics-address": { type: "string" },
  "ttl-reconciliation-interval": { type: "string" },
  "resync-period": { type: "string" },
  "background-scan-interval": { type: "string" },
  "openreports-enabled": { type: "boolean" },
  "resource-filters": { type: "string" },
  "enable-policy-exception": { type: "boolean" },
  "exception-namespace": { type: "string" },
  "watch-debounce": { type: "string" },
  "http-blocklist": { type: "string" },
  "http-allowlist": { type: "string" },
  "max-global-context-entries": { type: "string" },
  ...EVENT_OPTIONS
};
var Usage = class extends Error {
};
function duration(flag, text2, fallback) {
  if (text2 === void 0) return fallback;
  const v = parseLimitValue("duration", text2);
  if (v === void 0) throw new Usage(`--${flag} expects a duration such as 2s, got "${text2}"`);
  return v;
}
function egress(blocklist, allowlist) {
  const made = egressPolicyFromFlags(blocklist, allowlist);
  if (!made.ok) throw new Usage(made.error);
  return made.policy;
}
function count(flag, text2) {
  if (text2 === void 0) return 0;
  const n = parseCountValue(text2);
  if (n === void 0) throw new Usage(`--${flag} expects a count (0: no bound), got "${text2}"`);
  return n;
}
function eventFlags(values) {
  try {
    return parseEventFlags(values);
  } catch (err) {
    throw new Usage(err instanceof Error ? err.message : String(err));
  }
}
function parseControllerArgs(argv, env) {
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return parsed;
  const v = parsed.values;
  if (v.help === true) return { ok: true, help: true };
  try {
    const [name, extra] = parsed.positionals;
    if (name === void 0) throw new Usage(`name a controller: ${CONTROLLER_NAMES.join(", ")}`);
    if (!CONTROLLER_NAMES.includes(name))
      throw new Usage(`unknown controller "${name}"; one of ${CONTROLLER_NAMES.join(", ")}`);
    if (extra !== void 0) throw new Usage(`one controller per process, got "${extra}" too`);
    const namespace = str(v.namespace) ?? env.POD_NAMESPACE ?? "palisade";
    const election = parseElectionTiming(v);
    if (!election.ok) throw new Usage(election.error);
    const timing = election.timing;
    const le = str(v["leader-election"]) ?? "true";
    if (!/^(true|false)$/i.test(le)) throw new Usage(`--leader-election expects true or false, got "${le}"`);
    const portText = str(v["metrics-port"]);
    const port = portText === void 0 ? void 0 : Number(portText);
    if (port !== void 0 && (!Number.isInteger(port) || port < 0 || port > 65535))
      throw new Usage(`--metrics-port expects a port number, got "${portText}"`);
    const kubeconfig = str(v.kubeconfig);
    return {
      ok: true,
      config: {
        name,
        ...kubeconfig !== void 0 ? { kubeconfig } : {},
        namespace,
        leaderElection: le.toLowerCase() === "true",
        lease: { name: str(v["lease-name"]) ?? `palisade-${name}-controller`, namespace, timing },
        ...port !== void 0 ? { metrics: { address: str(v["metrics-address"]) ?? "0.0.0.0", port } } : {},
        ttlIntervalMs: duration("ttl-reconciliation-interval", str(v["ttl-reconciliation-interval"]), 6e4),
        resyncMs: Math.min(duration("resync-period", str(v["resync-period"]), 6e4), 1e4),
        scanIntervalMs: duration("background-scan-interval", str(v["background-scan-interval"]), 36e5),
        openreports: v["openreports-enabled"] === true,
        filters: parseResourceFilters(str(v["resource-filters"]) ?? DEFAULT_RESOURCE_FILTERS),
        exceptionGate: {
          enablePolicyException: v["enable-policy-exception"] === true,
          exceptionNamespace: str(v["exception-namespace"]) ?? ""
        },
        watchDebounceMs: duration("watch-debounce", str(v["watch-debounce"]), 500),
        httpEgress: egress(str(v["http-blocklist"]), str(v["http-allowlist"])),
        maxGlobalContextEntries: count("max-global-context-entries", str(v["max-global-context-entries"])),
        events: eventFlags(v)
      }
    };
  } catch (err) {
    if (err instanceof Usage) return { ok: false, error: err.message };
    throw err;
  }
}

// src/controllers/command.ts
var text = (err) => err instanceof Error ? err.message : String(err);
function jsonLogger(sink) {
  const write = (level, msg, fields = {}) => sink(`${JSON.stringify({ time: (/* @__PURE__ */ new Date()).toISOString(), level, msg, ...fields })}
`);
  return {
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f)
  };
}
function metricsServer(registry, ready) {
  return createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && (path === "/health/liveness" || path === "/health/readiness")) {
      const ok = path === "/health/liveness" || ready();
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" }).end(ok ? "ok" : "not ready");
      return;
    }
    if (req.method !== "GET" || path !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": registry.contentType }).end(body),
      () => res.writeHead(500).end()
    );
  });
}
function startNamed(config, kubeConfig, rest, logger, registry, identity) {
  const events = startClusterEvents({
    rest,
    flags: config.events,
    instance: identity,
    registry,
    warn: (m, f) => logger.warn(m, f)
  });
  if (config.name === "cleanup") {
    const cleanup = startCleanupControllers({
      kubeConfig,
      rest,
      logger,
      registry,
      ttlIntervalMs: config.ttlIntervalMs,
      filters: config.filters,
      ports: createLivePorts({ kubeConfig, httpEgress: config.httpEgress }),
      events
    });
    return {
      ready: Promise.resolve(),
      lead: (signal) => cleanup.lead(signal),
      stop: () => events.stop()
    };
  }
  const policies = watchClusterPolicySet({
    kubeConfig,
    logger,
    debounceMs: config.watchDebounceMs,
    exceptionGate: config.exceptionGate,
    httpEgress: config.httpEgress,
    maxGlobalContextEntries: config.maxGlobalContextEntries
  });
  const reports = config.name === "reports";
  const background = startBackground({
    kubeConfig,
    rest,
    namespace: config.namespace,
    logger,
    policies: () => policies.current(),
    ports: policies.ports,
    resyncMs: config.resyncMs,
    ...reports ? {
      reports: {
        scanIntervalMs: config.scanIntervalMs,
        api: config.openreports ? "openreports" : "wgpolicyk8s",
        filters: config.filters
      }
    } : {},
    cleanup: { enabled: false, ttlIntervalMs: config.ttlIntervalMs },
    metricsRegistry: registry,
    leads: { reports, background: !reports },
    events
  });
  return {
    ready: policies.firstLoad,
    lead: (signal) => background.lead(signal),
    stop: async () => {
      policies.close();
      await background.stop();
      await events.stop();
    }
  };
}
async function controller(argv, io) {
  const args = parseControllerArgs(argv, io.env);
  if (!args.ok) {
    io.stderr(`Error: ${args.error}
Run 'palisade controller --help' for usage.
`);
    return 2;
  }
  if (args.help === true) {
    io.stdout(`${CONTROLLER_HELP}
`);
    return 0;
  }
  const config = args.config;
  const logger = jsonLogger(io.stderr);
  let loaded;
  try {
    loaded = loadKubeConfig({
      ...config.kubeconfig !== void 0 ? { kubeconfig: config.kubeconfig } : {},
      env: io.env
    });
  } catch (err) {
    logger.error("cannot read the kubeconfig", { error: text(err) });
    return 1;
  }
  const registry = new import_prom_client.Registry();
  (0, import_prom_client.collectDefaultMetrics)({ register: registry });
  const identity = io.identity ?? io.env.POD_NAME ?? `${hostname()}-${process.pid}`;
  const controllers = startNamed(config, loaded.config, kubeRest(loaded.config), logger, registry, identity);
  let isReady = false;
  void controllers.ready.then(() => {
    isReady = true;
  });
  let server;
  if (config.metrics !== void 0) {
    const s = metricsServer(registry, () => isReady);
    server = s;
    try {
      await new Promise((resolve, reject) => {
        s.once("error", reject);
        s.listen(config.metrics?.port, config.metrics?.address, () => resolve());
      });
    } catch (err) {
      logger.error("cannot listen for metrics", { error: text(err) });
      await controllers.stop();
      return 1;
    }
    const address = s.address();
    const url = typeof address === "object" && address !== null ? `http://${config.metrics.address}:${address.port}` : "";
    io.onListening?.(url);
  }
  logger.info("controller starting", {
    controller: config.name,
    identity,
    server: loaded.server,
    lease: config.leaderElection ? config.lease.name : "off"
  });
  let work;
  const lead = (signal2) => {
    work = controllers.lead(signal2).catch((err) => logger.error("controller failed", { error: text(err) }));
  };
  let elector;
  const solo = new AbortController();
  const stoppedEarly = await Promise.race([
    controllers.ready.then(() => void 0),
    io.stopped.then((signal2) => signal2)
  ]);
  if (stoppedEarly !== void 0) {
    logger.info("shutting down", { signal: stoppedEarly });
    await controllers.stop();
    server?.close();
    return 0;
  }
  if (config.leaderElection)
    elector = startLeaderElection({
      kubeConfig: loaded.config,
      namespace: config.lease.namespace,
      name: config.lease.name,
      identity,
      timing: config.lease.timing,
      onStartedLeading: lead,
      onNewLeader: (leader) => logger.info("another replica leads", { leader }),
      log: (level, message, fields) => logger[level](message, fields ?? {})
    });
  else lead(solo.signal);
  const signal = await io.stopped;
  logger.info("shutting down", { signal });
  solo.abort();
  await elector?.stop();
  await work;
  await controllers.stop();
  server?.close();
  return 0;
}
async function runController(argv) {
  const stopped = new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  const code = await controller(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: { ...process.env },
    stopped
  });
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2e3).unref();
}
export {
  controller,
  runController
};
