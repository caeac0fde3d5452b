import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ELECTION_TIMING_OPTIONS,
  EVENT_HELP,
  EVENT_OPTIONS,
  parseElectionTiming,
  parseEventFlags
} from "./chunk-242MH7RB.mjs";
import {
  admissionEvents
} from "./chunk-CIHTMZJI.mjs";
import {
  parseCommandArgs,
  str
} from "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import {
  LIMIT_OPTIONS,
  limitFlagsHelp,
  parseCountValue,
  parseLimitFlags,
  parseLimitValue
} from "./chunk-G5XHT7KU.mjs";
import {
  diagnosticFields
} from "./chunk-K2VKATRP.mjs";
import {
  CoalescedRuns,
  compileLoadedPolicies
} from "./chunk-GCUPY5NU.mjs";
import {
  DEFAULT_HTTP_BLOCKLIST,
  egressPolicyFromFlags
} from "./chunk-DUEQKOJN.mjs";
import {
  checkPolicy
} from "./chunk-CCSE2MO5.mjs";
import {
  require_prom_client
} from "./chunk-74TYKONL.mjs";
import "./chunk-B636O7HU.mjs";
import {
  getPolicyDecoder,
  loadPolicies
} from "./chunk-B25Y5PAN.mjs";
import "./chunk-BEDWXCWF.mjs";
import {
  DEFAULT_LIMITS
} from "./chunk-DBKA2XEV.mjs";
import {
  BoundedMemo,
  DEFAULT_EXCLUDE_GROUPS,
  DEFAULT_RESOURCE_FILTERS,
  OWN_WEBHOOK_SEGMENT,
  TTL_VALIDATION_PATH,
  admit,
  isExcludedUser,
  isFilteredRequest,
  parseResourceFilters,
  ttlLabelWarning,
  userExclusions
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/webhook/main.ts
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";

// src/io/files/watch-folder.ts
import { watch } from "node:fs";
function watchFolder(folder, onChange, options) {
  let timer;
  let closed = false;
  const fire = () => {
    timer = void 0;
    if (!closed) onChange();
  };
  const watcher = watch(folder, { recursive: true, persistent: false }, () => {
    if (closed) return;
    if (timer !== void 0) clearTimeout(timer);
    timer = setTimeout(fire, options.debounceMs);
  });
  watcher.on("error", (err) => {
    if (closed) return;
    options.onError?.(`watching ${folder} failed: ${err.message}`);
  });
  return {
    close() {
      closed = true;
      if (timer !== void 0) clearTimeout(timer);
      watcher.close();
    }
  };
}

// src/webhook/admission-events.ts
var ROLE_RULES = {
  validate: (t) => t === "Validation" || t === "ImageVerify",
  mutate: (t) => t === "Mutation",
  // Generate's outcomes are the generate controller's events.
  generate: void 0
};
function ofRole(responses, keep) {
  const out = [];
  for (const r of responses) {
    const rules = r.response.rules.filter((rule) => keep(rule.type));
    if (rules.length === 0) continue;
    out.push(rules.length === r.response.rules.length ? r : { ...r, response: { ...r.response, rules } });
  }
  return out;
}
function eventsOfAdmission(admitted) {
  const keep = ROLE_RULES[admitted.role];
  if (keep === void 0 || admitted.responses.length === 0) return [];
  return admissionEvents(ofRole(admitted.responses, keep), !admitted.allowed);
}
function admissionEventFeed(sink) {
  return (admitted) => {
    if (admitted.responses.length === 0) return;
    setImmediate(() => sink.add(...eventsOfAdmission(admitted)));
  };
}

// src/webhook/admission-review.ts
var VERSIONS = /* @__PURE__ */ new Set(["admission.k8s.io/v1", "admission.k8s.io/v1beta1"]);
var OPERATIONS = /* @__PURE__ */ new Set(["CREATE", "UPDATE", "DELETE", "CONNECT"]);
var isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
var DecodeError = class extends Error {
};
function fail(message3) {
  throw new DecodeError(message3);
}
function str2(o, key, where, required2 = false) {
  const v = o[key];
  if (v === void 0 || v === null) {
    if (required2) fail(`${where}.${key} is required`);
    return "";
  }
  if (typeof v !== "string") fail(`${where}.${key} must be a string`);
  return v;
}
function gvk(o, key, required2) {
  const v = o[key];
  if (v === void 0 || v === null) {
    if (required2) fail(`request.${key} is required`);
    return void 0;
  }
  if (!isObject(v)) fail(`request.${key} must be an object`);
  const where = `request.${key}`;
  return {
    group: str2(v, "group", where),
    version: str2(v, "version", where),
    kind: str2(v, "kind", where, true)
  };
}
function gvr(o, key) {
  const v = o[key];
  if (!isObject(v)) fail(`request.${key} must be an object`);
  const where = `request.${key}`;
  return {
    group: str2(v, "group", where),
    version: str2(v, "version", where),
    resource: str2(v, "resource", where, true)
  };
}
function object(o, key) {
  const v = o[key];
  if (v === void 0 || v === null) return null;
  if (!isObject(v)) fail(`request.${key} must be an object or null`);
  objectHeader(v, `request.${key}`);
  return v;
}
function objectHeader(v, where) {
  str2(v, "apiVersion", where);
  str2(v, "kind", where);
  const meta = v.metadata;
  if (meta === void 0 || meta === null) return;
  if (!isObject(meta)) fail(`${where}.metadata must be an object`);
  for (const key of ["name", "namespace", "generateName", "uid", "resourceVersion"])
    str2(meta, key, `${where}.metadata`);
  for (const key of ["labels", "annotations"]) {
    const m = meta[key];
    if (m === void 0 || m === null) continue;
    if (!isObject(m)) fail(`${where}.metadata.${key} must be an object`);
    for (const k of Object.keys(m)) str2(m, k, `${where}.metadata.${key}`);
  }
}
function strings(v, where) {
  if (v === void 0 || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) fail(`${where} must be a list of strings`);
  return v;
}
function userInfo(o) {
  const v = o.userInfo;
  if (v === void 0 || v === null) return void 0;
  if (!isObject(v)) fail("request.userInfo must be an object");
  const extra = {};
  if (v.extra !== void 0 && v.extra !== null) {
    if (!isObject(v.extra)) fail("request.userInfo.extra must be an object");
    for (const [k, list] of Object.entries(v.extra)) extra[k] = strings(list, `request.userInfo.extra.${k}`);
  }
  const out = {
    username: str2(v, "username", "request.userInfo"),
    uid: str2(v, "uid", "request.userInfo"),
    groups: strings(v.groups, "request.userInfo.groups")
  };
  if (Object.keys(extra).length > 0) out.extra = extra;
  return out;
}
function request(v) {
  if (!isObject(v)) fail("request must be an object");
  const uid = str2(v, "uid", "request", true);
  if (uid === "") fail("request.uid must not be empty");
  const operation = str2(v, "operation", "request", true);
  if (!OPERATIONS.has(operation)) fail(`request.operation must be CREATE, UPDATE, DELETE or CONNECT`);
  const kind = gvk(v, "kind", true);
  const requestKind = gvk(v, "requestKind", false);
  const user = userInfo(v);
  const subResource = str2(v, "subResource", "request");
  if (v.dryRun !== void 0 && v.dryRun !== null && typeof v.dryRun !== "boolean")
    fail("request.dryRun must be a boolean");
  const out = { uid, kind, resource: gvr(v, "resource") };
  if (subResource !== "") out.subResource = subResource;
  if (requestKind !== void 0) out.requestKind = requestKind;
  out.name = str2(v, "name", "request");
  out.namespace = str2(v, "namespace", "request");
  out.operation = operation;
  if (user !== void 0) out.userInfo = user;
  out.object = object(v, "object");
  out.oldObject = object(v, "oldObject");
  if (v.dryRun === true) out.dryRun = true;
  if (v.options !== void 0) out.options = v.options;
  if (operation === "DELETE" ? out.oldObject === null : out.object === null && operation !== "CONNECT")
    fail(`request.${operation === "DELETE" ? "oldObject" : "object"} is required for ${operation}`);
  return out;
}
function decodeReview(body) {
  try {
    if (!isObject(body)) fail("the body must be a JSON object (an AdmissionReview)");
    const apiVersion = str2(body, "apiVersion", "AdmissionReview", true);
    if (!VERSIONS.has(apiVersion))
      fail(`apiVersion must be admission.k8s.io/v1, got ${JSON.stringify(apiVersion)}`);
    if (body.kind !== "AdmissionReview") fail("kind must be AdmissionReview");
    return { ok: true, review: { apiVersion, request: request(body.request) } };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, error: err.message };
    throw err;
  }
}
function encodeReview(apiVersion, response) {
  let text = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":"AdmissionReview","response":{"uid":${JSON.stringify(response.uid)},"allowed":${JSON.stringify(response.allowed)}`;
  if (response.status !== void 0) text += `,"status":${JSON.stringify(response.status)}`;
  if (response.warnings !== void 0 && response.warnings.length > 0)
    text += `,"warnings":${JSON.stringify(response.warnings)}`;
  if (response.patch !== void 0 && response.patch.length > 0)
    text += `,"patch":"${Buffer.from(JSON.stringify(response.patch)).toString("base64")}","patchType":"JSONPatch"`;
  return `${text}}}`;
}

