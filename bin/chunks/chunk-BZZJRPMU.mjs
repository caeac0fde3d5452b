import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/cluster/kube-rest.ts
import { request as httpsRequest } from "node:https";
var KubeApiError = class extends Error {
  status;
  /** The Status `reason` (NotFound, Conflict, AlreadyExists, Invalid, …). */
  reason;
  constructor(status, message, reason) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
};
var TIMEOUT_MS = 3e4;
function kubeRest(config) {
  const server = config.getCurrentCluster()?.server;
  if (server === void 0) throw new Error("the kubeconfig names no cluster");
  const send = async (method, path, body, contentType = "application/json") => {
    const options = { method, headers: {} };
    await config.applyToHTTPSOptions(options);
    const payload = body === void 0 ? void 0 : JSON.stringify(body);
    const headers = {
      ...options.headers,
      accept: "application/json",
      ...payload !== void 0 ? { "content-type": contentType } : {}
    };
    return new Promise((resolve, reject) => {
      const req = httpsRequest(new URL(path, server), { ...options, headers, timeout: TIMEOUT_MS }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => {
          let parsed;
          try {
            parsed = text === "" ? void 0 : JSON.parse(text);
          } catch {
            parsed = text;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(parsed);
          const s = parsed ?? {};
          reject(
            new KubeApiError(status, `${method} ${path}: ${status} ${s.message ?? text}`.trim(), s.reason)
          );
        });
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${TIMEOUT_MS} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  };
  return {
    get: (path) => send("GET", path),
    post: (path, body) => send("POST", path, body),
    put: (path, body) => send("PUT", path, body),
    apply: (path, body, fieldManager) => send(
      "PATCH",
      `${path}${path.includes("?") ? "&" : "?"}fieldManager=${encodeURIComponent(fieldManager)}&force=true`,
      body,
      "application/apply-patch+yaml"
    ),
    delete: async (path) => {
      await send("DELETE", path);
    },
    mergePatch: (path, body) => send("PATCH", path, body, "application/merge-patch+json")
  };
}
var isNotFound = (err) => err instanceof KubeApiError && err.status === 404;
var isConflict = (err) => err instanceof KubeApiError && err.status === 409;

// src/io/abortable-sleep.ts
function abortableSleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

export {
  abortableSleep,
  KubeApiError,
  kubeRest,
  isNotFound,
  isConflict
};
