import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApiException,
  ObjectCoordinationV1Api
} from "./chunk-NU3ZKU3R.mjs";
import {
  isNotFound
} from "./chunk-BZZJRPMU.mjs";
import {
  require_prom_client
} from "./chunk-74TYKONL.mjs";
import {
  DEFAULT_ELECTION_TIMING,
  microTime,
  nextLeaseStep,
  observe,
  releasedRecord
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/io/events/cluster-events.ts
var import_prom_client = __toESM(require_prom_client(), 1);

// src/io/cluster/event-transport.ts
var path = (namespace, name) => `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/events${name !== void 0 ? `/${encodeURIComponent(name)}` : ""}`;
function kubeEventTransport(rest) {
  return {
    async create(event) {
      await rest.post(path(event.metadata.namespace), event);
    },
    async updateSeries(namespace, name, series) {
      if (rest.mergePatch === void 0) return false;
      try {
        await rest.mergePatch(path(namespace, name), { series });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    }
  };
}

// src/io/events/event-writer.ts
var REMEMBERED = 4096;
var MAX_MESSAGE = 1024;
var refKey = (r, uid) => r === void 0 ? "" : `${r.apiVersion}|${r.kind}|${r.namespace ?? ""}|${r.name}|${uid ? r.uid ?? "" : ""}`;
var eventKey = (i) => `${i.source}
${i.reason}
${i.action}
${refKey(i.regarding, true)}
${refKey(i.related, false)}
${i.message}`;
var microTime2 = (ms) => new Date(ms).toISOString().replace(/Z$/, "000Z");
function sanitizeEventName(name) {
  let s = name.toLowerCase().replace(/[^a-z0-9.-]/g, "-");
  if (s !== "" && !/^[a-z0-9]/.test(s)) s = `a${s}`;
  if (s !== "" && !/[a-z0-9]$/.test(s)) s = `${s}z`;
  return s;
}
var objectReference = (r) => ({
  apiVersion: r.apiVersion,
  kind: r.kind,
  name: r.name,
  ...r.namespace !== void 0 ? { namespace: r.namespace } : {},
  ...r.uid !== void 0 ? { uid: r.uid } : {}
});
var text = (err) => err instanceof Error ? err.message : String(err);
function createEventWriter(options) {
  const now = options.now ?? Date.now;
  const windowMs = options.seriesWindowMs ?? 6 * 6e4;
  const workers = Math.max(1, options.workers ?? 3);
  const retryDelayMs = options.retryDelayMs ?? 200;
  const queue = /* @__PURE__ */ new Map();
  const sent = /* @__PURE__ */ new Map();
  const inFlight = /* @__PURE__ */ new Map();
  const stats = {
    queued: 0,
    created: 0,
    updated: 0,
    aggregated: 0,
    omitted: 0,
    dropped: 0
  };
  let running = 0;
  let stopped = false;
  let sequence = 0;
  let idleWaiters = [];
  let tokens = Math.max(1, options.burst);
  let refilledAt = performance.now();
  const drop = (reason) => {
    stats.dropped++;
    options.onDrop?.(reason);
  };
  const token = async () => {
    for (; ; ) {
      const t = performance.now();
      tokens = Math.min(Math.max(1, options.burst), tokens + (t - refilledAt) * options.qps / 1e3);
      refilledAt = t;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await new Promise(
        (r) => setTimeout(r, Math.ceil((1 - tokens) * 1e3 / Math.max(options.qps, 1e-3)))
      );
    }
  };
  const build = (info, count, at) => {
    const type = info.type ?? (info.reason === "PolicyApplied" || info.reason === "PolicySkipped" ? "Normal" : "Warning");
    const namespace = info.regarding.namespace ?? "default";
    const nanos = BigInt(at) * 1000000n + BigInt(sequence++ % 1e6);
    const name = `${sanitizeEventName(info.regarding.name).slice(0, 230)}.${nanos.toString(16)}`;
    const note = info.message.length > MAX_MESSAGE ? `${info.message.slice(0, MAX_MESSAGE - 3)}...` : info.message;
    return {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name, namespace },
      eventTime: microTime2(at),
      ...count > 1 ? { series: { count, lastObservedTime: microTime2(at) } } : {},
      reportingController: info.source,
      reportingInstance: `${info.source}-${options.instance}`.slice(0, 128),
      action: info.action,
      reason: info.reason,
      regarding: objectReference(info.regarding),
      ...info.related !== void 0 ? { related: objectReference(info.related) } : {},
      note,
      type
    };
  };
  const sendOnce = async (key, pending) => {
    const at = now();
    const previous = sent.get(key);
    if (previous !== void 0 && at - previous.at <= windowMs) {
      const count = previous.count + pending.count;
      const lastObservedTime = microTime2(at);
      if (await options.transport.updateSeries(previous.namespace, previous.name, { count, lastObservedTime })) {
        previous.count = count;
        previous.at = at;
        stats.updated++;
        return;
      }
    }
    const event = build(pending.info, pending.count, at);
    await options.transport.create(event);
    stats.created++;
    sent.delete(key);
    sent.set(key, {
      namespace: event.metadata.namespace,
      name: event.metadata.name,
      count: pending.count,
      at
    });
    if (sent.size > REMEMBERED) sent.delete(sent.keys().next().value);
  };
  const send = async (key, pending) => {
    for (let attempt = 1; ; attempt++) {
      await token();
      try {
        await sendOnce(key, pending);
        return;
      } catch (err) {
        if (err.status === 404) return;
        if (attempt >= 3 || stopped) {
          drop("send_failed");
          options.onError?.("event dropped", { reason: pending.info.reason, error: text(err) });
          return;
        }
        await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  };
  const work = async () => {
    running++;
    try {
      for (; ; ) {
        const first = queue.entries().next();
        if (first.done === true) return;
        const [key, pending] = first.value;
        queue.delete(key);
        stats.queued = queue.size;
        const before = inFlight.get(key);
        if (before !== void 0) await before;
        const p = send(key, pending);
        inFlight.set(key, p);
        await p;
        if (inFlight.get(key) === p) inFlight.delete(key);
      }
    } finally {
      running--;
      if (running === 0 && queue.size === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  };
  const wake = () => {
    while (running < workers && running < queue.size) void work();
  };
  return {
    add(...infos) {
      for (const info of infos) {
        if (stopped) return;
        if (info.regarding.name === "") continue;
        if (options.omit.has(info.reason)) {
          stats.omitted++;
          continue;
        }
        const key = eventKey(info);
        const queued = queue.get(key);
        if (queued !== void 0) {
          queued.count++;
          stats.aggregated++;
          continue;
        }
        if (queue.size >= options.maxQueued) {
          drop("queue_full");
          continue;
        }
        queue.set(key, { info, count: 1 });
        stats.queued = queue.size;
      }
      wake();
    },
    stats: () => ({ ...stats }),
    idle: () => running === 0 && queue.size === 0 ? Promise.resolve() : new Promise((resolve) => {
      idleWaiters.push(resolve);
    }),
    async stop(graceMs = 2e3) {
      let timer;
      const grace = new Promise((r) => {
        timer = setTimeout(r, graceMs);
      });
      await Promise.race([this.idle(), grace]);
      clearTimeout(timer);
      stopped = true;
      for (let i = 0; i < queue.size; i++) drop("queue_full");
      queue.clear();
    }
  };
}

// src/io/events/cluster-events.ts
function startClusterEvents(options) {
  const dropped = options.registry !== void 0 ? new import_prom_client.Counter({
    name: "kyverno_events_dropped_total",
    help: "can be used to track the number of events dropped by the event generator",
    labelNames: ["reason"],
    registers: [options.registry]
  }) : void 0;
  return createEventWriter({
    transport: kubeEventTransport(options.rest),
    maxQueued: options.flags.maxQueued,
    omit: options.flags.omit,
    qps: options.flags.qps,
    burst: options.flags.burst,
    instance: options.instance,
    onDrop: (reason) => dropped?.inc({ reason }),
    ...options.warn !== void 0 ? { onError: options.warn } : {}
  });
}

// src/io/cluster/leader-election.ts
var code = (err) => err instanceof ApiException ? err.code : void 0;
var text2 = (err) => err instanceof Error ? err.message : String(err);
function timeText(value) {
  if (value === void 0 || value === null) return void 0;
  return value instanceof Date ? microTime(value.getTime()) : String(value);
}
function leaseRecordOf(lease) {
  const spec = lease.spec ?? {};
  const acquireTime = timeText(spec.acquireTime);
  const renewTime = timeText(spec.renewTime);
  return {
    holderIdentity: spec.holderIdentity ?? "",
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    ...acquireTime !== void 0 ? { acquireTime } : {},
    ...renewTime !== void 0 ? { renewTime } : {},
    leaseTransitions: spec.leaseTransitions ?? 0
  };
}
function leaseBody(name, namespace, record, resourceVersion) {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace, ...resourceVersion !== void 0 ? { resourceVersion } : {} },
    // MicroTimes go out as the strings the engine formatted (six fractional digits).
    spec: record
  };
}
function within(ms, work) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
function startLeaderElection(options) {
  const timing = options.timing ?? DEFAULT_ELECTION_TIMING;
  const { name, namespace, identity } = options;
  const api = options.kubeConfig.makeApiClient(ObjectCoordinationV1Api);
  const log = options.log ?? (() => void 0);
  const now = () => performance.now();
  let observation;
  let leading;
  let lastRenewAt = 0;
  let lastSeenHolder = "";
  let stopped = false;
  let wake;
  const stopLeading = (reason) => {
    if (leading === void 0) return;
    const controller = leading;
    leading = void 0;
    log("warn", "stopped leading", { lease: `${namespace}/${name}`, identity, reason });
    controller.abort(new Error(reason));
    options.onStoppedLeading?.(reason);
  };
  const startLeading = () => {
    leading = new AbortController();
    log("info", "became leader", { lease: `${namespace}/${name}`, identity });
    options.onStartedLeading(leading.signal);
  };
  const watchdog = setInterval(
    () => {
      if (leading !== void 0 && now() - lastRenewAt > timing.renewDeadlineMs)
        stopLeading(`the Lease was not renewed within ${timing.renewDeadlineMs} ms`);
    },
    Math.max(50, Math.floor(timing.retryPeriodMs / 4))
  );
  watchdog.unref();
  const tick = async () => {
    const startedAt = now();
    let lease;
    try {
      lease = await within(timing.renewDeadlineMs, api.readNamespacedLease({ name, namespace }));
    } catch (err) {
      if (code(err) !== 404) {
        log("warn", "cannot read the Lease", { lease: `${namespace}/${name}`, error: text2(err) });
        return;
      }
    }
    if (lease !== void 0) {
      observation = observe(observation, leaseRecordOf(lease), startedAt);
      const holder = observation.record.holderIdentity;
      if (leading !== void 0 && holder !== identity)
        stopLeading(`the Lease is held by ${holder || "nobody"}`);
      if (holder !== identity && holder !== "" && holder !== lastSeenHolder) options.onNewLeader?.(holder);
      lastSeenHolder = holder;
    } else observation = void 0;
    const step = nextLeaseStep(observation, identity, startedAt, Date.now(), timing);
    if (step.action === "wait") return;
    try {
      const body = leaseBody(name, namespace, step.record, lease?.metadata?.resourceVersion);
      const written = step.action === "create" ? await within(timing.renewDeadlineMs, api.createNamespacedLease({ namespace, body })) : await within(timing.renewDeadlineMs, api.replaceNamespacedLease({ name, namespace, body }));
      observation = observe(observation, leaseRecordOf(written), startedAt);
      lastRenewAt = startedAt;
      lastSeenHolder = identity;
      if (leading === void 0 && !stopped) startLeading();
    } catch (err) {
      if (code(err) !== 409)
        log("warn", "cannot write the Lease", { lease: `${namespace}/${name}`, error: text2(err) });
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await tick().catch((err) => log("warn", "leader election failed", { error: text2(err) }));
      if (stopped) break;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, timing.retryPeriodMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = void 0;
    }
  })();
  return {
    isLeader: () => leading !== void 0,
    async stop(stopOptions) {
      if (stopped) return loop;
      stopped = true;
      wake?.();
      await loop;
      clearInterval(watchdog);
      const wasLeading = leading !== void 0;
      stopLeading("stopping");
      if (!wasLeading || stopOptions?.release === false) return;
      try {
        const lease = await within(timing.renewDeadlineMs, api.readNamespacedLease({ name, namespace }));
        const record = leaseRecordOf(lease);
        if (record.holderIdentity !== identity) return;
        const body = leaseBody(
          name,
          namespace,
          releasedRecord(record, Date.now()),
          lease.metadata?.resourceVersion
        );
        await within(timing.renewDeadlineMs, api.replaceNamespacedLease({ name, namespace, body }));
        log("info", "released the Lease", { lease: `${namespace}/${name}`, identity });
      } catch (err) {
        log("warn", "cannot release the Lease; it expires on its own", { error: text2(err) });
      }
    }
  };
}

export {
  startClusterEvents,
  startLeaderElection
};
