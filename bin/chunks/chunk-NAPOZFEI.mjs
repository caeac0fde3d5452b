import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  cachedPolicyInfo,
  compileOfflineSet,
  crdPathProblem,
  createOfflinePorts,
  generateFailures,
  isViolation,
  loadJsonPayloads,
  loadUserInfoFile,
  loadValuesFile,
  located,
  offlineRequest,
  parseSetPairs,
  resourceLabel,
  specReadsFakeCluster,
  typeSchemasFor
} from "./chunk-UDUFEVJO.mjs";
import {
  toReportResult
} from "./chunk-JCGDWRDO.mjs";
import {
  documentAsResource,
  loadResources,
  locateInResource,
  streamResourceUnits
} from "./chunk-DNTYCI5T.mjs";
import {
  APPLY_WORKER_FLAG,
  LARGE_FILE_BYTES,
  WORKER_YOUNG_MB,
  adoptPrestarted,
  hasLargeFile
} from "./chunk-QTLVULBO.mjs";
import {
  applyEmptyInputRule
} from "./chunk-G5XHT7KU.mjs";
import {
  getPolicyDecoder,
  loadExceptions,
  loadPolicies,
  settledSource
} from "./chunk-B25Y5PAN.mjs";
import {
  STDIN,
  ioDiagnostic,
  streamChunkDocuments
} from "./chunk-BEDWXCWF.mjs";
import {
  admit
} from "./chunk-VRWKX5IU.mjs";

// src/cli/commands/apply-workers.ts
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

// src/cli/output/apply-rows.ts
function applyRows(results, resource, auditWarn, loaded, payload = false) {
  const rows = [];
  for (const { policy, response: er } of results) {
    for (const rule of perTarget(er.rules)) {
      const report = toReportResult(policy, er.policyKey, er.resource, er, rule, auditWarn);
      const row = {
        policy: er.policyKey
      };
      if (!payload && er.policyNamespace !== void 0) row.policyNamespace = er.policyNamespace;
      row.rule = rule.name;
      row.ruleType = rule.type;
      row.resource = resource;
      row.status = report.result;
      row.message = rule.message;
      row.auditWarning = auditWarn && er.validationFailureAction === "Audit" && rule.status === "fail";
      row.report = report;
      row.location = locateInResource(loaded, rule.path);
      if (rule.path !== void 0) row.path = rule.path;
      row.policyInfo = cachedPolicyInfo(policy.annotations);
      rows.push(row);
    }
  }
  return rows;
}
function perTarget(rules) {
  if (!rules.some((r) => r.targetResults !== void 0 && r.targetResults.length > 1)) return rules;
  return rules.flatMap(
    (r) => r.targetResults !== void 0 && r.targetResults.length > 1 ? r.targetResults.map((t) => ({ ...r, status: t.status, message: t.message })) : [r]
  );
}
function resourceStub(o) {
  const metadata = {};
  if (o.metadata?.name !== void 0) metadata.name = o.metadata.name;
  if (o.metadata?.namespace !== void 0) metadata.namespace = o.metadata.namespace;
  const stub = { metadata };
  if (o.apiVersion !== void 0) stub.apiVersion = o.apiVersion;
  if (o.kind !== void 0) stub.kind = o.kind;
  return stub;
}
function mutatedResources(results) {
  const out = [];
  for (const { response: er } of results) {
    const mutations = er.rules.filter((x) => x.type === "Mutation");
    const passed = mutations.filter((x) => x.status === "pass");
    if (passed.some((x) => x.patchedTargets === void 0))
      out.push({ policy: er.policyKey, resource: er.patchedResource });
    for (const rule of mutations) {
      const targets = rule.targetResults !== void 0 ? rule.targetResults.flatMap((t) => t.patched !== void 0 ? [t.patched] : []) : rule.status === "pass" ? rule.patchedTargets ?? [] : [];
      for (const t of targets) out.push({ policy: er.policyKey, resource: t });
    }
  }
  return out;
}
function generatedResources(results, trigger) {
  const out = [];
  for (const { response: er } of results) {
    for (const rule of er.rules) {
      if (rule.type !== "Generation") continue;
      for (const g of rule.generatedResources ?? []) out.push({ policy: er.policyKey, trigger, resource: g });
    }
  }
  return out;
}

