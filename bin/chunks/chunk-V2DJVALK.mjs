import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApiException,
  ObjectCoordinationV1Api
} from "./chunk-NU3ZKU3R.mjs";
import {
  DEFAULT_ELECTION_TIMING,
  microTime,
  nextLeaseStep,
  observe,
  releasedRecord
} from "./chunk-Z5DEH4BP.mjs";

// src/io/cluster/leader-election.ts
var code = (err) => err instanceof ApiException ? err.code : void 0;
var text = (err) => err instanceof Error ? err.message : String(err);
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
        log("warn", "cannot read the Lease", { lease: `${namespace}/${name}`, error: text(err) });
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
        log("warn", "cannot write the Lease", { lease: `${namespace}/${name}`, error: text(err) });
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await tick().catch((err) => log("warn", "leader election failed", { error: text(err) }));
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
        log("warn", "cannot release the Lease; it expires on its own", { error: text(err) });
      }
    }
  };
}

export {
  startLeaderElection
};