// src/webhook/endpoints.ts
var MUTATING_PHASES = ["legacy", "mutating-admission", "mutating"];
var VALIDATING_PHASES = ["validating", "legacy-generate"];
var MUTATE_OPERATIONS = /* @__PURE__ */ new Set(["CREATE", "UPDATE", "CONNECT"]);
function legacy(path, role, bucket, only) {
  const select = (p) => p.kind === "cluster-policy" && (bucket === "all" || p.traits.failurePolicy === bucket) && (only === void 0 || p.ref.name === only.name && (p.ref.namespace ?? "") === only.ns);
  const failurePolicy = bucket === "Ignore" ? "Ignore" : "Fail";
  return {
    path,
    role,
    webhook: role === "mutate" ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration",
    phases: role === "mutate" ? MUTATING_PHASES : VALIDATING_PHASES,
    select,
    ...role === "mutate" ? { operations: MUTATE_OPERATIONS } : {},
    failurePolicyIn: () => failurePolicy,
    failsClosed: bucket === "Fail",
    family: "kyverno"
  };
}
var CEL_ROUTES = [
  { prefix: "/ivpol/validate", kind: "ImageValidatingPolicy", role: "validate" },
  { prefix: "/ivpol/mutate", kind: "ImageValidatingPolicy", role: "mutate" },
  { prefix: "/nivpol/validate", kind: "NamespacedImageValidatingPolicy", role: "validate" },
  { prefix: "/nivpol/mutate", kind: "NamespacedImageValidatingPolicy", role: "mutate" },
  { prefix: "/vpol", kind: "ValidatingPolicy", role: "validate" },
  { prefix: "/nvpol", kind: "NamespacedValidatingPolicy", role: "validate" },
  { prefix: "/mpol", kind: "MutatingPolicy", role: "mutate" },
  { prefix: "/nmpol", kind: "NamespacedMutatingPolicy", role: "mutate" },
  { prefix: "/gpol", kind: "GeneratingPolicy", role: "generate" },
  { prefix: "/ngpol", kind: "NamespacedGeneratingPolicy", role: "generate" }
];
function celPhases(route) {
  if (route.role === "mutate") return route.kind.endsWith("ImageValidatingPolicy") ? [] : ["mutating"];
  return ["validating"];
}
function cel(path, route, selection) {
  const wanted = new Set("names" in selection ? selection.names : []);
  const own = "own" in selection ? selection.own : void 0;
  const select = (p) => p.ref.kind === route.kind && (own !== void 0 ? p.ref.name === own.name && (p.ref.namespace ?? "") === own.ns : wanted.size === 0 || wanted.has(p.ref.name));
  const failurePolicyIn = (set) => {
    if (set === void 0) return void 0;
    const named = set.policies.filter(select);
    return named.length > 0 && named.every((p) => p.traits.failurePolicy === "Ignore") ? "Ignore" : "Fail";
  };
  return {
    path,
    role: route.role,
    webhook: route.role === "mutate" ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration",
    phases: celPhases(route),
    select,
    ...route.role === "mutate" ? { operations: MUTATE_OPERATIONS } : {},
    failurePolicyIn,
    failsClosed: false,
    family: "cel"
  };
}
function legacyRoute(path) {
  const m = /^\/(validate|mutate)(?:\/(fail|ignore)(?:\/finegrained\/(?:([^/]+)\/)?([^/]+))?)?\/?$/.exec(
    path
  );
  if (m === null) return void 0;
  const role = m[1];
  const bucket = m[2] === "fail" ? "Fail" : m[2] === "ignore" ? "Ignore" : "all";
  const only = m[4] !== void 0 ? { ns: m[3] ?? "", name: m[4] } : void 0;
  return legacy(path, role, bucket, only);
}
function celRoute(path) {
  for (const route of CEL_ROUTES) {
    if (path !== route.prefix && !path.startsWith(`${route.prefix}/`)) continue;
    const names = path.slice(route.prefix.length).split("/").filter((n) => n !== "");
    const namespaced = route.kind.startsWith("Namespaced");
    if (names[0] === OWN_WEBHOOK_SEGMENT && names.length === (namespaced ? 3 : 2))
      return cel(path, route, { own: { ns: namespaced ? names[1] : "", name: names.at(-1) } });
    return cel(path, route, { names });
  }
  return void 0;
}
var MAX_CACHED_PATHS = 1024;
var cache = new BoundedMemo(MAX_CACHED_PATHS);
function routeAdmission(rawPath) {
  const query = rawPath.indexOf("?");
  const path = query === -1 ? rawPath : rawPath.slice(0, query);
  if (cache.has(path)) return cache.get(path);
  const endpoint = legacyRoute(path) ?? celRoute(path);
  cache.set(path, endpoint);
  return endpoint;
}

// src/webhook/http.ts
function jsonReply(status, value2, extra = {}) {
  return { status, body: JSON.stringify(value2), contentType: "application/json", ...extra };
}
function errorReply(status, message3) {
  return jsonReply(
    status,
    { kind: "Status", apiVersion: "v1", status: "Failure", message: message3, code: status },
    { error: message3 }
  );
}

// src/webhook/handlers/failure.ts
function failureResponse(failurePolicy, uid, reason) {
  if (failurePolicy === "Fail")
    return {
      uid,
      allowed: false,
      status: {
        status: "Failure",
        message: `palisade could not evaluate the request: ${reason} (failurePolicy Fail)`
      }
    };
  return {
    uid,
    allowed: true,
    warnings: [
      `palisade could not evaluate the request: ${reason}; admitted unchecked (failurePolicy Ignore)`
    ]
  };
}