// src/cli/commands/apply-evaluate.ts
function applyEnv(loaded, args) {
  return {
    set: loaded.offline.set,
    celPorts: loaded.offline.celPorts,
    inputs: loaded.inputs,
    runtime: { ports: createOfflinePorts({}), limits: args.limits },
    auditWarn: args.auditWarn
  };
}
async function evaluateResource(env, r) {
  const outcome = await admit(env.set, offlineRequest(r.object, env.inputs), env.runtime, {
    profile: "cli",
    celPorts: env.celPorts
  });
  return {
    rows: applyRows(outcome.responses, resourceStub(r.object), env.auditWarn, r),
    mutated: mutatedResources(outcome.responses),
    generated: generatedResources(outcome.responses, r.object),
    notices: generateFailures(outcome.responses, r)
  };
}
function placedRow(row, allPositions = false) {
  if (row.location === void 0 || !(allPositions || located(row))) return row;
  return { ...row, location: settledSource(row.location) };
}
function emptySummary() {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}

// src/cli/commands/apply-inputs.ts
async function loadApplyInputs(a, ctx) {
  const issues = [];
  const take = (r) => {
    issues.push(...r.issues);
    return r;
  };
  const decoder = await getPolicyDecoder();
  const paths = { exclude: a.exclude };
  const policies = take(loadPolicies(a.policyPaths, decoder, ctx.stdin, paths));
  const resourceIssuesAt = issues.length;
  const resources = (split) => streamResourceUnits(a.resourcePaths, ctx.stdin, paths, split);
  const json = take(
    loadJsonPayloads(
      a.jsonPaths.map((key) => ({ key, file: key })),
      ctx.stdin
    )
  );
  const exceptions = take(loadExceptions(a.exceptionPaths, decoder, ctx.stdin));
  const targets = take(loadResources(a.targetPaths, ctx.stdin));
  const values = a.valuesFile !== void 0 ? take(loadValuesFile(a.valuesFile)).spec : void 0;
  const set = take(parseSetPairs(a.set));
  const requestInfo = a.userInfoFile !== void 0 ? take(loadUserInfoFile(a.userInfoFile)).info : void 0;
  for (const p of a.crdPaths) {
    const problem = crdPathProblem(p);
    if (problem !== void 0) issues.push(ioDiagnostic(problem.code, problem.message, { file: p }));
  }
  const typeSchemas = await typeSchemasFor(policies, a.crdPaths);
  const offline = compileOfflineSet({
    policies,
    ...typeSchemas !== void 0 ? { typeSchemas } : {},
    exceptions: exceptions.exceptions,
    celExceptions: exceptions.celExceptions,
    exceptionsWithinPolicies: a.exceptionsWithinPolicies,
    paramResources: a.paramResources,
    targetResources: targets.resources.map((r) => r.object),
    ...a.contextFile !== void 0 ? { contextFile: a.contextFile } : {}
  });
  issues.push(...offline.issues);
  for (const u of policies.unsupported)
    issues.push(
      ioDiagnostic("policy/unsupported-kind", `${u.kind} ${u.name}: ${u.reason}`, { severity: "warning" })
    );
  const inputs = {
    ...values !== void 0 ? { values } : {},
    setValues: set.values,
    ...requestInfo !== void 0 ? { requestInfo } : {},
    targets: targets.resources.map((r) => r.object)
  };
  const exceptionCount = exceptions.exceptions.length + exceptions.celExceptions.length + (a.exceptionsWithinPolicies ? policies.exceptions.length + policies.celExceptions.length : 0);
  const allIssues = (fromResources) => {
    const all = [...issues.slice(0, resourceIssuesAt), ...fromResources, ...issues.slice(resourceIssuesAt)];
    applyEmptyInputRule(all, { "allow-empty": a.allowEmpty });
    return all;
  };
  const readsCluster = policies.policies.some((p) => specReadsFakeCluster(p.policy.spec));
  return { issues: allIssues, resources, json, exceptionCount, offline, inputs, readsCluster };
}

