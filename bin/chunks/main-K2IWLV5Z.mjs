import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  KubeApiError,
  discoverResources,
  isConflict,
  isNotFound
} from "./chunk-RV5FHXD3.mjs";
import {
  abortableSleep
} from "./chunk-EJ6YJFHK.mjs";
import {
  admit,
  requestForObject
} from "./chunk-ZSAIUYCO.mjs";
import "./chunk-34UHWEGN.mjs";

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
var GENERATE_REQUEST_LABEL = "palisade.kyverno.io/generate-request";
function generateRequestKey(r) {
  const p = r.policy;
  const t = r.trigger;
  return [p.kind, p.namespace ?? "", p.name, r.rule, t.apiVersion, t.kind, t.namespace ?? "", t.name].join(
    "/"
  );
}
function generateRequestName(r) {
  return `palisade-gr-${createHash("sha256").update(generateRequestKey(r)).digest("hex").slice(0, 20)}`;
}
function parse(object) {
  const data = object.data;
  const text2 = data?.request;
  if (typeof text2 !== "string") return void 0;
  try {
    const r = JSON.parse(text2);
    return typeof r.rule === "string" && typeof r.policy?.name === "string" && typeof r.trigger?.kind === "string" ? r : void 0;
  } catch {
    return void 0;
  }
}
function configMapRequestStore(rest, namespace) {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  return {
    async put(request) {
      const body = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: generateRequestName(request),
          namespace,
          labels: { [GENERATE_REQUEST_LABEL]: "true" }
        },
        data: { request: JSON.stringify(request) }
      };
      try {
        await rest.post(base, body);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    },
    async list() {
      const out = await rest.get(
        `${base}?labelSelector=${encodeURIComponent(`${GENERATE_REQUEST_LABEL}=true`)}`
      );
      return (out.items ?? []).flatMap((o) => {
        const request = parse(o);
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

// src/controllers/generate/controller.ts
import { setMaxListeners } from "node:events";

// src/controllers/generate/downstream.ts
var LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
var LABEL_POLICY_NAME = "generate.kyverno.io/policy-name";
var LABEL_POLICY_NAMESPACE = "generate.kyverno.io/policy-namespace";
var LABEL_RULE_NAME = "generate.kyverno.io/rule-name";
var LABEL_TRIGGER_GROUP = "generate.kyverno.io/trigger-group";
var LABEL_TRIGGER_VERSION = "generate.kyverno.io/trigger-version";
var LABEL_TRIGGER_KIND = "generate.kyverno.io/trigger-kind";
var LABEL_TRIGGER_NAMESPACE = "generate.kyverno.io/trigger-namespace";
var LABEL_TRIGGER_UID = "generate.kyverno.io/trigger-uid";
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
function downstreamSelector(policy, rule) {
  return [
    `${LABEL_MANAGED_BY}=kyverno`,
    `${LABEL_POLICY_NAME}=${policy.name}`,
    `${LABEL_POLICY_NAMESPACE}=${policy.namespace ?? ""}`,
    `${LABEL_RULE_NAME}=${rule}`
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
function outsidePolicyNamespace(object, policy) {
  if (policy.namespace === void 0) return void 0;
  const ns = object.metadata?.namespace;
  return ns === policy.namespace ? void 0 : `a namespaced policy generates only into its namespace "${policy.namespace}", not "${String(ns ?? "")}"`;
}
function forApply(object) {
  const meta = Object.fromEntries(
    Object.entries(object.metadata ?? {}).filter(([k]) => !SERVER_METADATA.has(k))
  );
  const { status: _status, ...rest } = object;
  return { ...rest, metadata: meta };
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
        generatedKinds: generatedKinds(g)
      }
    ];
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
var text = (err) => err instanceof Error ? err.message : String(err);
var str2 = (v) => typeof v === "string" ? v : "";
var policyKey = (ref) => `${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
var sameRef = (p, r) => p.ref.kind === r.kind && p.ref.name === r.name && (p.ref.namespace ?? "") === (r.namespace ?? "");
function refOf(object) {
  const ns = str2(object.metadata?.namespace);
  return {
    apiVersion: str2(object.apiVersion),
    kind: str2(object.kind),
    ...ns !== "" ? { namespace: ns } : {},
    name: str2(object.metadata?.name)
  };
}
function admissionTrigger(request) {
  const object = request.object ?? request.oldObject ?? {};
  const k = request.kind;
  return {
    apiVersion: k.group === "" ? k.version : `${k.group}/${k.version}`,
    kind: k.kind,
    ...request.namespace !== void 0 && request.namespace !== "" ? { namespace: request.namespace } : {},
    name: str2(object.metadata?.name) || str2(request.name)
  };
}
function createGenerateController(options) {
  const { objects, requests, logger } = options;
  const queue = new WorkQueue({
    capacity: 1e4,
    baseDelayMs: 500,
    maxDelayMs: 3e4,
    maxAttempts: 8,
    ...options.queue
  });
  const writes = /* @__PURE__ */ new Set();
  let seen = /* @__PURE__ */ new Map();
  let existingDone = /* @__PURE__ */ new WeakMap();
  let known = /* @__PURE__ */ new Map();
  const enqueue = (work2) => {
    if (!queue.add(generateRequestKey(work2.request), work2))
      logger.warn("generate queue full; the work is left to the next resync", {
        key: generateRequestKey(work2.request)
      });
  };
  const record = async (request) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await requests.put(request);
        return;
      } catch (err) {
        if (attempt >= 5) {
          logger.error("generate request not recorded", {
            key: generateRequestKey(request),
            error: text(err)
          });
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  };
  const process = async (work2, signal) => {
    const set = options.policies();
    if (set === void 0) throw new Error("no policy set loaded yet");
    const policy = set.policies.find((p) => sameRef(p, work2.request.policy));
    if (policy === void 0) return;
    const t = work2.request.trigger;
    const trigger = await objects.get(t.apiVersion, t.kind, t.namespace, t.name);
    if (trigger === void 0) throw new Error(`trigger ${t.kind}/${t.namespace ?? ""}/${t.name} not found`);
    const ns = str2(trigger.metadata?.namespace);
    const namespaceObject = ns !== "" ? await objects.get("v1", "Namespace", void 0, ns) ?? null : null;
    const operation = work2.request.operation === "UPDATE" ? "UPDATE" : "CREATE";
    const userInfo = work2.request.userInfo;
    const request = requestForObject(trigger, operation, {
      context: { namespaceObject },
      ...userInfo !== void 0 ? { userInfo } : {}
    });
    const evaluation = AbortSignal.any([signal, AbortSignal.timeout(EVALUATION_TIMEOUT_MS)]);
    setMaxListeners(0, evaluation);
    const outcome = await admit(
      set,
      operation === "UPDATE" ? { ...request, oldObject: trigger } : request,
      // The policy's own downstream reads as absent, so the engine reports the whole desired object.
      {
        asyncPorts: { cluster: asyncClusterReader(objects, (o) => generatedBy(o, policy.ref)) },
        signal: evaluation
      },
      { profile: "admission", phases: ["legacy-generate", "validating"], select: (p) => p === policy }
    );
    const errors = outcome.responses.flatMap(
      (r) => r.response.rules.filter((rule) => rule.status === "error").map((rule) => `${rule.name}: ${rule.message}`)
    );
    const rules = new Map(generateRulesOf(policy).map((r) => [r.name, r]));
    for (const { object } of outcome.generated)
      await write(object, policy, rules.get(labelsOf(object)[LABEL_RULE_NAME] ?? ""), signal);
    if (errors.length > 0) throw new Error(errors.join("; "));
  };
  const write = async (object, policy, rule, signal) => {
    const id = `${str2(object.kind)}/${str2(object.metadata?.namespace)}/${str2(object.metadata?.name)}`;
    const outside = outsidePolicyNamespace(object, policy.ref);
    if (outside !== void 0) {
      logger.warn("generated object refused", { policy: policy.ref.name, object: id, reason: outside });
      return;
    }
    const existing = await objects.get(
      str2(object.apiVersion),
      str2(object.kind),
      str2(object.metadata?.namespace) || void 0,
      str2(object.metadata?.name)
    );
    if (existing !== void 0 && (rule?.synchronize !== true || covers(asStored(forApply(object)), existing)))
      return;
    if (signal.aborted) return;
    await objects.apply(forApply(object), FIELD_MANAGER);
    logger.info(existing === void 0 ? "generated object created" : "generated object synchronized", {
      policy: policy.ref.name,
      rule: rule?.name ?? "",
      object: id
    });
  };
  const triggersOf = async (policy, rule) => {
    const out = [];
    for (const k of rule.triggerKinds)
      out.push(...await objects.list(k.apiVersion, k.kind, policy.ref.namespace));
    return out;
  };
  const resync = async (signal) => {
    const set = options.policies();
    if (set === void 0) return;
    const nowSeen = /* @__PURE__ */ new Map();
    const triggerLists = /* @__PURE__ */ new Map();
    for (const policy of set.policies) {
      for (const rule of generateRulesOf(policy)) {
        if (signal.aborted) return;
        const policyRef = {
          kind: policy.ref.kind,
          name: policy.ref.name,
          ...policy.ref.namespace !== void 0 ? { namespace: policy.ref.namespace } : {}
        };
        const work2 = (trigger) => ({
          request: { policy: policyRef, rule: rule.name, trigger, operation: "CREATE" }
        });
        const done = existingDone.get(policy.compiled) ?? /* @__PURE__ */ new Set();
        if (rule.generateExisting && !done.has(rule.name)) {
          for (const trigger of await triggersOf(policy, rule)) enqueue(work2(refOf(trigger)));
          done.add(rule.name);
          existingDone.set(policy.compiled, done);
        }
        if (!rule.synchronize) continue;
        for (const kind of rule.generatedKinds) {
          const downstream = await objects.list(
            kind.apiVersion,
            kind.kind,
            void 0,
            downstreamSelector(policy.ref, rule.name)
          );
          for (const d of downstream) {
            const t = triggerOf(d);
            if (t === void 0) continue;
            const listKey = `${t.apiVersion}/${t.kind}/${t.namespace}`;
            let list = triggerLists.get(listKey);
            if (list === void 0) {
              list = objects.list(t.apiVersion, t.kind, t.namespace || void 0).catch(() => []);
              triggerLists.set(listKey, list);
            }
            const trigger = (await list).find((o) => o.metadata?.uid === t.uid);
            const id = `${str2(d.apiVersion)}/${str2(d.kind)}/${str2(d.metadata?.namespace)}/${str2(d.metadata?.name)}`;
            if (trigger === void 0) {
              if (signal.aborted) return;
              await objects.delete(
                str2(d.apiVersion),
                str2(d.kind),
                str2(d.metadata?.namespace) || void 0,
                str2(d.metadata?.name)
              );
              logger.info("generated object deleted with its trigger", {
                policy: policy.ref.name,
                rule: rule.name,
                object: id
              });
              continue;
            }
            const w = work2(refOf(trigger));
            nowSeen.set(id, w);
            enqueue(w);
          }
        }
      }
    }
    for (const [id, w] of seen) if (!nowSeen.has(id)) enqueue(w);
    seen = nowSeen;
    await policiesDeleted(set, signal);
  };
  const policiesDeleted = async (set, signal) => {
    const current = /* @__PURE__ */ new Map();
    for (const policy of set.policies) {
      const rules = generateRulesOf(policy).filter((r) => r.synchronize && !r.orphanDownstreamOnPolicyDelete);
      if (rules.length > 0) current.set(policyKey(policy.ref), { policy, rules });
    }
    for (const [key, { policy, rules }] of known) {
      if (current.has(key) || signal.aborted) continue;
      const ref = policy.ref;
      const stored = await objects.get(ref.apiVersion, ref.kind, ref.namespace, ref.name).catch(() => ref);
      if (stored !== void 0) {
        current.set(key, { policy, rules });
        continue;
      }
      for (const rule of rules)
        for (const kind of rule.generatedKinds)
          for (const d of await objects.list(
            kind.apiVersion,
            kind.kind,
            void 0,
            downstreamSelector(ref, rule.name)
          )) {
            if (signal.aborted) return;
            await objects.delete(
              str2(d.apiVersion),
              str2(d.kind),
              str2(d.metadata?.namespace) || void 0,
              str2(d.metadata?.name)
            );
            logger.info("generated object deleted with its policy", {
              policy: ref.name,
              rule: rule.name,
              object: `${str2(d.kind)}/${str2(d.metadata?.namespace)}/${str2(d.metadata?.name)}`
            });
          }
    }
    known = current;
  };
  const work = async (signal) => {
    while (!signal.aborted) {
      const entry = queue.take();
      if (entry === void 0) {
        await Promise.race([queue.wait(Math.min(queue.dueInMs() ?? 500, 500)), abortableSleep(500, signal)]);
        continue;
      }
      try {
        await process(entry.item, signal);
        queue.done(entry);
        if (entry.item.record !== void 0) await requests.remove(entry.item.record).catch(() => void 0);
      } catch (err) {
        if (signal.aborted) {
          queue.done(entry);
          continue;
        }
        if (!queue.retry(entry)) {
          logger.error("generate failed; given up", {
            key: entry.key,
            attempts: entry.attempt,
            error: text(err)
          });
          if (entry.item.record !== void 0)
            await requests.remove(entry.item.record).catch(() => void 0);
        } else if (entry.attempt >= 3) {
          logger.warn("generate failed; retrying", {
            key: entry.key,
            attempt: entry.attempt,
            error: text(err)
          });
        }
      }
    }
  };
  const loop = async (what, everyMs, step, signal) => {
    while (!signal.aborted) {
      try {
        await step();
      } catch (err) {
        logger.warn(`generate controller: ${what} failed`, { error: text(err) });
      }
      await abortableSleep(everyMs, signal);
    }
  };
  return {
    onGenerated(generated, request) {
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
        const p = record(r);
        writes.add(p);
        void p.finally(() => writes.delete(p));
      }
    },
    async lead(signal) {
      logger.info("generate controller started");
      seen = /* @__PURE__ */ new Map();
      existingDone = /* @__PURE__ */ new WeakMap();
      const pollMs = options.pollMs ?? 1e3;
      const records = async () => {
        for (const { name, request } of await requests.list()) enqueue({ request, record: name });
      };
      await Promise.all([
        loop("reading generate requests", pollMs, records, signal),
        loop("resync", options.resyncMs, () => resync(signal), signal),
        work(signal)
      ]);
      logger.info("generate controller stopped");
    },
    async flush() {
      await Promise.all([...writes]);
    }
  };
}

// src/controllers/main.ts
var startBackground = (context) => {
  const generate = createGenerateController({
    objects: clusterObjects(context.rest),
    requests: configMapRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs
  });
  return {
    onGenerated: (objects, request) => generate.onGenerated(objects, request),
    lead: (signal) => generate.lead(signal),
    stop: () => generate.flush()
  };
};
export {
  startBackground
};