// src/webhook/handlers/admission.ts
var utf8 = new TextDecoder("utf-8", { fatal: true });
function jsonDepth(bytes, stopAbove) {
  let depth = 0;
  let max = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 34) {
      for (i++; i < n; i++) {
        const d = bytes[i];
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
function fewOpeners(bytes, limit) {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = b.indexOf(123); i !== -1; i = b.indexOf(123, i + 1)) if (++n > limit) return false;
  for (let i = b.indexOf(91); i !== -1; i = b.indexOf(91, i + 1)) if (++n > limit) return false;
  return true;
}
function nestsDeeper(bytes, maxDepth) {
  return !fewOpeners(bytes, maxDepth) && jsonDepth(bytes, maxDepth) > maxDepth;
}
function parseJsonBody(body, maxDepth) {
  try {
    const value2 = JSON.parse(utf8.decode(body));
    const tooDeep = body.byteLength >= 2 * (maxDepth + 1) && nestsDeeper(body, maxDepth);
    return { ok: true, value: value2, tooDeep };
  } catch (err) {
    return { ok: false, error: `the body is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}
function reply(apiVersion, decision) {
  return {
    status: 200,
    body: encodeReview(apiVersion, decision.answer.response),
    contentType: "application/json",
    decision
  };
}
function failurePolicyOf(endpoint, loaded) {
  return endpoint.failurePolicyIn(loaded?.set) ?? "Fail";
}
function createAdmissionHandler(config) {
  return async (call) => {
    const endpoint = routeAdmission(call.path);
    if (endpoint === void 0) return errorReply(404, `no admission endpoint at ${call.path.split("?")[0]}`);
    if (call.method !== "POST")
      return errorReply(405, `${call.method} is not allowed; admission reviews are POSTed`);
    const loaded = config.store.current();
    if (loaded === void 0 && !endpoint.failsClosed)
      return errorReply(503, "not ready: the policy set is not loaded yet");
    const body = parseJsonBody(call.body, config.maxDepth);
    if (!body.ok) return errorReply(400, body.error);
    const decoded = decodeReview(body.value);
    if (!decoded.ok) return errorReply(400, `not an AdmissionReview: ${decoded.error}`);
    const { apiVersion, request: request2 } = decoded.review;
    if (loaded === void 0) {
      const response = failureResponse("Fail", request2.uid, "the policy set is not loaded yet");
      return reply(apiVersion, { endpoint, request: request2, answer: { response, skipped: "not-ready" } });
    }
    if (body.tooDeep) {
      const reason = `the review nests deeper than ${config.maxDepth} levels`;
      const response = failureResponse(failurePolicyOf(endpoint, loaded), request2.uid, reason);
      return reply(apiVersion, { endpoint, request: request2, loaded, answer: { response, skipped: "too-deep" } });
    }
    let answer;
    try {
      const input = call.receivedAt !== void 0 ? { endpoint, review: decoded.review, loaded, receivedAt: call.receivedAt } : { endpoint, review: decoded.review, loaded };
      answer = await config.review(input);
    } catch (err) {
      const reason = `internal error: ${err instanceof Error ? err.message : String(err)}`;
      const response = failureResponse(failurePolicyOf(endpoint, loaded), request2.uid, reason);
      answer = { response, skipped: "internal-error" };
    }
    return reply(apiVersion, { endpoint, request: request2, loaded, answer });
  };
}

// src/webhook/handlers/setless-review.ts
function createSetlessReviewHandler(maxDepth, decide) {
  return async (call) => {
    if (call.method !== "POST")
      return errorReply(405, `${call.method} is not allowed; admission reviews are POSTed`);
    const body = parseJsonBody(call.body, maxDepth);
    if (!body.ok) return errorReply(400, body.error);
    if (body.tooDeep) return errorReply(400, `the review nests deeper than ${maxDepth} levels`);
    const decoded = decodeReview(body.value);
    if (!decoded.ok) return errorReply(400, `not an AdmissionReview: ${decoded.error}`);
    const response = await decide(decoded.review.request);
    return {
      status: 200,
      body: encodeReview(decoded.review.apiVersion, response),
      contentType: "application/json"
    };
  };
}

// src/webhook/handlers/policy-validate.ts
var POLICY_VALIDATE_PATH = "/policyvalidate";
var isPolicyValidatePath = (path) => (
  // Every call is routed through this test: the prefix rules out the others without a split and a RegExp.
  path.startsWith(POLICY_VALIDATE_PATH) && (path.split("?")[0] ?? "").replace(/\/+$/, "") === POLICY_VALIDATE_PATH
);
function nameOf(object2) {
  const o = object2 ?? {};
  const ns = typeof o.metadata?.namespace === "string" ? `${o.metadata.namespace}/` : "";
  return `${String(o.kind ?? "policy")} ${ns}${String(o.metadata?.name ?? "")}`;
}
function createPolicyValidationHandler(config) {
  return createSetlessReviewHandler(config.maxDepth, async (request2) => {
    if (request2.operation === "DELETE" || request2.object === null) return { uid: request2.uid, allowed: true };
    const verdict = await config.check(request2.object);
    const what = nameOf(request2.object);
    config.logger.info("policy validated", {
      uid: request2.uid,
      policy: what,
      operation: request2.operation,
      allowed: verdict.errors.length === 0,
      ...verdict.errors.length > 0 ? { errors: verdict.errors } : {}
    });
    if (verdict.errors.length > 0) {
      const message3 = `${what} is invalid:
${verdict.errors.join("\n")}`;
      return {
        uid: request2.uid,
        allowed: false,
        status: { status: "Failure", message: message3 },
        warnings: verdict.warnings
      };
    }
    return { uid: request2.uid, allowed: true, warnings: verdict.warnings };
  });
}

// src/webhook/handlers/review.ts
import { setMaxListeners } from "node:events";

// src/webhook/handlers/mutate.ts
function blockingFailure(results) {
  for (const r of results) {
    if (r.failurePolicy !== "Fail") continue;
    const failed = r.response.rules.filter(
      (rule) => rule.type === "Mutation" && (rule.status === "error" || rule.status === "fail")
    );
    if (failed.length === 0) continue;
    const rules = failed.map((rule) => `${rule.name}: ${rule.message}`).join(" ");
    return `mutation policy ${r.policy.name} error: failed to apply policy ${r.policy.name} rules [${rules}]`;
  }
  return void 0;
}
function mutationResponse(uid, outcome) {
  const blocked = blockingFailure(outcome.responses);
  if (blocked !== void 0) return { uid, allowed: false, status: { status: "Failure", message: blocked } };
  return {
    uid,
    allowed: true,
    ...outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {},
    ...outcome.patch.length > 0 ? { patch: outcome.patch } : {}
  };
}

// src/webhook/handlers/validate.ts
function validationResponse(uid, outcome, family) {
  const warnings = outcome.warnings;
  if (outcome.allowed) return warnings.length > 0 ? { uid, allowed: true, warnings } : { uid, allowed: true };
  const status = { status: "Failure", message: outcome.message ?? "denied by policy" };
  return family === "cel" && warnings.length > 0 ? { uid, allowed: false, status, warnings } : { uid, allowed: false, status };
}

// src/webhook/handlers/review.ts
var NONE = Object.freeze([]);
function skipped(request2, config, endpoint) {
  const user = request2.userInfo;
  const excluded = isExcludedUser(config.exclusions, {
    username: user?.username ?? "",
    groups: user?.groups ?? NONE,
    roles: NONE,
    clusterRoles: NONE
  });
  if (excluded) return "excluded-user";
  if (isFilteredRequest(config.filters, request2)) return "resource-filter";
  if (endpoint.operations !== void 0 && !endpoint.operations.has(request2.operation))
    return "operation-filter";
  return void 0;
}
function createReviewHandler(config) {
  let limitsFor;
  const limitsOf = (ms) => {
    if (limitsFor?.ms !== ms) limitsFor = { ms, limits: { requestTimeoutMs: ms, ...config.limits } };
    return limitsFor.limits;
  };
  return async (input, deadline) => {
    const { endpoint, review, loaded } = input;
    const request2 = config.requestContext === void 0 ? review.request : Object.assign({}, review.request, { context: config.requestContext(review.request) });
    const skip = skipped(request2, config, endpoint);
    if (skip !== void 0) return { response: { uid: request2.uid, allowed: true }, skipped: skip };
    const dryRun = request2.dryRun === true;
    const phases = dryRun ? endpoint.phases.filter((p) => p !== "legacy-generate") : endpoint.phases;
    const limits = limitsOf(deadline.ms);
    let runtime;
    if (config.ports === void 0)
      runtime = { ports: { clock: deadline.clock }, signal: deadline.signal, limits };
    else if (deadline.waits) {
      setMaxListeners(0, deadline.signal);
      runtime = { asyncPorts: { ...config.ports, clock: deadline.clock }, signal: deadline.signal, limits };
    } else throw new Error("a review with ports needs a deadline that waits (withDeadline `waits`)");
    const options = config.timer !== void 0 ? { profile: "admission", phases, select: endpoint.select, timer: config.timer } : { profile: "admission", phases, select: endpoint.select };
    const outcome = await admit(loaded.set, request2, runtime, options);
    if (outcome.stoppedBy !== void 0) {
      const failurePolicy = endpoint.failurePolicyIn(loaded.set) ?? "Fail";
      const reason = `evaluation stopped: ${outcome.stoppedBy.message}`;
      return { response: failureResponse(failurePolicy, request2.uid, reason), skipped: "limits", outcome };
    }
    if (!dryRun && outcome.generated.length > 0 && !deadline.expired())
      config.onGenerated?.(outcome.generated, request2);
    if (!dryRun)
      config.onAdmitted?.({
        request: request2,
        set: loaded.set,
        select: endpoint.select,
        role: endpoint.role,
        responses: outcome.responses,
        allowed: outcome.allowed && !deadline.expired()
      });
    const response = endpoint.role === "mutate" ? mutationResponse(request2.uid, outcome) : endpoint.role === "validate" ? validationResponse(request2.uid, outcome, endpoint.family) : { uid: request2.uid, allowed: true };
    return { response, outcome };
  };
}

// src/webhook/handlers/verify-ttl.ts
var isVerifyTtlPath = (path) => (
  // Every call is routed through this test: the prefix rules out the others without a split and a RegExp.
  path.startsWith(TTL_VALIDATION_PATH) && (path.split("?")[0] ?? "").replace(/\/+$/, "") === TTL_VALIDATION_PATH
);
function createVerifyTtlHandler(config) {
  return createSetlessReviewHandler(config.maxDepth, (request2) => {
    const labels = request2.object?.metadata?.labels ?? void 0;
    const warning = request2.operation === "DELETE" ? void 0 : ttlLabelWarning(labels);
    if (warning === void 0) return { uid: request2.uid, allowed: true };
    config.logger.info("ttl label not readable", {
      uid: request2.uid,
      kind: request2.kind.kind,
      name: request2.name,
      namespace: request2.namespace,
      denied: config.invalidTtl === "deny"
    });
    if (config.invalidTtl === "deny")
      return { uid: request2.uid, allowed: false, status: { status: "Failure", message: warning } };
    return { uid: request2.uid, allowed: true, warnings: [warning] };
  });
}

// src/webhook/middleware/body-limit.ts
var DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
function tooLarge(maxBytes) {
  return errorReply(413, `the request body is larger than ${maxBytes} bytes`);
}
function withBodyLimit(handler, maxBytes) {
  return (call) => call.body.byteLength > maxBytes ? Promise.resolve(tooLarge(maxBytes)) : handler(call);
}
function readBody(stream, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        cleanup();
        stream.pause();
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
}

// src/webhook/log.ts
function createLogger(sink, now) {
  const readMs = now === void 0 ? Date.now : () => now().getTime();
  let lastMs = Number.NaN;
  let lastSecond = Number.NaN;
  let lastIso = "";
  const isoTime = () => {
    const ms = readMs();
    if (ms !== lastMs) {
      const second = Math.floor(ms / 1e3);
      if (second === lastSecond && ms >= 0) {
        const milli = ms - second * 1e3;
        lastIso = `${lastIso.slice(0, -4)}${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
      } else {
        lastIso = new Date(ms).toISOString();
        lastSecond = second;
      }
      lastMs = ms;
    }
    return lastIso;
  };
  let headIso = "";
  let headLevel = "";
  let headMsg = "";
  let head = "";
  const write = (level, msg, fields = {}) => {
    let line;
    try {
      const time = isoTime();
      if (Object.hasOwn(fields, "time") || Object.hasOwn(fields, "level") || Object.hasOwn(fields, "msg"))
        line = JSON.stringify(Object.assign({ time, level, msg }, fields));
      else {
        if (time !== headIso || level !== headLevel || msg !== headMsg) {
          head = `{"time":${JSON.stringify(time)},"level":${JSON.stringify(level)},"msg":${JSON.stringify(msg)}`;
          headIso = time;
          headLevel = level;
          headMsg = msg;
        }
        const rest = JSON.stringify(fields);
        line = rest === "{}" ? `${head}}` : `${head},${rest.slice(1)}`;
      }
    } catch {
      line = JSON.stringify({
        time: new Date(readMs()).toISOString(),
        level,
        msg,
        note: "fields not serialisable"
      });
    }
    sink(line);
  };
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields)
  };
}
function decisionFields(d, durationMs) {
  const { request: request2, answer, endpoint } = d;
  const outcome = answer.outcome;
  const response = answer.response;
  const fields = {
    uid: request2.uid,
    path: endpoint.path,
    operation: request2.operation,
    kind: `${request2.kind.group === "" ? "" : `${request2.kind.group}/`}${request2.kind.version}/${request2.kind.kind}`,
    namespace: request2.namespace,
    name: request2.name
  };
  if (request2.subResource !== void 0) fields.subResource = request2.subResource;
  fields.user = request2.userInfo?.username ?? "";
  fields.dryRun = request2.dryRun === true;
  fields.allowed = response.allowed;
  if (answer.skipped !== void 0) fields.skipped = answer.skipped;
  if (response.status !== void 0) fields.message = response.status.message;
  if (d.loaded !== void 0) fields.policySet = d.loaded.generation;
  fields.durationMs = Math.round(durationMs * 1e3) / 1e3;
  if (outcome !== void 0) {
    fields.policies = outcome.responses.length;
    fields.enforcedFailures = outcome.enforcedFailures.map((f) => `${f.policy.name}/${f.rule}`);
    fields.auditFailures = outcome.auditFailures.map((f) => `${f.policy.name}/${f.rule}`);
    const ruleErrors = [];
    for (const { response: r } of outcome.responses)
      for (const rule of r.rules)
        if (rule.status === "error") ruleErrors.push(`${r.policyKey}/${rule.name}: ${rule.message}`);
        else if (rule.generateError !== void 0)
          ruleErrors.push(`${r.policyKey}/${rule.name}: ${rule.generateError}`);
    if (ruleErrors.length > 0) fields.ruleErrors = ruleErrors;
    fields.patchOperations = response.patch?.length ?? 0;
  }
  fields.warnings = response.warnings?.length ?? 0;
  return fields;
}

