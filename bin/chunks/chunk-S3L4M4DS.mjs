import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  defaultEgressPolicy
} from "./chunk-DUEQKOJN.mjs";
import {
  kindOfResource
} from "./chunk-VRWKX5IU.mjs";

// src/io/cluster/bounded-request.ts
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
var ResponseTooLargeError = class extends Error {
  name = "ResponseTooLargeError";
};
var CallTimeoutError = class extends Error {
  name = "CallTimeoutError";
};
function boundedRequest(options) {
  const { url, signal, maxBytes } = options;
  if (signal.aborted) return Promise.reject(signal.reason);
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;
  const headers = {
    accept: "application/json",
    ...options.tls?.headers ?? {},
    ...options.headers ?? {},
    ...options.body !== void 0 ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(options.body)) } : {}
  };
  return new Promise((resolve, reject) => {
    let req;
    const onAbort = () => {
      req?.destroy();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    const fail = (err) => {
      done();
      reject(err);
    };
    const onResponse = (res) => {
      const declared = Number(res.headers["content-length"] ?? Number.NaN);
      if (declared > maxBytes) {
        res.destroy();
        fail(
          new ResponseTooLargeError(`response of ${declared} bytes exceeds the limit of ${maxBytes} bytes`)
        );
        return;
      }
      const chunks = [];
      let size = 0;
      res.on("data", (chunk) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy(new ResponseTooLargeError(`response exceeds the limit of ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", fail);
      res.on("end", () => {
        done();
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
      });
    };
    try {
      req = send(url, { ...options.tls, method: options.method, headers }, onResponse);
    } catch (err) {
      fail(err);
      return;
    }
    req.setTimeout(
      options.timeoutMs,
      () => req?.destroy(new CallTimeoutError(`no answer within ${options.timeoutMs} ms`))
    );
    req.on("error", fail);
    req.end(options.body);
  });
}

// src/io/cluster/port-errors.ts
var NETWORK_CODES = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET"
]);
function failure(code, message) {
  return { ok: false, code, message };
}
function text(err) {
  return err instanceof Error ? err.message : String(err);
}
function statusCode(status) {
  if (status === 404) return "not-found";
  if (status === 401 || status === 403) return "forbidden";
  if (status === 429 || status >= 500) return "unavailable";
  return "failed";
}
function statusMessage(text2) {
  try {
    const s = JSON.parse(text2);
    if (typeof s?.message === "string") return s.message;
  } catch {
  }
  const t = text2.trim();
  return t.length > 300 ? `${t.slice(0, 300)}\u2026` : t;
}
function callFailure(what, err, signal) {
  if (signal.aborted) {
    const reason = signal.reason;
    const timedOut = reason instanceof Error && reason.name === "TimeoutError";
    return timedOut ? failure("timeout", `${what}: timed out (evaluation deadline exceeded: ${text(reason)})`) : failure("cancelled", `${what}: cancelled (${text(reason)})`);
  }
  if (err instanceof ResponseTooLargeError) return failure("failed", `${what}: ${err.message}`);
  if (err instanceof CallTimeoutError) return failure("unavailable", `${what}: ${err.message}`);
  const code = err?.code;
  if (code === "EBLOCKED") return failure("forbidden", `${what}: ${text(err)}`);
  if (typeof code === "string" && NETWORK_CODES.has(code))
    return failure("unavailable", `${what}: ${text(err)}`);
  return failure("failed", `${what}: ${text(err)}`);
}
function parseJson(what, body) {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return failure("failed", `${what}: the response is not JSON (${text(err)})`);
  }
}

// src/io/cluster/resource-paths.ts
var KEEP_MS = 5 * 6e4;
var RECHECK_MS = 1e4;
function groupVersionPath(apiVersion) {
  const parts = apiVersion.split("/");
  if (parts.length === 1 && parts[0] !== "" && parts[0] !== "*") return `/api/${parts[0]}`;
  if (parts.length === 2 && parts[0] !== "" && parts[1] !== "") return `/apis/${apiVersion}`;
  return void 0;
}
var ResourcePaths = class {
  #get;
  #now;
  #lists = /* @__PURE__ */ new Map();
  constructor(get, now = Date.now) {
    this.#get = get;
    this.#now = now;
  }
  /** The path prefix and resource serving `kind` of `apiVersion`, or why there is none. */
  async resolve(apiVersion, kind, signal) {
    const base = groupVersionPath(apiVersion);
    if (base === void 0) return failure("failed", `"${apiVersion}" is not an apiVersion (group/version)`);
    let cached = this.#lists.get(base);
    const age = cached === void 0 ? Number.POSITIVE_INFINITY : this.#now() - cached.at;
    let found = cached !== void 0 && age < KEEP_MS ? find(cached.list, kind) : void 0;
    if (found === void 0 && (cached === void 0 || age >= RECHECK_MS)) {
      const answer = await this.#get(base, signal);
      if (answer.status === 404)
        return failure("not-found", `the API server does not serve ${apiVersion} (${base}: 404)`);
      if (answer.status < 200 || answer.status > 299)
        return failure(
          statusCode(answer.status),
          `discovery of ${apiVersion}: HTTP ${answer.status}: ${statusMessage(answer.text)}`
        );
      let list;
      try {
        list = JSON.parse(answer.text);
      } catch {
        return failure("failed", `discovery of ${apiVersion}: the response is not JSON`);
      }
      cached = { at: this.#now(), list };
      this.#lists.set(base, cached);
      found = find(list, kind);
    }
    if (found === void 0)
      return failure("not-found", `the API server serves no resource of kind ${kind} in ${apiVersion}`);
    return { ok: true, value: { ...found, base } };
  }
};
function find(list, kind) {
  const top = (list.resources ?? []).filter((r2) => !r2.name.includes("/"));
  const r = top.find((x) => x.kind === kind) ?? top.find((x) => kindOfResource(x.name) === kind);
  return r === void 0 ? void 0 : { resource: r.name, namespaced: r.namespaced };
}

// src/io/cluster/live-ports.ts
var DEFAULT_MAX_RESPONSE_BYTES = 1e7;
var DEFAULT_CALL_TIMEOUT_MS = 3e4;
var enc = encodeURIComponent;
function createLivePorts(options) {
  const httpEgress = options.httpEgress ?? defaultEgressPolicy();
  const { kubeConfig, peek } = options;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const api = async (method, path, signal, body) => {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (server === void 0) throw new Error("the kubeconfig names no current cluster");
    const tls = { headers: {} };
    await kubeConfig.applyToHTTPSOptions(tls);
    return boundedRequest({
      method,
      url: new URL(path, server),
      signal,
      maxBytes,
      timeoutMs,
      tls,
      ...body !== void 0 ? { body: JSON.stringify(body) } : {}
    });
  };
  const paths = new ResourcePaths((path, signal) => api("GET", path, signal));
  const collection = async (apiVersion, kind, namespace, signal) => {
    const served = await paths.resolve(apiVersion, kind, signal);
    if (!served.ok) return served;
    const { base, resource, namespaced } = served.value;
    const ns = namespaced && namespace !== void 0 && namespace !== "" ? `/namespaces/${enc(namespace)}` : "";
    return { ok: true, value: `${base}${ns}/${resource}` };
  };
  const stamp = (o, apiVersion, kind) => o.apiVersion === void 0 || o.kind === void 0 ? { ...o, apiVersion, kind } : o;
  return {
    cluster: {
      ...peek !== void 0 ? { peek } : {},
      async get(apiVersion, kind, namespace, name, { signal }) {
        const what = `get ${apiVersion} ${kind} ${namespace !== void 0 ? `${namespace}/` : ""}${name}`;
        try {
          const path = await collection(apiVersion, kind, namespace, signal);
          if (!path.ok) return { ...path, message: `${what}: ${path.message}` };
          const answer = await api("GET", `${path.value}/${enc(name)}`, signal);
          if (answer.status === 404) return { ok: true, value: void 0 };
          if (answer.status < 200 || answer.status > 299)
            return failure(statusCode(answer.status), `${what}: ${statusMessage(answer.text)}`);
          const parsed = parseJson(what, answer.text);
          return parsed.ok ? { ok: true, value: stamp(parsed.value, apiVersion, kind) } : parsed;
        } catch (err) {
          return callFailure(what, err, signal);
        }
      },
      async list(apiVersion, kind, namespace, { signal }) {
        const what = `list ${apiVersion} ${kind}${namespace !== void 0 ? ` in ${namespace}` : ""}`;
        try {
          const path = await collection(apiVersion, kind, namespace, signal);
          if (!path.ok) return { ...path, message: `${what}: ${path.message}` };
          const answer = await api("GET", path.value, signal);
          if (answer.status < 200 || answer.status > 299)
            return failure(statusCode(answer.status), `${what}: ${statusMessage(answer.text)}`);
          const parsed = parseJson(what, answer.text);
          if (!parsed.ok) return parsed;
          const items = parsed.value.items;
          const objects = Array.isArray(items) ? items : [];
          return { ok: true, value: objects.map((o) => stamp(o, apiVersion, kind)) };
        } catch (err) {
          return callFailure(what, err, signal);
        }
      }
    },
    apiCaller: {
      call: (request, { signal }) => request.urlPath !== void 0 ? apiPathCall(request, signal) : serviceCall(request, signal)
    },
    authorizer: {
      authorize: (attributes, { signal }) => subjectAccessReview(attributes, signal)
    },
    globalContext: options.globalContext ?? {
      async get(name) {
        return failure(
          "unavailable",
          `global context entry ${name}: palisade serve reads no GlobalContextEntries here`
        );
      }
    }
  };
  async function apiPathCall(request, signal) {
    const path = request.urlPath ?? "";
    const what = `failed to ${request.method} resource with raw url: ${path}`;
    if (!path.startsWith("/")) return failure("failed", `${what}: the path must start with /`);
    const sent = new URL(path, "https://api.invalid");
    const query = path.indexOf("?");
    if (sent.hash !== "" || sent.pathname !== (query < 0 ? path : path.slice(0, query)))
      return failure("failed", `${what}: the path is not sent as written (it reads as ${sent.pathname})`);
    try {
      const answer = await api(
        request.method,
        path,
        signal,
        request.method === "POST" ? request.body ?? {} : void 0
      );
      if (answer.status < 200 || answer.status > 299) {
        const code = statusCode(answer.status);
        const denied = code === "forbidden" ? "permission denied: " : "";
        return failure(code, `${what}: ${denied}${statusMessage(answer.text)}`);
      }
      return parseJson(what, answer.text);
    } catch (err) {
      return callFailure(what, err, signal);
    }
  }
  async function serviceCall(request, signal) {
    const what = `${request.method} ${request.url ?? ""}`;
    let url;
    try {
      url = new URL(request.url ?? "");
    } catch {
      return failure("failed", `${what}: not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return failure("failed", `${what}: only http and https URLs can be called`);
    const egress = request.library === "http" ? httpEgress : void 0;
    const refused = egress?.refuse(url);
    if (refused !== void 0) return failure("forbidden", `${what}: ${refused}`);
    try {
      const answer = await boundedRequest({
        method: request.method,
        url,
        signal,
        maxBytes,
        timeoutMs,
        ...request.headers !== void 0 ? { headers: request.headers } : {},
        ...request.method === "POST" ? { body: JSON.stringify(request.body ?? {}) } : {},
        tls: {
          ...request.caBundle !== void 0 && request.caBundle !== "" ? { ca: request.caBundle } : {},
          ...egress !== void 0 ? { lookup: egress.lookup } : {}
        }
      });
      if (answer.status < 200 || answer.status > 299)
        return failure(
          statusCode(answer.status),
          `${what}: HTTP ${answer.status}: ${statusMessage(answer.text)}`
        );
      return parseJson(what, answer.text);
    } catch (err) {
      return callFailure(what, err, signal);
    }
  }
  async function subjectAccessReview(a, signal) {
    const spec = { user: a.user, groups: a.groups ?? [] };
    if (a.resourceRequest) {
      spec.resourceAttributes = {
        verb: a.verb,
        group: a.apiGroup ?? "",
        resource: a.resource ?? "",
        subresource: a.subresource ?? "",
        namespace: a.namespace ?? "",
        name: a.name ?? "",
        ...a.fieldSelector ? { fieldSelector: { rawSelector: a.fieldSelector } } : {},
        ...a.labelSelector ? { labelSelector: { rawSelector: a.labelSelector } } : {}
      };
    } else spec.nonResourceAttributes = { verb: a.verb, path: a.path ?? "" };
    const body = { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec };
    const what = `authorization check for ${a.user}`;
    const noAnswer = (message) => ({
      decision: "noOpinion",
      reason: "",
      error: message
    });
    try {
      const answer = await api("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", signal, body);
      if (answer.status < 200 || answer.status > 299)
        return noAnswer(`${what}: HTTP ${answer.status}: ${statusMessage(answer.text)}`);
      const parsed = parseJson(what, answer.text);
      if (!parsed.ok) return noAnswer(parsed.message);
      const status = parsed.value.status ?? {};
      const reason = status.reason ?? "";
      if (status.allowed === true) return { decision: "allow", reason };
      if (status.denied === true) return { decision: "deny", reason };
      return { decision: "noOpinion", reason };
    } catch (err) {
      const f = callFailure(what, err, signal);
      return noAnswer(f.message);
    }
  }
}

export {
  DEFAULT_CALL_TIMEOUT_MS,
  createLivePorts
};