// src/cli/commands/packed-violations.ts
var WORDS = 10;
var NONE = -1;
var KEYS = "policy,rule,status,message,auditWarning,label";
var LOCATED_KEYS = `${KEYS},location`;
function word(n) {
  return typeof n === "number" && (n | 0) === n && !Object.is(n, -0) ? n : void 0;
}
function packViolations(rows) {
  const strings = [];
  const ids = /* @__PURE__ */ new Map();
  const id = (s) => {
    let i = ids.get(s);
    if (i === void 0) {
      i = strings.length;
      strings.push(s);
      ids.set(s, i);
    }
    return i;
  };
  const words = new Int32Array(rows.length * WORDS);
  let o = 0;
  for (const r of rows) {
    if (!("label" in r) || typeof r.auditWarning !== "boolean") return void 0;
    const at = r.location;
    if (Object.keys(r).join() !== (at !== void 0 ? LOCATED_KEYS : KEYS)) return void 0;
    words[o] = id(r.policy);
    words[o + 1] = id(r.rule);
    words[o + 2] = id(r.status);
    words[o + 3] = id(r.message);
    words[o + 4] = r.auditWarning ? 1 : 0;
    words[o + 5] = id(r.label);
    if (at === void 0) words[o + 6] = NONE;
    else {
      const document = word(at.document);
      const line = word(at.line);
      const column = word(at.column);
      if (typeof at.file !== "string" || document === void 0 || line === void 0 || column === void 0 || Object.keys(at).join() !== "file,document,line,column")
        return void 0;
      words[o + 6] = id(at.file);
      words[o + 7] = document;
      words[o + 8] = line;
      words[o + 9] = column;
    }
    o += WORDS;
  }
  return { strings, words };
}
function unpackViolations(p) {
  const { strings: s, words: w } = p;
  const rows = [];
  for (let o = 0; o < w.length; o += WORDS) {
    const policy = s[w[o]];
    const rule = s[w[o + 1]];
    const status = s[w[o + 2]];
    const message = s[w[o + 3]];
    const auditWarning = w[o + 4] === 1;
    const label = s[w[o + 5]];
    const file = w[o + 6];
    rows.push(
      file === NONE ? { policy, rule, status, message, auditWarning, label } : {
        policy,
        rule,
        status,
        message,
        auditWarning,
        label,
        location: { file: s[file], document: w[o + 7], line: w[o + 8], column: w[o + 9] }
      }
    );
  }
  return rows;
}