// src/webhook/middleware/log.ts
function withDecisionLog(handler, logger, now) {
  return async (call) => {
    const started = now();
    const reply2 = await handler(call);
    const ms = now() - started;
    if (reply2.decision !== void 0) logger.info("admission", decisionFields(reply2.decision, ms));
    else if (reply2.status >= 400)
      logger.warn("admission call refused", {
        path: call.path.split("?")[0],
        method: call.method,
        status: reply2.status,
        error: reply2.error ?? "",
        bytes: call.body.byteLength
      });
    return reply2;
  };
}

// src/webhook/middleware/metrics.ts
var import_prom_client = __toESM(require_prom_client(), 1);

// src/webhook/middleware/metric-series.ts
function seriesKey(values) {
  return values.join("\0");
}
function labelsOf(names, values) {
  const out = {};
  for (const [i, n] of names.entries()) out[n] = values[i] ?? "";
  return out;
}
var Series = class {
  name;
  help;
  labelNames;
  constructor(registry, name, help, labelNames) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    registry.registerMetric(this);
  }
  collected(values) {
    return { name: this.name, help: this.help, type: this.type, aggregator: "sum", values };
  }
};
var CounterSeries = class extends Series {
  type = "counter";
  #series = /* @__PURE__ */ new Map();
  /**
   * The series of these label values (in `labelNames` order; `key` is `seriesKey(values)`), made on
   * first use: a caller that keeps it counts with `record.count++`, without looking it up again.
   */
  series(values, key = seriesKey(values)) {
    let s = this.#series.get(key);
    if (s === void 0) {
      s = { values: [...values], count: 0 };
      this.#series.set(key, s);
    }
    return s;
  }
  /** Adds one to the series of these label values (in `labelNames` order); `key` is `seriesKey(values)`. */
  inc(values, key = seriesKey(values)) {
    this.series(values, key).count++;
  }
  async get() {
    return this.collected(
      [...this.#series.values()].map((s) => ({
        labels: labelsOf(this.labelNames, s.values),
        value: s.count
      }))
    );
  }
};
var HistogramSeries = class extends Series {
  type = "histogram";
  #bounds;
  #series = /* @__PURE__ */ new Map();
  constructor(registry, name, help, labelNames, bounds) {
    super(registry, name, help, labelNames);
    this.#bounds = bounds;
  }
  /** The series of these label values, made on first use (see `CounterSeries.series`). */
  series(values, key = seriesKey(values)) {
    let s = this.#series.get(key);
    if (s === void 0) {
      s = { values: [...values], buckets: new Array(this.#bounds.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    return s;
  }
  /** Records `value` in the series of these label values (in `labelNames` order). */
  observe(values, value2, key = seriesKey(values)) {
    this.observeIn(this.series(values, key), value2);
  }
  /** Records `value` in a series this histogram gave (`series`). */
  observeIn(s, value2) {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value2 > bounds[i]) i++;
    if (i < bounds.length) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    s.sum += value2;
    s.count++;
  }
  async get() {
    const out = [];
    for (const s of this.#series.values()) {
      const labels = labelsOf(this.labelNames, s.values);
      let cumulative = 0;
      for (const [i, bound] of this.#bounds.entries()) {
        cumulative += s.buckets[i] ?? 0;
        out.push({
          metricName: `${this.name}_bucket`,
          labels: { le: String(bound), ...labels },
          value: cumulative
        });
      }
      out.push({ metricName: `${this.name}_bucket`, labels: { le: "+Inf", ...labels }, value: s.count });
      out.push({ metricName: `${this.name}_sum`, labels, value: s.sum });
      out.push({ metricName: `${this.name}_count`, labels, value: s.count });
    }
    return this.collected(out);
  }
};

// src/webhook/middleware/metrics.ts
var BUCKETS = [5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30];
var ADMISSION_LABELS = [
  "resource_kind",
  "resource_namespace",
  "resource_request_operation",
  "request_allowed",
  "request_webhook"
];
var POLICY_LABELS = [
  "policy_validation_mode",
  "policy_type",
  "policy_background_mode",
  "policy_namespace",
  "policy_name",
  "resource_kind",
  "resource_namespace",
  "resource_request_operation",
  "rule_name",
  "rule_result",
  "rule_type",
  "rule_execution_cause",
  "dry_run"
];
var CEL_LABELS = [
  "policy_validation_mode",
  "policy_background_mode",
  "policy_name",
  "policy_namespace",
  "resource_kind",
  "resource_namespace",
  "resource_request_operation",
  "execution_cause",
  "result"
];
var ALL = CEL_LABELS.map((_, i) => i);
var NO_MODE = ALL.filter((i) => CEL_LABELS[i] !== "policy_validation_mode");
var NO_MODE_NO_BACKGROUND = NO_MODE.filter((i) => CEL_LABELS[i] !== "policy_background_mode");
var CEL_FAMILIES = {
  ValidatingPolicy: { prefix: "validating_policy", labels: ALL },
  NamespacedValidatingPolicy: { prefix: "validating_policy", labels: ALL },
  ImageValidatingPolicy: { prefix: "image_validating_policy", labels: ALL },
  NamespacedImageValidatingPolicy: { prefix: "image_validating_policy", labels: ALL },
  MutatingPolicy: { prefix: "mutating_policy", labels: NO_MODE },
  NamespacedMutatingPolicy: { prefix: "mutating_policy", labels: NO_MODE },
  GeneratingPolicy: { prefix: "generating_policy", labels: NO_MODE_NO_BACKGROUND },
  NamespacedGeneratingPolicy: { prefix: "generating_policy", labels: NO_MODE_NO_BACKGROUND }
};
var RULE_TYPES = {
  Validation: "validate",
  Mutation: "mutate",
  Generation: "generate",
  ImageVerify: "imageVerify"
};
var refIndex = /* @__PURE__ */ new WeakMap();
function policyOf(set, ref) {
  let index = refIndex.get(set);
  if (index === void 0) {
    index = new Map(set.policies.map((p) => [p.ref, p]));
    refIndex.set(set, index);
  }
  return index.get(ref);
}
function backgroundOf(set, ref) {
  return String(set !== void 0 && policyOf(set, ref)?.traits.background === true);
}
function createMetrics(options = {}) {
  const registry = new import_prom_client.Registry();
  if (options.processMetrics !== false) (0, import_prom_client.collectDefaultMetrics)({ register: registry });
  const admissionRequests = new CounterSeries(
    registry,
    "kyverno_admission_requests_total",
    "can be used to track the number of admission requests encountered by Kyverno in the cluster",
    ADMISSION_LABELS
  );
  const reviews = new HistogramSeries(
    registry,
    "kyverno_admission_review_duration_seconds",
    "can be used to track the latencies (in seconds) associated with the entire individual admission review",
    ADMISSION_LABELS,
    BUCKETS
  );
  const family = (prefix, labels) => ({
    results: new CounterSeries(
      registry,
      `kyverno_${prefix}_results_total`,
      `can be used to track the results associated with the ${prefix.replaceAll("_", " ")} rules applied`,
      labels
    ),
    durations: new HistogramSeries(
      registry,
      `kyverno_${prefix}_execution_duration_seconds`,
      `can be used to track the latencies (in seconds) of the ${prefix.replaceAll("_", " ")} rules`,
      labels,
      BUCKETS
    )
  });
  const legacy2 = family("policy", POLICY_LABELS);
  const cel2 = /* @__PURE__ */ new Map();
  for (const { prefix, labels } of Object.values(CEL_FAMILIES))
    if (!cel2.has(prefix))
      cel2.set(
        prefix,
        family(
          prefix,
          labels.map((i) => CEL_LABELS[i] ?? "")
        )
      );
  const handles = /* @__PURE__ */ new Map();
  const partSlotsOf = (part) => {
    let slots = handles.get(part);
    if (slots === void 0) {
      slots = { byRef: /* @__PURE__ */ new WeakMap(), requests: /* @__PURE__ */ new Map() };
      handles.set(part, slots);
    }
    return slots;
  };
  const admissionSeriesOf = (d, requests) => {
    const webhook = d.endpoint.webhook;
    const allowed = d.answer.response.allowed;
    let pair = requests.get(webhook);
    if (pair === void 0) {
      pair = [void 0, void 0];
      requests.set(webhook, pair);
    }
    let s = pair[allowed ? 1 : 0];
    if (s === void 0) {
      const values = [
        d.request.kind.kind,
        d.request.namespace,
        d.request.operation.toLowerCase(),
        String(allowed),
        webhook
      ];
      const key = seriesKey(values);
      s = { count: admissionRequests.series(values, key), duration: reviews.series(values, key) };
      pair[allowed ? 1 : 0] = s;
    }
    return s;
  };
  const slotsOf = (byRef, ref, rule, status) => {
    let byRule = byRef.get(ref);
    if (byRule === void 0) {
      byRule = /* @__PURE__ */ new Map();
      byRef.set(ref, byRule);
    }
    let byStatus = byRule.get(rule);
    if (byStatus === void 0) {
      byStatus = /* @__PURE__ */ new Map();
      byRule.set(rule, byStatus);
    }
    let slots = byStatus.get(status);
    if (slots === void 0) {
      slots = [void 0, void 0];
      byStatus.set(status, slots);
    }
    return slots;
  };
  const seriesFor = (fam, values) => {
    const key = seriesKey(values);
    return { result: fam.results.series(values, key), duration: fam.durations.series(values, key) };
  };
  const recordResult = (d, set, r, byRef) => {
    const request2 = d.request;
    const rules = r.response.rules;
    const kind = r.policy.kind;
    const enforce = r.response.validationFailureAction === "Enforce";
    const mode = enforce ? 1 : 0;
    if (kind === "ClusterPolicy" || kind === "Policy") {
      const seconds = (r.durationMs ?? 0) / 1e3 / Math.max(1, rules.length);
      for (const rule of rules) {
        const slots = slotsOf(byRef, r.policy, rule.name, rule.status);
        let s = slots[mode];
        if (s === void 0) {
          s = seriesFor(legacy2, [
            enforce ? "enforce" : "audit",
            kind === "Policy" ? "namespaced" : "cluster",
            backgroundOf(set, r.policy),
            r.policy.namespace ?? "-",
            r.policy.name,
            request2.kind.kind,
            request2.namespace,
            request2.operation.toLowerCase(),
            rule.name,
            rule.status,
            RULE_TYPES[rule.type] ?? "-",
            "admission_request",
            String(request2.dryRun === true)
          ]);
          slots[mode] = s;
        }
        s.result.count++;
        legacy2.durations.observeIn(s.duration, seconds);
      }
      return;
    }
    const spec = CEL_FAMILIES[kind];
    const fam = spec !== void 0 ? cel2.get(spec.prefix) : void 0;
    if (spec === void 0 || fam === void 0) return;
    for (const rule of rules) {
      const slots = slotsOf(byRef, r.policy, rule.name, rule.status);
      let s = slots[mode];
      if (s === void 0) {
        const all = [
          enforce ? "Deny" : "Audit",
          backgroundOf(set, r.policy),
          r.policy.name,
          r.policy.namespace ?? "",
          request2.kind.kind,
          request2.namespace,
          request2.operation.toLowerCase(),
          "admission_request",
          rule.status
        ];
        s = seriesFor(fam, spec.labels === ALL ? all : spec.labels.map((i) => all[i] ?? ""));
        slots[mode] = s;
      }
      s.result.count++;
      fam.durations.observeIn(s.duration, (r.durationMs ?? 0) / 1e3);
    }
  };
  return {
    registry,
    record(d, seconds) {
      const part = `${d.request.kind.kind}\0${d.request.namespace}\0${d.request.operation}\0${d.request.dryRun === true}`;
      const slots = partSlotsOf(part);
      const admission = admissionSeriesOf(d, slots.requests);
      admission.count.count++;
      reviews.observeIn(admission.duration, seconds);
      const responses = d.answer.outcome?.responses;
      if (responses === void 0 || responses.length === 0) return;
      for (const r of responses) recordResult(d, d.loaded?.set, r, slots.byRef);
    }
  };
}
function withMetrics(handler, metrics, now) {
  return async (call) => {
    const started = now();
    const reply2 = await handler(call);
    if (reply2.decision !== void 0) metrics.record(reply2.decision, (now() - started) / 1e3);
    return reply2;
  };
}

// src/webhook/middleware/recover.ts
function withRecover(handler, onError) {
  return async (call) => {
    try {
      return await handler(call);
    } catch (err) {
      onError(err);
      return errorReply(500, "internal error");
    }
  };
}

// src/webhook/middleware/timeout.ts
var ClockSignal = class {
  aborted = false;
  reason = void 0;
  throwIfAborted() {
    if (this.aborted) throw this.reason;
  }
  /** As AbortController.abort: the signal is its own controller. */
  abort(reason) {
    this.reason = reason;
    this.aborted = true;
  }
};
var RequestDeadline = class {
  waits;
  signal;
  ms;
  #controller;
  #now;
  #origin;
  #endsAt;
  constructor(controller, ms, now, origin, endsAt) {
    this.#controller = controller;
    this.waits = controller instanceof AbortController;
    this.signal = controller instanceof AbortController ? controller.signal : controller;
    this.ms = ms;
    this.#now = now;
    this.#origin = origin;
    this.#endsAt = endsAt;
  }
  get clock() {
    return this;
  }
  expire() {
    if (this.signal.aborted) return;
    const reason = new DOMException(`evaluation deadline of ${this.ms} ms exceeded`, "TimeoutError");
    this.#controller.abort(reason);
  }
  now() {
    if (this.#now() >= this.#endsAt) this.expire();
    return /* @__PURE__ */ new Date();
  }
  // What the engine's limits read at every step: no Date built, one clock read.
  nowMs() {
    const t = this.#now();
    if (t >= this.#endsAt) this.expire();
    return this.#origin + t;
  }
  expired() {
    return this.signal.aborted || this.#now() >= this.#endsAt;
  }
};
function withDeadline(handler, options, onExpired) {
  const now = options.now ?? (() => performance.now());
  const waits = options.waits ?? true;
  const finish = async (input, deadline) => {
    const out = await handler(input, deadline);
    return deadline.expired() ? onExpired(input, deadline) : out;
  };
  return (input) => {
    const origin = Date.now() - now();
    const controller = waits ? new AbortController() : new ClockSignal();
    const endsAt = (input.receivedAt ?? now()) + options.ms;
    const remaining = endsAt - now();
    const state = new RequestDeadline(controller, options.ms, now, origin, endsAt);
    const deadline = state;
    if (remaining <= 0) {
      state.expire();
      return Promise.resolve(onExpired(input, deadline));
    }
    const run = finish(input, deadline);
    if (!waits) return run;
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => {
        state.expire();
        resolve(onExpired(input, deadline));
      }, remaining);
    });
    return Promise.race([run, timedOut]).finally(() => clearTimeout(timer));
  };
}

// src/webhook/app.ts
function expired(input, ms) {
  const failurePolicy = input.endpoint.failurePolicyIn(input.loaded.set) ?? "Fail";
  const reason = `evaluation deadline of ${ms} ms exceeded`;
  return { response: failureResponse(failurePolicy, input.review.request.uid, reason), skipped: "deadline" };
}
function createAdmissionApp(store, config) {
  const now = config.now ?? (() => performance.now());
  const review = withDeadline(
    createReviewHandler({
      filters: config.filters,
      exclusions: config.exclusions,
      timer: now,
      ...config.limits !== void 0 ? { limits: config.limits } : {},
      ...config.onGenerated !== void 0 ? { onGenerated: config.onGenerated } : {},
      ...config.onAdmitted !== void 0 ? { onAdmitted: config.onAdmitted } : {},
      ...config.requestContext !== void 0 ? { requestContext: config.requestContext } : {},
      ...config.ports !== void 0 ? { ports: config.ports } : {}
    }),
    // Without ports nothing in a review waits (the evaluation is synchronous): no timer is needed.
    { ms: config.deadlineMs, now, waits: config.ports !== void 0 },
    (input) => expired(input, config.deadlineMs)
  );
  let handler = withBodyLimit(
    createAdmissionHandler({ store, review, maxDepth: config.maxDepth }),
    config.maxBodyBytes
  );
  if (config.metrics !== void 0) handler = withMetrics(handler, config.metrics, now);
  handler = withDecisionLog(handler, config.logger, now);
  const onError = (err) => config.logger.error("admission handler failed", {
    error: err instanceof Error ? err.message : String(err)
  });
  const resources = withRecover(handler, onError);
  const verifyTtl = withRecover(
    withBodyLimit(
      createVerifyTtlHandler({
        invalidTtl: config.invalidTtl ?? "warn",
        maxDepth: config.maxDepth,
        logger: config.logger
      }),
      config.maxBodyBytes
    ),
    onError
  );
  const admission = (call) => isVerifyTtlPath(call.path) ? verifyTtl(call) : resources(call);
  if (config.checkPolicy === void 0) return admission;
  const policyValidation = withRecover(
    withBodyLimit(
      createPolicyValidationHandler({
        check: config.checkPolicy,
        maxDepth: config.maxDepth,
        logger: config.logger
      }),
      config.maxBodyBytes
    ),
    onError
  );
  return (call) => isPolicyValidatePath(call.path) ? policyValidation(call) : admission(call);
}

// src/webhook/batched-writer.ts
var unrefTimer = (flush, delayMs) => {
  setTimeout(flush, delayMs).unref();
};
function createBatchedWriter(sink, options = {}) {
  const maxBytes = options.maxBytes ?? 16 * 1024;
  const delayMs = options.delayMs ?? 50;
  const schedule = options.schedule ?? unrefTimer;
  let pending = "";
  let scheduled = false;
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    sink(text);
  };
  const onTimer = () => {
    scheduled = false;
    flush();
  };
  return {
    write(text) {
      pending += text;
      if (pending.length >= maxBytes) flush();
      else if (!scheduled) {
        scheduled = true;
        schedule(onTimer, delayMs);
      }
    },
    flush
  };
}

