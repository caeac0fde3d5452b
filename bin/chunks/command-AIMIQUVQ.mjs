import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  startLeaderElection
} from "./chunk-SXXQTAT3.mjs";
import {
  parseLimitValue
} from "./chunk-UQKLPWSA.mjs";
import {
  loadKubeConfig
} from "./chunk-NU3ZKU3R.mjs";
import {
  startCleanupControllers
} from "./chunk-OBJEX6OR.mjs";
import "./chunk-JVN26A52.mjs";
import {
  require_prom_client
} from "./chunk-74TYKONL.mjs";
import {
  kubeRest
} from "./chunk-G2E4CQ7Z.mjs";
import {
  DEFAULT_ELECTION_TIMING,
  timingProblem
} from "./chunk-YWPPCUP7.mjs";
import {
  parseCommandArgs,
  str
} from "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/controllers/command.ts
var import_prom_client = __toESM(require_prom_client(), 1);
import { createServer } from "node:http";
import { hostname } from "node:os";

// src/controllers/controller-args.ts
var CONTROLLER_NAMES = ["cleanup", "reports", "background"];
var RUNNABLE = ["cleanup"];
var CONTROLLER_HELP = `Usage: palisade controller <cleanup|reports|background> [flags]

Runs background controllers on their own, in a Deployment apart from 'palisade serve' (which then
runs with --cleanup-controller=false). One replica leads through its own Lease; the others wait.
  cleanup      ClusterCleanupPolicy/CleanupPolicy/DeletingPolicy schedules and the cleanup.kyverno.io/ttl label
  reports, background: run inside 'palisade serve' in this version.

Flags:
      --kubeconfig FILE          cluster to act on (default: $KUBECONFIG, in-cluster, ~/.kube/config)
      --namespace NS             Palisade's namespace, where the Lease lives (default: $POD_NAMESPACE, else palisade)
      --leader-election BOOL     elect one leader through a Lease (default true)
      --lease-name NAME          the Lease (default palisade-<name>-controller)
      --lease-duration duration  (default 12s)   --renew-deadline duration (default 10s)
      --retry-period duration    (default 2s)
      --metrics-port N           Prometheus metrics and /health/liveness on this port (default: none)
      --metrics-address ADDR     (default 0.0.0.0)
      --ttl-reconciliation-interval duration
                                 how often labelled objects are listed for their TTL (default 1m)
  -h, --help`;
var OPTIONS = {
  help: { type: "boolean", short: "h" },
  kubeconfig: { type: "string" },
  namespace: { type: "string" },
  "leader-election": { type: "string" },
  "lease-name": { type: "string" },
  "lease-duration": { type: "string" },
  "renew-deadline": { type: "string" },
  "retry-period": { type: "string" },
  "metrics-port": { type: "string" },
  "metrics-address": { type: "string" },
  "ttl-reconciliation-interval": { type: "string" }
};
var Usage = class extends Error {
};
function duration(flag, text2, fallback) {
  if (text2 === void 0) return fallback;
  const v = parseLimitValue("duration", text2);
  if (v === void 0) throw new Usage(`--${flag} expects a duration such as 2s, got "${text2}"`);
  return v;
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
    if (!RUNNABLE.includes(name))
      throw new Usage(`the ${name} controller runs inside 'palisade serve' in this version`);
    const namespace = str(v.namespace) ?? env.POD_NAMESPACE ?? "palisade";
    const timing = {
      leaseDurationMs: duration(
        "lease-duration",
        str(v["lease-duration"]),
        DEFAULT_ELECTION_TIMING.leaseDurationMs
      ),
      renewDeadlineMs: duration(
        "renew-deadline",
        str(v["renew-deadline"]),
        DEFAULT_ELECTION_TIMING.renewDeadlineMs
      ),
      retryPeriodMs: duration("retry-period", str(v["retry-period"]), DEFAULT_ELECTION_TIMING.retryPeriodMs)
    };
    const problem = timingProblem(timing);
    if (problem !== void 0) throw new Usage(`leader election: ${problem}`);
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
        ttlIntervalMs: duration("ttl-reconciliation-interval", str(v["ttl-reconciliation-interval"]), 6e4)
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
function metricsServer(registry) {
  return createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && (path === "/health/liveness" || path === "/health/readiness")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
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
  let server;
  if (config.metrics !== void 0) {
    const s = metricsServer(registry);
    server = s;
    try {
      await new Promise((resolve, reject) => {
        s.once("error", reject);
        s.listen(config.metrics?.port, config.metrics?.address, () => resolve());
      });
    } catch (err) {
      logger.error("cannot listen for metrics", { error: text(err) });
      return 1;
    }
    const address = s.address();
    const url = typeof address === "object" && address !== null ? `http://${config.metrics.address}:${address.port}` : "";
    io.onListening?.(url);
  }
  const controllers = startCleanupControllers({
    kubeConfig: loaded.config,
    rest: kubeRest(loaded.config),
    logger,
    registry,
    ttlIntervalMs: config.ttlIntervalMs
  });
  const identity = io.identity ?? io.env.POD_NAME ?? `${hostname()}-${process.pid}`;
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