// src/cli/commands/apply-workers.ts
var FLAG = APPLY_WORKER_FLAG;
var chunking = {
  documents: 250,
  minDocuments: 500,
  /** A resource file this large is cut in all likelihood (500 documents of 8 KB): workers start early. */
  largeFileBytes: LARGE_FILE_BYTES
};
function portableRow(row, policy) {
  if (row.location === void 0 || policy.allPositions || located(row)) return placedRow(row, true);
  const { location: _dropped, ...rest } = row;
  return rest;
}
function violationRow(row) {
  const { location } = placedRow(row);
  return {
    policy: row.policy,
    rule: row.rule,
    status: row.status,
    message: row.message,
    auditWarning: row.auditWarning,
    label: resourceLabel(row.resource),
    ...location !== void 0 ? { location } : {}
  };
}
async function readChunk(env, chunk, fromFolder, policy) {
  const stream = streamChunkDocuments(chunk, { expandLists: true });
  const rows = [];
  const violations = [];
  const counts = policy.keepRows ? void 0 : emptySummary();
  const mutated = [];
  const generated = [];
  const notices = [];
  let documents = 0;
  let found = 0;
  let skipped = 0;
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) {
      const { issues, refusedAt } = step.value;
      const read = {
        documents,
        issues,
        found,
        skipped,
        notices,
        ...refusedAt !== void 0 ? { refusedAt } : {}
      };
      return { read, rows, ...counts !== void 0 ? { counts, violations } : {}, mutated, generated };
    }
    documents++;
    const as = documentAsResource(fromFolder ? { ...step.value, fromFolder: true } : step.value);
    if (!("resource" in as)) {
      if (as.skipped) skipped++;
      notices.push(as.notice);
      continue;
    }
    found++;
    const done = await evaluateResource(env, as.resource);
    for (const row of done.rows) {
      if (counts !== void 0) {
        counts[row.report.result]++;
        if (isViolation(row)) violations.push(violationRow(row));
      } else rows.push(portableRow(row, policy));
    }
    mutated.push(...done.mutated);
    generated.push(...done.generated);
    notices.push(...done.notices);
  }
}
function workerCount(a) {
  const inputs = [
    ...a.policyPaths,
    ...a.exceptionPaths,
    ...a.jsonPaths,
    ...a.paramResources,
    a.valuesFile,
    a.userInfoFile,
    a.contextFile
  ];
  if (inputs.includes(STDIN)) return 1;
  return a.workers ?? availableParallelism();
}
function hasLargeFile2(paths) {
  return hasLargeFile(paths, chunking.largeFileBytes);
}
var workerStats = { pieces: 0, here: 0, inWorkers: 0, adopted: 0 };
var ChunkedFile = class {
  #take;
  #pending = [];
  #reads = [];
  #refused = false;
  constructor(take) {
    this.#take = take;
  }
  /** Adds a piece; merges the oldest while more than `window` are under way (bounds what waits in memory). */
  async add(outcome, window) {
    outcome.catch(() => {
    });
    this.#pending.push(outcome);
    while (this.#pending.length > window) await this.#mergeOldest();
  }
  /** Merges the rest; the reads of the file's pieces, up to the first that refused a document. */
  async end() {
    while (this.#pending.length > 0) await this.#mergeOldest();
    const reads = this.#reads;
    this.#reads = [];
    this.#refused = false;
    return reads;
  }
  async #mergeOldest() {
    const outcome = await this.#pending.shift();
    if (this.#refused) return;
    workerStats.pieces++;
    this.#take(outcome);
    this.#reads.push(outcome.read);
    if (outcome.read.refusedAt !== void 0) this.#refused = true;
  }
};
function workerScript() {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return { script: new URL(self), eval: false };
  const tsx = import.meta.resolve("tsx/esm/api");
  return {
    script: `import(${JSON.stringify(tsx)}).then((t) => t.register()).then(() => import(${JSON.stringify(self)}))`,
    eval: true
  };
}
var PIECES_PER_WORKER = 2;
var ApplyWorkers = class {
  #count;
  #data;
  #env;
  #all = [];
  #held = /* @__PURE__ */ new Map();
  #nextId = 0;
  #failed;
  constructor(threads, args, policy) {
    this.#count = threads - 1;
    this.#data = { args, policy };
  }
  /** The command's own compiled set, for the pieces read here. */
  set env(env) {
    this.#env = env;
  }
  /**
   * Starts the workers now rather than on the first piece: while the command loads its inputs and
   * scans the first file, they load the modules and compile the set (about a third of a second).
   */
  start() {
    if (this.#all.length === 0 && this.#count > 0) this.#start();
  }
  /** How many pieces may be under way or wait to be merged: a few per thread. */
  get window() {
    return (this.#count * PIECES_PER_WORKER + 1) * 2;
  }
  run(chunk, fromFolder) {
    if (this.#failed !== void 0) return { outcome: Promise.reject(this.#failed), here: false };
    this.start();
    let target;
    for (const w2 of this.#all) {
      const held = this.#held.get(w2);
      if (held.length < PIECES_PER_WORKER && (target === void 0 || held.length < this.#held.get(target).length))
        target = w2;
    }
    if (target === void 0) {
      workerStats.here++;
      return { outcome: this.#readHere(chunk, fromFolder), here: true };
    }
    workerStats.inWorkers++;
    const w = target;
    const outcome = new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#held.get(w).push({ id, resolve, reject });
      w.postMessage({ id, chunk, fromFolder });
    });
    return { outcome, here: false };
  }
  async close() {
    await Promise.all(this.#all.map((w) => w.terminate()));
  }
  async #readHere(chunk, fromFolder) {
    const outcome = await readChunk(this.#env, chunk, fromFolder, this.#data.policy);
    await new Promise((resolve) => setImmediate(resolve));
    return outcome;
  }
  #start() {
    const { script, eval: isEval } = workerScript();
    for (let i = 0; i < this.#count; i++) {
      const adopted = i === 0 ? adoptPrestarted() : void 0;
      if (adopted !== void 0) {
        workerStats.adopted++;
        adopted.postMessage({ init: this.#data });
      }
      const w = adopted ?? new Worker(script, {
        eval: isEval,
        workerData: { [FLAG]: true, ...this.#data },
        // A piece's values die young: a small young generation per worker keeps the process's memory
        // down (each isolate's default grows to tens of MB) for a few more, cheap, scavenges.
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB }
      });
      w.on("message", (reply) => this.#reply(w, reply));
      w.on("error", (err) => this.#fail(err instanceof Error ? err : new Error(String(err))));
      w.on("exit", (code) => {
        if ((this.#held.get(w)?.length ?? 0) > 0)
          this.#fail(new Error(`an apply worker stopped (exit code ${code})`));
      });
      this.#all.push(w);
      this.#held.set(w, []);
    }
  }
  #reply(w, reply) {
    const held = this.#held.get(w);
    const task = held[0]?.id === reply.id ? held.shift() : void 0;
    if (task === void 0) return;
    if ("error" in reply) task.reject(new Error(reply.error));
    else if (reply.packed === void 0) task.resolve(reply.outcome);
    else task.resolve({ ...reply.outcome, violations: unpackViolations(reply.packed) });
  }
  #fail(err) {
    this.#failed ??= err;
    for (const held of this.#held.values()) for (const t of held.splice(0)) t.reject(err);
  }
};
function serveChunks(given) {
  const port = parentPort;
  let init = () => {
  };
  const setup = given !== void 0 ? Promise.resolve(given) : new Promise((r) => init = r);
  let env;
  let failure;
  let queue = setup.then(async (data) => {
    try {
      const loaded = await loadApplyInputs(data.args, { stdin: () => "" });
      env = applyEnv(loaded, data.args);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
  });
  port.on("message", (msg) => {
    if ("init" in msg) {
      init(msg.init);
      return;
    }
    queue = queue.then(async () => {
      try {
        if (env === void 0) throw new Error(failure ?? "the policies could not be loaded");
        const policy = (await setup).policy;
        const outcome = await readChunk(env, msg.chunk, msg.fromFolder, policy);
        const packed = outcome.violations !== void 0 ? packViolations(outcome.violations) : void 0;
        if (packed === void 0) port.postMessage({ id: msg.id, outcome });
        else {
          const { violations: _sent, ...rest } = outcome;
          port.postMessage({ id: msg.id, outcome: rest, packed }, [
            packed.words.buffer
          ]);
        }
      } catch (err) {
        port.postMessage({
          id: msg.id,
          error: err instanceof Error ? err.message : String(err)
        });
      }
    });
  });
}
if (!isMainThread && workerData?.[FLAG] === true) {
  const data = workerData;
  serveChunks(
    data.args !== void 0 && data.policy !== void 0 ? { args: data.args, policy: data.policy } : void 0
  );
}

export {
  applyRows,
  applyEnv,
  evaluateResource,
  placedRow,
  emptySummary,
  loadApplyInputs,
  chunking,
  readChunk,
  workerCount,
  hasLargeFile2 as hasLargeFile,
  workerStats,
  ChunkedFile,
  ApplyWorkers
};
