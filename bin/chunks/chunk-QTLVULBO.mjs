import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/cli/commands/apply-prestart.ts
import { readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

// src/cli/commands/apply-memory.ts
import { setFlagsFromString } from "node:v8";
var HEAP_GROWING_PERCENT = 50;
var bounded = false;
function boundHeapGrowth() {
  if (bounded) return;
  bounded = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

// src/cli/commands/apply-prestart.ts
var APPLY_WORKER_FLAG = "palisadeApplyWorker";
var WORKER_YOUNG_MB = 16;
var LARGE_FILE_BYTES = 4 << 20;
function hasLargeFile(paths, largeFileBytes = LARGE_FILE_BYTES) {
  const large = (p) => {
    try {
      const st = statSync(p);
      return st.isFile() && st.size >= largeFileBytes;
    } catch {
      return false;
    }
  };
  for (const p of paths) {
    if (p === "-") continue;
    if (large(p)) return true;
    try {
      if (statSync(p).isDirectory() && readdirSync(p).some((name) => /\.(ya?ml|json)$/.test(name) && large(join(p, name))))
        return true;
    } catch {
    }
  }
  return false;
}
function wouldPrestart(args) {
  if (availableParallelism() < 2) return false;
  const resources = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-" || a === "--" || a.startsWith("--workers") || a.startsWith("--target-resource"))
      return false;
    if (a === "-r" || a === "--resource" || a === "--resources") {
      const v = args[i + 1];
      if (v === void 0 || v === "-") return false;
      resources.push(v);
      i++;
    } else if (a.startsWith("--resource=") || a.startsWith("--resources=")) {
      resources.push(a.slice(a.indexOf("=") + 1));
    }
  }
  return hasLargeFile(resources);
}
var prestarted;
function prestartApplyWorker(entry, options = {}) {
  if (prestarted !== void 0) return prestarted.worker;
  boundHeapGrowth();
  const worker = new Worker(entry, {
    eval: options.eval === true,
    workerData: { [APPLY_WORKER_FLAG]: true },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB }
  });
  const p = { worker, gone: false };
  worker.on("error", () => {
    p.gone = true;
  });
  worker.on("exit", () => {
    p.gone = true;
  });
  worker.unref();
  prestarted = p;
  return worker;
}
function adoptPrestarted() {
  const p = prestarted;
  prestarted = void 0;
  if (p === void 0) return void 0;
  if (p.gone) {
    void p.worker.terminate();
    return void 0;
  }
  p.worker.removeAllListeners("error");
  p.worker.removeAllListeners("exit");
  p.worker.ref();
  return p.worker;
}
function discardPrestarted() {
  const p = prestarted;
  prestarted = void 0;
  if (p !== void 0) void p.worker.terminate();
}

export {
  boundHeapGrowth,
  APPLY_WORKER_FLAG,
  WORKER_YOUNG_MB,
  LARGE_FILE_BYTES,
  hasLargeFile,
  wouldPrestart,
  prestartApplyWorker,
  adoptPrestarted,
  discardPrestarted
};