// src/io/policy-folder.ts
async function loadPolicyFolder(folder, options = {}) {
  const decoder = await getPolicyDecoder();
  const loaded = loadPolicies([folder], decoder);
  const compiled = compileLoadedPolicies(loaded, options.exceptionGate);
  const issues = compiled.issues.map(
    (d) => d.code === "input/empty" && options.allowEmpty !== true ? { ...d, severity: "error" } : d
  );
  if (issues.some((d) => d.severity === "error")) return { ok: false, issues };
  return { ok: true, set: compiled.set, policyCount: compiled.policyCount, warnings: issues };
}
function watchPolicyFolder(folder, onLoad, options) {
  let closed = false;
  const loads = new CoalescedRuns(async () => {
    if (closed) return;
    try {
      const load = await loadPolicyFolder(folder, options);
      if (!closed) onLoad(load);
    } catch (err) {
      options.onError?.(`reloading ${folder} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const watch2 = watchFolder(folder, () => void loads.request(), options);
  return {
    reload: () => loads.request(),
    close() {
      closed = true;
      watch2.close();
    }
  };
}

// src/webhook/policy-sources.ts
var message = (err) => err instanceof Error ? err.message : String(err);
function onFolderLoad(store, logger) {
  return (load) => {
    if (!load.ok) {
      const kept = store.current();
      logger.error(
        kept === void 0 ? "policies failed to load; not ready" : "policies failed to load; keeping the previous set",
        {
          ...kept !== void 0 ? { policySet: kept.generation } : {},
          diagnostics: load.issues.map(diagnosticFields)
        }
      );
      return;
    }
    const loaded = store.swap(load.set, load.policyCount);
    logger.info("policy set loaded", {
      policySet: loaded.generation,
      policies: load.policyCount,
      ...load.warnings.length > 0 ? { warnings: load.warnings.map(diagnosticFields) } : {}
    });
  };
}
function folderSource(folder, store, logger, options) {
  let watch2;
  const onLoad = onFolderLoad(store, logger);
  return {
    description: { source: "folder", folder },
    async start() {
      try {
        watch2 = watchPolicyFolder(folder, onLoad, {
          debounceMs: options.debounceMs,
          allowEmpty: options.allowEmpty,
          exceptionGate: options.exceptionGate,
          onError: (m) => logger.error(m)
        });
      } catch (err) {
        logger.error("cannot watch the policy folder; loading it once", { folder, error: message(err) });
        onLoad(
          await loadPolicyFolder(folder, {
            allowEmpty: options.allowEmpty,
            exceptionGate: options.exceptionGate
          })
        );
        return;
      }
      await watch2.reload();
    },
    close: () => watch2?.close()
  };
}
async function openPolicySource(config, store, logger, options) {
  if (config.kind === "folder") return folderSource(config.folder, store, logger, options);
  const { clusterSource } = await import("./cluster-policy-source-WYWSRZ4K.mjs");
  return clusterSource(config.kubeconfig, store, logger, options);
}

// src/webhook/policy-store.ts
var PolicyStore = class {
  #current;
  /** The set to answer a request with; undefined until the first one is loaded (not ready). */
  current() {
    return this.#current;
  }
  get ready() {
    return this.#current !== void 0;
  }
  /** Makes `set` the one new requests are answered with; returns its generation. */
  swap(set, policyCount) {
    const next = { set, policyCount, generation: (this.#current?.generation ?? 0) + 1 };
    this.#current = next;
    return next;
  }
};

// src/webhook/cluster-args.ts
var CLUSTER_OPTIONS = {
  namespace: { type: "string" },
  "service-name": { type: "string" },
  "service-port": { type: "string" },
  "webhook-url": { type: "string" },
  "leader-election": { type: "string" },
  "lease-name": { type: "string" },
  "lease-namespace": { type: "string" },
  ...ELECTION_TIMING_OPTIONS,
  "tls-ca": { type: "string" },
  "resync-period": { type: "string" },
  "background-scan": { type: "string" },
  "background-scan-interval": { type: "string" },
  "openreports-enabled": { type: "boolean" },
  "cleanup-controller": { type: "string" },
  "reports-controller": { type: "string" },
  "background-controller": { type: "string" },
  "ttl-reconciliation-interval": { type: "string" },
  "invalid-ttl": { type: "string" },
  ...EVENT_OPTIONS
};
var CLUSTER_HELP = `
Cluster duties (with --cluster/--kubeconfig; the elected leader writes, every replica serves):
      --namespace NS             Palisade's namespace: Lease, Secrets; excluded from its webhooks
                                 (default: $POD_NAMESPACE, else palisade)
      --service-name NAME        Service the API server calls the webhooks through (default palisade-svc)
      --service-port N           its port (default 443)
      --webhook-url URL          call https://host:port instead of the Service (serve outside the cluster)
      --leader-election BOOL     elect one leader through a Lease (default true; false: this replica leads)
      --lease-name NAME          the Lease (default palisade)
      --lease-namespace NS       its namespace (default: --namespace)
      --lease-duration duration  how long a Lease lasts unrenewed (default 12s)
      --renew-deadline duration  a leader that cannot renew for this long steps down (default 10s)
      --retry-period duration    time between election attempts (default 2s)
      --tls-ca FILE              CA of --tls-cert for the webhooks' caBundle (default: --tls-cert itself)
      --resync-period duration   the leader rewrites webhooks and policy status this often (default 1m)
      --background-scan BOOL     the leader scans existing resources and writes a policy report per
                                 resource (default true)
      --background-scan-interval duration
                                 every resource is scanned again this often (default 1h); changed
                                 resources and policies are scanned within min(resync-period, 10s)
      --openreports-enabled      write openreports.io Reports instead of wgpolicyk8s.io PolicyReports
      --cleanup-controller BOOL  the leader runs cleanup policies and the TTL label (default true; false
                                 when 'palisade controller cleanup' runs them in its own Deployment)
      --reports-controller BOOL  the leader scans and writes the reports (default true; false when
                                 'palisade controller reports' does: admission results are still
                                 recorded for it, unless --background-scan=false)
      --background-controller BOOL
                                 the leader runs generate and mutate-existing (default true; false
                                 when 'palisade controller background' does: admission still records
                                 their requests for it)
      --ttl-reconciliation-interval duration
                                 how often labelled objects are listed for their TTL (default 1m)
      --invalid-ttl warn|deny    an unreadable cleanup.kyverno.io/ttl label at admission: allowed with
                                 a warning, as Kyverno does (default), or denied
${EVENT_HELP}`;
var ClusterUsageError = class extends Error {
};
function duration(flag, text, fallback) {
  if (text === void 0) return fallback;
  const v = parseLimitValue("duration", text);
  if (v === void 0) throw new ClusterUsageError(`--${flag} expects a duration such as 2s, got "${text}"`);
  return v;
}
function bool(flag, text, fallback) {
  if (text === void 0) return fallback;
  if (/^(true|on|yes|1)$/i.test(text)) return true;
  if (/^(false|off|no|0)$/i.test(text)) return false;
  throw new ClusterUsageError(`--${flag} expects true or false, got "${text}"`);
}
function parseClusterFlags(values, env) {
  const namespace = str(values.namespace) ?? env.POD_NAMESPACE ?? "palisade";
  const election = parseElectionTiming(values);
  if (!election.ok) throw new ClusterUsageError(election.error);
  const timing = election.timing;
  const portText = str(values["service-port"]);
  const port2 = portText === void 0 ? 443 : Number(portText);
  if (!Number.isInteger(port2) || port2 < 1 || port2 > 65535)
    throw new ClusterUsageError(`--service-port expects a port number, got "${portText}"`);
  const webhookUrl = str(values["webhook-url"]);
  if (webhookUrl !== void 0 && !/^https:\/\/[^/]+\/?$/.test(webhookUrl))
    throw new ClusterUsageError(`--webhook-url expects https://host:port, got "${webhookUrl}"`);
  const tlsCa = str(values["tls-ca"]);
  const invalidTtl = str(values["invalid-ttl"]) ?? "warn";
  if (invalidTtl !== "warn" && invalidTtl !== "deny")
    throw new ClusterUsageError(`--invalid-ttl expects warn or deny, got "${invalidTtl}"`);
  return {
    namespace,
    service: { name: str(values["service-name"]) ?? "palisade-svc", port: port2 },
    ...webhookUrl !== void 0 ? { webhookUrl } : {},
    leaderElection: bool("leader-election", str(values["leader-election"]), true),
    lease: {
      name: str(values["lease-name"]) ?? "palisade",
      namespace: str(values["lease-namespace"]) ?? namespace,
      timing
    },
    ...tlsCa !== void 0 ? { tlsCa } : {},
    resyncMs: duration("resync-period", str(values["resync-period"]), 6e4),
    reports: {
      enabled: bool("background-scan", str(values["background-scan"]), true),
      scanIntervalMs: duration(
        "background-scan-interval",
        str(values["background-scan-interval"]),
        36e5
      ),
      openreports: values["openreports-enabled"] === true
    },
    cleanupController: bool("cleanup-controller", str(values["cleanup-controller"]), true),
    reportsController: bool("reports-controller", str(values["reports-controller"]), true),
    backgroundController: bool("background-controller", str(values["background-controller"]), true),
    ttlIntervalMs: duration(
      "ttl-reconciliation-interval",
      str(values["ttl-reconciliation-interval"]),
      6e4
    ),
    invalidTtl,
    events: events(values)
  };
}
function events(values) {
  try {
    return parseEventFlags(values);
  } catch (err) {
    throw new ClusterUsageError(err instanceof Error ? err.message : String(err));
  }
}

// src/webhook/serve-args.ts
var SERVE_HELP = `Run the admission webhook: answer the API server's AdmissionReviews with the policies of a folder
or of the cluster.

Usage:
  palisade serve --policies DIR --tls-cert FILE --tls-key FILE [flags]
  palisade serve --cluster [--kubeconfig FILE] --tls-cert FILE --tls-key FILE [flags]

Endpoints (HTTPS): /validate[/fail|/ignore], /mutate[/fail|/ignore] (ClusterPolicy, Policy),
/vpol/NAME..., /nvpol, /mpol, /nmpol, /ivpol/validate, /ivpol/mutate, /gpol, /ngpol (CEL kinds),
/health/liveness, /health/readiness. Metrics: GET /metrics on --metrics-port. Docs: docs/serve.md.

Flags:
      --policies DIR             folder of policy files, watched: a change reloads it
      --cluster                  read the policies from the cluster, watched: ClusterPolicy, Policy, the
                                 policies.kyverno.io kinds, PolicyExceptions, Validating/Mutating-
                                 AdmissionPolicies and bindings (plus Namespaces and RBAC bindings);
                                 credentials from --kubeconfig, $KUBECONFIG, the pod, or ~/.kube/config;
                                 the leader also does the cluster duties (below)
      --kubeconfig FILE          kubeconfig for --cluster (implies it)
                                 (exactly one source: --policies, or --cluster/--kubeconfig)
      --tls-cert FILE            PEM serving certificate (chain); reloaded when it changes (required
                                 with --policies; with --cluster, absent: a self-managed CA in Secrets)
      --tls-key FILE             PEM private key (required with --tls-cert)
      --address ADDR             address to listen on (default 127.0.0.1; in a pod give 0.0.0.0)
      --port N                   HTTPS port (default 9443)
      --metrics-port N           serve Prometheus metrics on this port (default: no metrics)
      --metrics-address ADDR     address for metrics (default: --address)
      --webhook-timeout duration the timeoutSeconds the webhooks are registered with (default 10s)
      --deadline duration        evaluation deadline, below the webhook timeout (default: timeout - 2s)
      --max-request-body size    largest AdmissionReview accepted, else 413 (default 3Mi)
      --max-json-depth int       deepest nesting accepted in a review (default 1000)
      --resource-filters text    Kyverno's resourceFilters, e.g. '[Event,*,*][*/*,kube-system,*]'
                                 (default: the Helm chart's; '' evaluates everything)
      --exclude-groups list      groups whose requests are not evaluated (default system:nodes)
      --exclude-usernames list   usernames whose requests are not evaluated (default none)
      --watch-debounce duration  quiet time after a change before reloading (default 500ms)
      --drain-timeout duration   on SIGTERM, time given to requests in flight (default 20s)
      --enable-policy-exception  honour PolicyExceptions (Kyverno's --enablePolicyException; default:
                                 none is, and each one loaded is logged as ignored)
      --exception-namespace NS   where kyverno.io PolicyExceptions are honoured ('*': everywhere; default
                                 none); CEL ones in NS, or everywhere when it is '' or '*'
      --max-global-context-entries int
                                 GlobalContextEntries run at most, with --cluster (default 0: no bound)
      --http-blocklist list      CIDRs, addresses and host names CEL http.Get/Post may not reach
                                 (default: ${DEFAULT_HTTP_BLOCKLIST.join(",")};
                                 '' blocks nothing)
      --http-allowlist list      URL prefixes CEL http.Get/Post may reach, e.g. https://api.example.com/v1
                                 (default: any not blocked)
${limitFlagsHelp(33)}
  -h, --help                     help for serve
${CLUSTER_HELP}`;
var OPTIONS = {
  policies: { type: "string" },
  cluster: { type: "boolean" },
  kubeconfig: { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  address: { type: "string" },
  port: { type: "string" },
  "metrics-port": { type: "string" },
  "metrics-address": { type: "string" },
  "webhook-timeout": { type: "string" },
  deadline: { type: "string" },
  "max-request-body": { type: "string" },
  "max-json-depth": { type: "string" },
  "resource-filters": { type: "string" },
  "exclude-groups": { type: "string" },
  "exclude-usernames": { type: "string" },
  "watch-debounce": { type: "string" },
  "drain-timeout": { type: "string" },
  "enable-policy-exception": { type: "boolean" },
  "exception-namespace": { type: "string" },
  "max-global-context-entries": { type: "string" },
  "http-blocklist": { type: "string" },
  "http-allowlist": { type: "string" },
  ...LIMIT_OPTIONS,
  ...CLUSTER_OPTIONS,
  help: { type: "boolean", short: "h" }
};
var UsageError = class extends Error {
};
function port(flag, text, fallback) {
  if (text === void 0) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535)
    throw new UsageError(`--${flag} expects a port number, got "${text}"`);
  return n;
}
function value(kind, flag, text, fallback) {
  if (text === void 0) return fallback;
  const v = parseLimitValue(kind, text);
  if (v === void 0) {
    const what = kind === "duration" ? "a duration such as 8s or 500ms" : kind === "size" ? "a size such as 3Mi" : "a positive integer";
    throw new UsageError(`--${flag} expects ${what}, got "${text}"`);
  }
  return v;
}
function countOrZero(flag, text) {
  if (text === void 0) return 0;
  const n = parseCountValue(text);
  if (n === void 0) throw new UsageError(`--${flag} expects a count (0: no bound), got "${text}"`);
  return n;
}
function policySource(values) {
  const folder = str(values.policies);
  const kubeconfig = str(values.kubeconfig);
  const cluster = values.cluster === true || kubeconfig !== void 0;
  if (folder !== void 0 && cluster)
    throw new UsageError(
      "--policies and --cluster/--kubeconfig are two policy sources; give one (a server answers with one set)"
    );
  if (kubeconfig === "") throw new UsageError("--kubeconfig expects a file");
  if (cluster) return { kind: "cluster", ...kubeconfig !== void 0 ? { kubeconfig } : {} };
  if (folder === void 0 || folder === "")
    throw new UsageError(
      "a policy source is required: --policies DIR, or --cluster (with --kubeconfig FILE)"
    );
  return { kind: "folder", folder };
}
function required(values, flag) {
  const v = str(values[flag]);
  if (v === void 0 || v === "") throw new UsageError(`--${flag} is required`);
  return v;
}
function httpEgress(v) {
  const made = egressPolicyFromFlags(str(v["http-blocklist"]), str(v["http-allowlist"]));
  if (!made.ok) throw new UsageError(made.error);
  return made.policy;
}
function tlsFiles(v, source) {
  const managed = str(v["tls-cert"]) === void 0 && str(v["tls-key"]) === void 0 && source.kind === "cluster";
  return managed ? {} : { tlsCert: required(v, "tls-cert"), tlsKey: required(v, "tls-key") };
}
function clusterDutiesWanted(config) {
  return config.source.kind === "cluster";
}
function parseServeArgs(argv, env = {}) {
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const v = parsed.values;
  if (v.help === true) return { ok: true, help: true };
  if (parsed.positionals.length > 0)
    return { ok: false, error: `unexpected argument "${parsed.positionals[0]}"` };
  try {
    const cluster = parseClusterFlags(v, env);
    const source = policySource(v);
    const limits = parseLimitFlags(v);
    if (!limits.ok) throw new UsageError(limits.error);
    const webhookTimeoutMs = value("duration", "webhook-timeout", str(v["webhook-timeout"]), 1e4);
    const deadlineMs = value(
      "duration",
      "deadline",
      str(v.deadline),
      Math.max(500, webhookTimeoutMs - 2e3)
    );
    if (deadlineMs >= webhookTimeoutMs)
      throw new UsageError(
        "--deadline must be below --webhook-timeout, so that the server answers before the API server gives up"
      );
    const address = str(v.address) ?? "127.0.0.1";
    const metricsPort = str(v["metrics-port"]);
    const config = {
      source,
      ...tlsFiles(v, source),
      address,
      port: port("port", str(v.port), 9443),
      ...metricsPort !== void 0 ? {
        metrics: {
          address: str(v["metrics-address"]) ?? address,
          port: port("metrics-port", metricsPort, 0)
        }
      } : {},
      webhookTimeoutMs,
      deadlineMs,
      maxBodyBytes: value("size", "max-request-body", str(v["max-request-body"]), DEFAULT_MAX_BODY_BYTES),
      maxDepth: value("count", "max-json-depth", str(v["max-json-depth"]), DEFAULT_LIMITS.maxDepth),
      filters: parseResourceFilters(str(v["resource-filters"]) ?? DEFAULT_RESOURCE_FILTERS),
      exclusions: userExclusions({
        excludeGroups: str(v["exclude-groups"]) ?? DEFAULT_EXCLUDE_GROUPS,
        excludeUsernames: str(v["exclude-usernames"]) ?? ""
      }),
      watchDebounceMs: value("duration", "watch-debounce", str(v["watch-debounce"]), 500),
      drainMs: value("duration", "drain-timeout", str(v["drain-timeout"]), 2e4),
      allowEmpty: v["allow-empty"] === true,
      exceptionGate: {
        enablePolicyException: v["enable-policy-exception"] === true,
        exceptionNamespace: str(v["exception-namespace"]) ?? ""
      },
      maxGlobalContextEntries: countOrZero(
        "max-global-context-entries",
        str(v["max-global-context-entries"])
      ),
      httpEgress: httpEgress(v),
      limits: limits.limits,
      cluster
    };
    return { ok: true, config };
  } catch (err) {
    if (err instanceof UsageError || err instanceof ClusterUsageError)
      return { ok: false, error: err.message };
    throw err;
  }
}

// src/webhook/server.ts
import {
  createServer as createHttpServer
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createSecureContext } from "node:tls";

// src/webhook/health.ts
var HEALTH_PATHS = /* @__PURE__ */ new Set(["/health/liveness", "/health/readiness"]);
function healthReply(path, store) {
  const p = path.split("?")[0];
  if (p === "/health/liveness") return jsonReply(200, { status: "ok" });
  if (p === "/health/readiness")
    return store.ready ? jsonReply(200, { status: "ready", generation: store.current()?.generation }) : jsonReply(503, { status: "not ready", reason: "the policy set is not loaded yet" });
  return void 0;
}

// src/webhook/server.ts
function urlOf(scheme, server) {
  const a = server.address();
  const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
  return `${scheme}://${host}:${a.port}`;
}
function listen(server, port2, address) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port2, address, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
function send(res, reply2, close, done) {
  const length = String(Buffer.byteLength(reply2.body));
  res.writeHead(
    reply2.status,
    close ? ["Content-Type", reply2.contentType, "Content-Length", length, "Connection", "close"] : ["Content-Type", reply2.contentType, "Content-Length", length]
  );
  if (res.destroyed) {
    done();
    return;
  }
  res.once("close", done);
  res.end(reply2.body);
}
async function startServer(app, store, options, logger) {
  let inFlight = 0;
  let draining = false;
  let idle;
  const onRequest = async (req, res) => {
    inFlight++;
    let reply2;
    let close = false;
    try {
      const receivedAt = performance.now();
      const path = req.url ?? "/";
      const method = req.method ?? "GET";
      const health = path.startsWith("/health/") && HEALTH_PATHS.has(path.split("?")[0] ?? "") ? healthReply(path, store) : void 0;
      if (health !== void 0) reply2 = method === "GET" ? health : errorReply(405, "health checks are GETs");
      else if (Number(req.headers["content-length"] ?? 0) > options.maxBodyBytes) {
        reply2 = tooLarge(options.maxBodyBytes);
        close = true;
      } else {
        const body = await readBody(req, options.maxBodyBytes);
        if (body === "too-large") {
          reply2 = tooLarge(options.maxBodyBytes);
          close = true;
        } else reply2 = await app({ method, path, body, receivedAt });
      }
    } catch (err) {
      logger.error("request failed", { error: err instanceof Error ? err.message : String(err) });
      reply2 = errorReply(500, "internal error");
      close = true;
    }
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      inFlight--;
      try {
        if (!req.complete) req.destroy();
      } catch {
      }
      if (inFlight === 0) idle?.();
    };
    try {
      send(res, reply2, close || draining, done);
    } catch {
      if (!settled) {
        settled = true;
        inFlight--;
        if (inFlight === 0) idle?.();
      }
    }
  };
  const https = createHttpsServer(
    { cert: options.tls.cert, key: options.tls.key, minVersion: "TLSv1.2" },
    (req, res) => void onRequest(req, res)
  );
  https.headersTimeout = Math.min(1e4, options.webhookTimeoutMs);
  https.requestTimeout = options.webhookTimeoutMs + 5e3;
  https.keepAliveTimeout = 3e4;
  https.on("tlsClientError", (err) => logger.warn("TLS handshake failed", { error: err.message }));
  https.on("clientError", (err, socket) => {
    logger.warn("bad HTTP request", { error: err.message });
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await listen(https, options.port, options.address);
  let metricsServer;
  if (options.metrics !== void 0) {
    const registry = options.metrics.registry;
    metricsServer = createHttpServer((req, res) => {
      if ((req.url ?? "").split("?")[0] !== "/metrics" || req.method !== "GET") {
        res.statusCode = 404;
        res.end("not found\n");
        return;
      }
      registry.metrics().then(
        (text) => {
          res.setHeader("Content-Type", registry.contentType);
          res.end(text);
        },
        (err) => {
          logger.error("metrics failed", { error: err instanceof Error ? err.message : String(err) });
          res.statusCode = 500;
          res.end();
        }
      );
    });
    try {
      await listen(metricsServer, options.metrics.port, options.metrics.address);
    } catch (err) {
      https.close();
      throw err;
    }
  }
  return {
    url: urlOf("https", https),
    ...metricsServer !== void 0 ? { metricsUrl: urlOf("http", metricsServer) } : {},
    inFlight: () => inFlight,
    setCertificate(tls) {
      createSecureContext({ cert: tls.cert, key: tls.key });
      https.setSecureContext({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" });
    },
    async close(drainMs) {
      draining = true;
      https.close();
      metricsServer?.close();
      https.closeIdleConnections();
      const drained = inFlight === 0 || await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), drainMs);
        idle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      https.closeAllConnections();
      metricsServer?.closeAllConnections();
      return { drained };
    }
  };
}

// src/webhook/main.ts
var EXIT_OK = 0;
var EXIT_FAILURE = 1;
function readTls(files) {
  return { cert: readFileSync(files.cert), key: readFileSync(files.key) };
}
function admittedSink(cluster) {
  const events2 = admissionEventFeed(cluster.events);
  const background = cluster.background;
  return (admitted) => {
    background?.onAdmitted?.(admitted);
    events2(admitted);
  };
}
var message2 = (err) => err instanceof Error ? err.message : String(err);
function followCertificate(files, server, logger) {
  const dirs = [.../* @__PURE__ */ new Set([dirname(files.cert), dirname(files.key)])];
  const reload = () => {
    try {
      server.setCertificate(readTls(files));
      logger.info("serving certificate reloaded", { cert: files.cert });
    } catch (err) {
      logger.error("serving certificate not reloaded; keeping the previous one", { error: message2(err) });
    }
  };
  const watches = dirs.flatMap((dir) => {
    try {
      return [watchFolder(dir, reload, { debounceMs: 1e3, onError: (m) => logger.warn(m) })];
    } catch (err) {
      logger.warn("certificate files are not followed", { folder: dir, error: message2(err) });
      return [];
    }
  });
  return () => {
    for (const w of watches) w.close();
  };
}
async function serve(argv, io) {
  const env = io.env ?? {};
  const args = parseServeArgs(argv, env);
  if (!args.ok) {
    io.stderr(`Error: ${args.error}
Run 'palisade serve --help' for usage.
`);
    return EXIT_FAILURE;
  }
  if (args.help === true) {
    io.stdout(`${SERVE_HELP}
`);
    return EXIT_OK;
  }
  const config = args.config;
  const logger = createLogger((line) => io.stderr(`${line}
`));
  const files = config.tlsCert !== void 0 && config.tlsKey !== void 0 ? { cert: config.tlsCert, key: config.tlsKey } : void 0;
  if (files !== void 0) {
    try {
      readTls(files);
    } catch (err) {
      logger.error("cannot read the TLS certificate or key", { error: message2(err) });
      return EXIT_FAILURE;
    }
  }
  const store = new PolicyStore();
  let source;
  try {
    source = await openPolicySource(config.source, store, logger, {
      debounceMs: config.watchDebounceMs,
      allowEmpty: config.allowEmpty,
      exceptionGate: config.exceptionGate,
      maxGlobalContextEntries: config.maxGlobalContextEntries,
      httpEgress: config.httpEgress,
      env
    });
  } catch (err) {
    logger.error("cannot read the policies from the cluster", { error: message2(err) });
    return EXIT_FAILURE;
  }
  const metrics = config.metrics !== void 0 ? createMetrics() : void 0;
  let cluster;
  if (clusterDutiesWanted(config)) {
    try {
      const { startClusterSide } = await import("./cluster-start-RWXWTQOS.mjs");
      cluster = startClusterSide(
        config,
        store,
        logger,
        env,
        io.identity ?? env.POD_NAME ?? hostname(),
        io.background,
        metrics?.registry,
        source.ports
      );
    } catch (err) {
      logger.error("cannot start the cluster duties", { error: message2(err) });
      source.close();
      return EXIT_FAILURE;
    }
  }
  const stop = new AbortController();
  void io.stopped.then(() => stop.abort());
  let tls;
  try {
    if (files !== void 0) tls = readTls(files);
    else if (cluster?.certificate !== void 0) tls = await cluster.certificate.wait(stop.signal);
    else throw new Error("no --tls-cert, and no cluster to keep a certificate in");
  } catch (err) {
    logger.error("cannot read the TLS certificate or key", { error: message2(err) });
    await cluster?.duties.stop();
    source.close();
    return EXIT_FAILURE;
  }
  const app = createAdmissionApp(store, {
    maxBodyBytes: config.maxBodyBytes,
    maxDepth: config.maxDepth,
    deadlineMs: config.deadlineMs,
    filters: config.filters,
    exclusions: config.exclusions,
    limits: config.limits,
    logger,
    checkPolicy,
    invalidTtl: config.cluster.invalidTtl,
    ...metrics !== void 0 ? { metrics } : {},
    ...source.requestContext !== void 0 ? { requestContext: source.requestContext } : {},
    ...source.ports !== void 0 ? { ports: source.ports } : {},
    ...cluster !== void 0 ? { onAdmitted: admittedSink(cluster) } : {},
    onGenerated: cluster?.background?.onGenerated ?? ((objects, request2) => logger.info("generate rules want objects; not created (serve does not write to the cluster yet)", {
      uid: request2.uid,
      objects: objects.map(
        (g) => `${g.policy.name}: ${String(g.object.kind)}/${String(g.object.metadata?.name ?? "")}`
      )
    }))
  });
  let server;
  try {
    server = await startServer(
      app,
      store,
      {
        tls,
        address: config.address,
        port: config.port,
        maxBodyBytes: config.maxBodyBytes,
        webhookTimeoutMs: config.webhookTimeoutMs,
        ...config.metrics !== void 0 && metrics !== void 0 ? { metrics: { ...config.metrics, registry: metrics.registry } } : {}
      },
      logger
    );
  } catch (err) {
    logger.error("cannot start the server", { error: message2(err) });
    await cluster?.duties.stop();
    source.close();
    return EXIT_FAILURE;
  }
  logger.info("listening", {
    url: server.url,
    ...source.description,
    ...server.metricsUrl !== void 0 ? { metrics: `${server.metricsUrl}/metrics` } : {}
  });
  await source.start();
  const stopCert = files !== void 0 ? followCertificate(files, server, logger) : cluster?.certificate?.follow((pair) => {
    try {
      server.setCertificate(pair);
      logger.info("serving certificate reloaded from its Secret");
    } catch (err) {
      logger.error("serving certificate not reloaded; keeping the previous one", {
        error: message2(err)
      });
    }
  }) ?? (() => void 0);
  const signal = await io.stopped;
  logger.info("shutting down: no new connections, finishing requests in flight", {
    signal,
    inFlight: server.inFlight()
  });
  await cluster?.duties.stop();
  await cluster?.background?.stop();
  await cluster?.events.stop();
  source.close();
  stopCert();
  const { drained } = await server.close(config.drainMs);
  logger.info("stopped", { drained });
  return EXIT_OK;
}
async function runServe(argv, background) {
  const batched = createBatchedWriter((text) => process.stderr.write(text));
  process.on("exit", () => batched.flush());
  const stderr = (text) => batched.write(text);
  const fatal = createLogger((line) => stderr(`${line}
`));
  process.on("uncaughtException", (err) => fatal.error("uncaught exception", { error: message2(err) }));
  process.on("unhandledRejection", (err) => fatal.error("unhandled rejection", { error: message2(err) }));
  const stopped = new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  const code = await serve(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr,
    stopped,
    env: { ...process.env },
    identity: process.env.POD_NAME ?? `${hostname()}-${process.pid}`,
    ...background !== void 0 ? { background } : {}
  });
  process.exitCode = code;
  batched.flush();
  setTimeout(() => process.exit(code), 2e3).unref();
}
export {
  runServe,
  serve
};
