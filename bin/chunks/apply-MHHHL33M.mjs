import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  GithubCommands,
  JunitReport,
  MarkdownSummary,
  SarifLog,
  applyFinding,
  applyFindings,
  inputProblems,
  isReportFormat,
  parseReportFiles,
  renderDiagnostics,
  renderReport,
  writeReportFiles
} from "./chunk-4PHRQUHF.mjs";
import {
  readPackage
} from "./chunk-BFDCXSMU.mjs";
import "./chunk-RH4DGFA7.mjs";
import {
  Output
} from "./chunk-O3KOCDW3.mjs";
import {
  EXIT_FAILURE,
  EXIT_INPUT,
  EXIT_OK,
  EXIT_USAGE
} from "./chunk-4HTNUG6Q.mjs";
import {
  ApplyWorkers,
  ChunkedFile,
  applyEnv,
  applyRows,
  chunking,
  emptySummary,
  evaluateResource,
  hasLargeFile,
  loadApplyInputs,
  placedRow,
  workerCount
} from "./chunk-NAPOZFEI.mjs";
import {
  ApplyTable,
  GroupedText,
  JsonResults,
  STDIN_FILE,
  ViolationBlocks,
  YamlResults,
  createOfflinePorts,
  indentJson,
  isViolation,
  offlineRequest,
  renderApplyTable,
  renderReports,
  renderStructured,
  renderViolations,
  resourceLabel,
  spliceItems,
  structuredJsonLines,
  summaryLine,
  yamlItem
} from "./chunk-UDUFEVJO.mjs";
import {
  buildPolicyReports
} from "./chunk-JCGDWRDO.mjs";
import {
  removeDuplicates
} from "./chunk-DNTYCI5T.mjs";
import "./chunk-NNS4QY3C.mjs";
import {
  boundHeapGrowth,
  discardPrestarted
} from "./chunk-QTLVULBO.mjs";
import {
  parseCommandArgs,
  str,
  strs
} from "./chunk-C2NMBPH6.mjs";
import {
  closest
} from "./chunk-S3ZW6KE6.mjs";
import {
  LIMIT_OPTIONS,
  limitFlagsHelp,
  parseLimitFlags
} from "./chunk-G5XHT7KU.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-B25Y5PAN.mjs";
import {
  STDIN
} from "./chunk-BEDWXCWF.mjs";
import "./chunk-DBKA2XEV.mjs";
import {
  evaluatePayload,
  require_dist
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/io/files/spill-file.ts
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
var HEADER = 4;
var SpillFile = class _SpillFile {
  #fd;
  /** Set when the name could not be removed at once (a system refusing to unlink an open file). */
  #path;
  #removeOnExit;
  #written = 0;
  /** Where each chunk's header starts, for `chunk(index)`. */
  #starts = [];
  constructor(fd, path) {
    this.#fd = fd;
    this.#path = path;
    if (path !== void 0) {
      this.#removeOnExit = () => this.close();
      process.once("exit", this.#removeOnExit);
    }
  }
  /** A new, empty file in `dir` (the system's temporary folder), or undefined when none can be made. */
  static open(dir = tmpdir()) {
    const path = join(dir, `palisade-spill-${process.pid}-${randomBytes(8).toString("hex")}`);
    let fd;
    try {
      fd = openSync(path, "wx+", 384);
    } catch {
      return void 0;
    }
    try {
      unlinkSync(path);
      return new _SpillFile(fd, void 0);
    } catch {
      return new _SpillFile(fd, path);
    }
  }
  /** Bytes written so far, chunk headers included. */
  get size() {
    return this.#written;
  }
  /** Appends `bytes[0, length)` as one chunk. */
  append(bytes, length = bytes.length) {
    const fd = this.#live();
    this.#starts.push(this.#written);
    const header = Buffer.allocUnsafe(HEADER);
    header.writeUInt32LE(length, 0);
    this.#writeAll(fd, header, HEADER);
    this.#writeAll(fd, bytes, length);
  }
  /** The chunks in the order appended, each at the start of a buffer of its own (so aligned for any view). */
  *chunks() {
    const fd = this.#live();
    const header = Buffer.allocUnsafe(HEADER);
    for (let at = 0; at < this.#written; ) {
      this.#readAll(fd, header, at);
      const length = header.readUInt32LE(0);
      const chunk = new Uint8Array(length);
      this.#readAll(fd, chunk, at + HEADER);
      at += HEADER + length;
      yield chunk;
    }
  }
  /** Chunks appended so far. */
  get count() {
    return this.#starts.length;
  }
  /** The chunk appended `index`-th (from 0), in a buffer of its own: read back out of order (grouped output). */
  chunk(index) {
    const fd = this.#live();
    const at = this.#starts[index];
    if (at === void 0) throw new RangeError(`no spilled chunk ${index}`);
    const header = Buffer.allocUnsafe(HEADER);
    this.#readAll(fd, header, at);
    const chunk = new Uint8Array(header.readUInt32LE(0));
    this.#readAll(fd, chunk, at + HEADER);
    return chunk;
  }
  /** Closes (and so frees) the file; once is enough, more are harmless. */
  close() {
    if (this.#removeOnExit !== void 0) process.off("exit", this.#removeOnExit);
    this.#removeOnExit = void 0;
    if (this.#fd !== void 0) closeSync(this.#fd);
    this.#fd = void 0;
    if (this.#path !== void 0) {
      try {
        unlinkSync(this.#path);
      } catch {
      }
      this.#path = void 0;
    }
  }
  #live() {
    if (this.#fd === void 0) throw new Error("spill file used after close");
    return this.#fd;
  }
  #writeAll(fd, bytes, length) {
    for (let done = 0; done < length; ) {
      done += writeSync(fd, bytes, done, length - done, this.#written + done);
    }
    this.#written += length;
  }
  #readAll(fd, into, position) {
    for (let done = 0; done < into.length; ) {
      const n = readSync(fd, into, done, into.length - done, position + done);
      if (n === 0) throw new Error("spill file shorter than written");
      done += n;
    }
  }
};

// src/io/files/write-output.ts
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join as join2 } from "node:path";
function resolveOutputTarget(path) {
  if (existsSync(path)) return statSync(path).isDirectory() ? { kind: "dir", path } : { kind: "file", path };
  if (path.endsWith("/")) return { kind: "dir", path };
  const ext = extname(path).toLowerCase();
  return ext === ".yaml" || ext === ".yml" || ext === ".json" ? { kind: "file", path } : { kind: "dir", path };
}
function writeOutput(target, content) {
  try {
    if (target.kind === "file") {
      mkdirSync(dirname(target.path), { recursive: true });
      writeFileSync(target.path, content.file);
    } else {
      mkdirSync(target.path, { recursive: true });
      for (const f of content.files) writeFileSync(join2(target.path, f.name), f.content);
    }
    return void 0;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

// src/cli/fail-on.ts
var FAIL_ON_VALUES = ["fail", "warn", "error", "none"];
function parseFailOn(s) {
  if (s === void 0) return "fail";
  return FAIL_ON_VALUES.includes(s) ? s : void 0;
}
function failOnExceeded(failOn, counts) {
  switch (failOn) {
    case "warn":
      return counts.warn + counts.fail + counts.error > 0;
    case "fail":
      return counts.fail + counts.error > 0;
    case "error":
      return counts.error > 0;
    case "none":
      return false;
  }
}

// src/cli/output/mutated-output.ts
var import_yaml = __toESM(require_dist(), 1);
function renderMutatedText(items) {
  return items.flatMap((m) => [
    `policy ${m.policy} applied to ${resourceLabel(m.resource)}:`,
    (0, import_yaml.stringify)(m.resource).trimEnd(),
    "---"
  ]);
}
function renderGeneratedText(items) {
  return items.flatMap((g) => [
    `policy ${g.policy} generated ${resourceLabel(g.resource)} for ${resourceLabel(g.trigger)}:`,
    (0, import_yaml.stringify)(g.resource).trimEnd(),
    "---"
  ]);
}
function renderMutatedDocuments(items) {
  return items.map((m) => `${(0, import_yaml.stringify)(m.resource).trimEnd()}
---
`).join("");
}
function mutatedFiles(items) {
  const owner = /* @__PURE__ */ new Map();
  const fileOf = /* @__PURE__ */ new Map();
  const contents = /* @__PURE__ */ new Map();
  for (const m of items) {
    const r = m.resource;
    const id = `${r.apiVersion ?? ""}/${r.kind ?? ""}/${r.metadata?.namespace ?? ""}/${r.metadata?.name ?? ""}`;
    let name = fileOf.get(id);
    if (name === void 0) {
      const base = safe(r.metadata?.name ?? "resource");
      name = `${base}-mutated.yaml`;
      if (owner.has(name)) {
        name = `${[r.metadata?.namespace ?? "", r.kind ?? "", base].filter((x) => x !== "").map(safe).join("-")}-mutated.yaml`;
      }
      owner.set(name, id);
      fileOf.set(id, name);
    }
    contents.set(name, `${(0, import_yaml.stringify)(r).trimEnd()}
`);
  }
  return [...contents].map(([name, content]) => ({ name, content }));
}
function safe(s) {
  return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

// src/cli/output/policy-reports.ts
var import_yaml2 = __toESM(require_dist(), 1);
function emptySummary2() {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}
var PolicyReportStream = class {
  #format;
  #texts;
  /** Group 0 is the cluster report; a namespace's group is its index + 1. */
  #namespaces = /* @__PURE__ */ new Map();
  #summaries = [emptySummary2()];
  constructor(format, options = {}) {
    this.#format = format;
    this.#texts = new GroupedText(options);
  }
  /** A row's report result, in the cluster report (`namespace` undefined) or its namespace's. */
  add(namespace, result) {
    let group = 0;
    if (namespace !== void 0) {
      group = this.#namespaces.get(namespace) ?? this.#namespaces.size + 1;
      if (group === this.#namespaces.size + 1) {
        this.#namespaces.set(namespace, group);
        this.#summaries.push(emptySummary2());
      }
    }
    this.#summaries[group][result.result]++;
    this.#texts.add(
      group,
      this.#format === "json" ? JSON.stringify(result, null, 2) : yamlItem("results", result)
    );
  }
  /** The reports' lines; once (the kept texts are freed at the end). */
  *lines() {
    const reports = [
      {
        group: 0,
        head: {
          apiVersion: "wgpolicyk8s.io/v1alpha2",
          kind: "ClusterPolicyReport",
          metadata: { name: "merged" }
        }
      }
    ];
    for (const [ns, group] of [...this.#namespaces.entries()].sort(([a], [b]) => a.localeCompare(b)))
      reports.push({
        group,
        head: {
          apiVersion: "wgpolicyk8s.io/v1alpha2",
          kind: "PolicyReport",
          metadata: { name: "merged", namespace: ns }
        }
      });
    const skeleton = (r) => ({
      ...r.head,
      results: [],
      summary: this.#summaries[r.group]
    });
    try {
      if (this.#format === "yaml") {
        for (const [i, r] of reports.entries()) {
          if (i > 0) yield "---";
          const text = (0, import_yaml2.stringify)(skeleton(r)).trimEnd();
          yield* spliceItems(text, "results: []", "results:", void 0, this.#texts.texts(r.group), false);
        }
        return;
      }
      const single = reports.length === 1;
      const doc = single ? skeleton(reports[0]) : { apiVersion: "v1", kind: "List", items: reports.map(skeleton) };
      const pad = single ? "  " : "      ";
      const marker = `${pad}"results": []`;
      let at = 0;
      const items = function* (group) {
        for (const t of this.#texts.texts(group)) yield indentJson(t, `${pad}  `);
      };
      for (const line of JSON.stringify(doc, null, 2).split("\n")) {
        if (line === marker || line === `${marker},`)
          yield* spliceItems(
            line,
            line,
            `${pad}"results": [`,
            `${pad}]`,
            items.call(this, reports[at++].group),
            true
          );
        else yield line;
      }
    } finally {
      this.#texts.close();
    }
  }
};

// src/cli/output/apply-print.ts
function printsOnlyViolations(args) {
  return args.reportFiles.length === 0 && args.reportFormat === void 0 && !args.policyReport && args.structured === void 0 && !args.table;
}
function writesOnlyJson(args) {
  return args.structured === "json" && !args.policyReport && args.reportFiles.length === 0 && (args.reportFormat === void 0 || args.reportFormat === "table");
}
function streamedOutput(args, options) {
  if (args.reportFiles.length > 0) return void 0;
  if (args.reportFormat === "sarif") {
    const log = new SarifLog("apply", options);
    return {
      add: (r) => log.add(applyFinding(r)),
      lines: (_, problems) => log.lines(problems, { toolVersion: options.toolVersion })
    };
  }
  if (args.reportFormat === "junit") {
    const junit = new JunitReport("apply", options);
    return { add: (r) => junit.add(applyFinding(r)), lines: (_, problems) => junit.lines(problems) };
  }
  if (args.reportFormat === "github") {
    const github = new GithubCommands("apply", options);
    return { add: (r) => github.add(applyFinding(r)), lines: (_, problems) => github.lines(problems) };
  }
  if (args.reportFormat === "markdown") {
    const md = new MarkdownSummary("apply");
    return { add: (r) => md.add(applyFinding(r)), lines: (_, problems) => md.lines(problems) };
  }
  if (args.reportFormat !== void 0) return void 0;
  if (args.policyReport) {
    const reports = new PolicyReportStream(args.structured === "json" ? "json" : "yaml", options);
    return { add: (r) => reports.add(r.policyNamespace, r.report), lines: () => reports.lines() };
  }
  if (args.structured === "yaml") {
    const results = new YamlResults(options);
    return { add: (r) => results.add(r), lines: (summary, problems) => results.lines(summary, problems) };
  }
  return void 0;
}
function streamedTable(args, options) {
  if (args.reportFiles.length > 0) return void 0;
  if (args.reportFormat !== void 0 && args.reportFormat !== "table") return void 0;
  if (args.policyReport || args.structured !== void 0) return void 0;
  if (!args.table && args.reportFormat !== "table") return void 0;
  return new ApplyTable(args.detailed, options.color, options);
}
var DIVIDER = "----------------------------------------------------------------------";
function* renderApplyRun(run, args, options) {
  const { rows, summary } = run;
  const format = args.structured === "json" ? "json" : "yaml";
  const inputProblems2 = run.inputProblems ?? [];
  if (run.streamed !== void 0) {
    yield* run.streamed.lines(summary, inputProblems2);
    return;
  }
  if (args.reportFormat !== void 0 && args.reportFormat !== "table") {
    yield renderReport(
      args.reportFormat,
      { ...applyFindings(rows), inputProblems: inputProblems2 },
      { toolVersion: options.toolVersion }
    );
    return;
  }
  if (args.policyReport) {
    const results = rows.map((x) => ({
      ...x.policyNamespace !== void 0 ? { namespace: x.policyNamespace } : {},
      result: x.report
    }));
    yield renderReports(buildPolicyReports(results), format);
    return;
  }
  if (args.structured !== void 0) {
    if (format === "json") yield* structuredJsonLines(run.results ?? rows, summary, inputProblems2);
    else yield renderStructured(rows, summary, format, inputProblems2);
    return;
  }
  const withExc = run.exceptionCount > 0 ? ` with ${run.exceptionCount} exception(s)` : "";
  yield `
Applying ${run.ruleCount} policy rule(s) to ${run.resourceCount} resource(s)${withExc}...`;
  if (run.invalid.length > 0) {
    yield `${DIVIDER}
Policies Skipped (as required variables are not provided by the user or policies are invalid):`;
    for (const [i, name] of run.invalid.entries()) yield `${i + 1}. ${name}`;
    yield DIVIDER;
  }
  if (args.outputPath === void 0) yield* renderMutatedText(run.mutated);
  yield* renderGeneratedText(run.generated);
  if (run.table !== void 0) yield* run.table.lines();
  else if (args.table || args.reportFormat === "table")
    yield renderApplyTable(rows, args.detailed, options.color);
  else yield* run.violations ?? renderViolations(rows);
  yield `
${summaryLine(summary)}`;
}
function renderLoadFailure(problems, args, options) {
  if (args.reportFormat !== void 0 && args.reportFormat !== "table")
    return [
      renderReport(
        args.reportFormat,
        { command: "apply", findings: [], inputProblems: problems },
        { toolVersion: options.toolVersion }
      )
    ];
  if (args.structured !== void 0 && !args.policyReport) {
    const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    return [renderStructured([], summary, args.structured, problems)];
  }
  return [];
}

// src/cli/output/stdin-name.ts
function onStdin(ref) {
  return ref !== void 0 && ref.file === STDIN_FILE;
}
function moved(ref, file) {
  return {
    file,
    document: ref.document,
    get line() {
      return ref.line;
    },
    get column() {
      return ref.column;
    }
  };
}
function renameStdinLocations(items, name) {
  if (name === void 0) return items;
  return items.map((x) => onStdin(x.location) ? { ...x, location: moved(x.location, name) } : x);
}
function renameStdinDiagnostics(diagnostics, name) {
  if (name === void 0) return [...diagnostics];
  return diagnostics.map((d) => onStdin(d.source) ? { ...d, source: moved(d.source, name) } : d);
}

// src/cli/commands/apply-args.ts
var APPLY_HELP = `Apply policies to resources, without a cluster.

Usage:
  palisade apply <policy file|folder|->... --resource <file|folder|-> [flags]

Examples:
  # apply a policy to a resource file
  palisade apply require-labels.yaml --resource pod.yaml

  # resources from stdin (multi-document YAML), results as a table
  cat pods.yaml | palisade apply ./policies --resource - --table

  # variables from a values file, output as a policy report
  palisade apply policy.yaml -r deploy.yaml -f values.yaml --policy-report

  # a repository's manifests by glob (quoted, so the shell does not expand it), minus some
  palisade apply policies/ -r 'deploy/**/*.yaml' --exclude 'kustomization.yaml' --exclude 'charts/**'

Flags:
  -r, --resource string        resource file, folder or glob ('dir/**/*.yaml'), '-' for stdin
                               (repeatable). Folders: YAML that is not a Kubernetes object and
                               Helm chart folders are skipped with a notice
      --stdin-name string      the file name findings from stdin ('-') are reported under
                               (annotations and SARIF point at it; default <stdin>)
      --exclude string         skip files and folders: a name or glob ('*.tmpl.yaml', 'vendor'),
                               or a path glob ('charts/**') (repeatable)
      --json string            JSON/YAML payload for JSON-mode ValidatingPolicies (repeatable;
                               not with --resource)
  -f, --values-file string     Values file (cli.kyverno.io/v1alpha1 kind Values)
  -s, --set string             variables as key=value,key2=value2 (repeatable)
  -u, --userinfo string        UserInfo file (roles, clusterRoles, userInfo)
  -e, --exception string       PolicyException file or folder (repeatable)
      --exceptions-within-policies  also bind the PolicyExceptions found among the policies
      --context-file string    Context file (resources and images CEL policies may read)
      --parameter-resource string  ValidatingAdmissionPolicy param objects (repeatable)
      --target-resource string target resources for mutate-existing rules (repeatable)
      --crd-paths string       CRD files whose schemas type MutatingPolicy ApplyConfiguration
                               patches of custom resources (repeatable or comma-separated; as
                               in Kyverno, every CRD in the folder of each path is read)
      --audit-warn             report failures of Audit policies as warnings
  -o, --output string          table | json | yaml | junit | sarif | github | markdown,
                               or (as in Kyverno) a file/folder to write mutated resources to
      --mutated-output string  file or folder to write mutated resources to (with any -o format)
      --report format=file     also write junit | sarif | github | markdown to a file from the
                               same run, e.g. --report sarif=palisade.sarif (repeatable)
      --fail-on string         exit 1 on: fail (default) | warn | error | none
  -t, --table                  print results as a table
  -p, --policy-report          print a wgpolicyk8s.io/v1alpha2 policy report
      --detailed-results       add a MESSAGE column to the table
      --warn-exit-code int     exit code when there are warnings and no failures
      --warn-no-pass           use --warn-exit-code when nothing passed
      --workers int            threads that read and evaluate resource files of 500 documents
                               or more, output unchanged (default: one per core; 1: none)
${limitFlagsHelp(31)}
  -h, --help                   help for apply`;
var OPTIONS = {
  "context-file": { type: "string" },
  "parameter-resource": { type: "string", multiple: true },
  resource: { type: "string", short: "r", multiple: true },
  resources: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "stdin-name": { type: "string" },
  json: { type: "string", multiple: true },
  "values-file": { type: "string", short: "f" },
  set: { type: "string", short: "s", multiple: true },
  userinfo: { type: "string", short: "u" },
  exception: { type: "string", short: "e", multiple: true },
  exceptions: { type: "string", multiple: true },
  "exceptions-within-policies": { type: "boolean" },
  "target-resource": { type: "string", multiple: true },
  "target-resources": { type: "string", multiple: true },
  "crd-paths": { type: "string", multiple: true },
  "crd-path": { type: "string", multiple: true },
  "audit-warn": { type: "boolean" },
  output: { type: "string", short: "o" },
  "mutated-output": { type: "string" },
  report: { type: "string", multiple: true },
  table: { type: "boolean", short: "t" },
  "policy-report": { type: "boolean", short: "p" },
  "detailed-results": { type: "boolean" },
  "warn-exit-code": { type: "string" },
  "warn-no-pass": { type: "boolean" },
  "fail-on": { type: "string" },
  "remove-color": { type: "boolean" },
  "continue-on-fail": { type: "boolean" },
  workers: { type: "string" },
  ...LIMIT_OPTIONS,
  help: { type: "boolean", short: "h" }
};
function parseApplyArgs(argv) {
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return parsed;
  const v = parsed.values;
  if (v.help === true) return { ok: true, help: true };
  const policyPaths = parsed.positionals;
  const resourcePaths = [...strs(v.resource), ...strs(v.resources)];
  const jsonPaths = strs(v.json);
  const format = str(v.output);
  const fail = (error) => ({ ok: false, error });
  if (policyPaths.length === 0) return fail("require policy");
  if (resourcePaths.length > 0 && jsonPaths.length > 0)
    return fail("--json and --resource cannot be used together");
  if (resourcePaths.length === 0 && jsonPaths.length === 0)
    return fail("a resource is required (--resource <file|folder|->)");
  if (policyPaths.includes(STDIN) && resourcePaths.includes(STDIN))
    return fail("'-' (stdin) can be used for policies or resources, not both");
  const stdinName = str(v["stdin-name"]);
  if (stdinName !== void 0 && !resourcePaths.includes(STDIN) && !policyPaths.includes(STDIN))
    return fail("--stdin-name names standard input: give '-' as a policy or --resource");
  if (stdinName !== void 0 && stdinName.trim() === "") return fail("--stdin-name expects a file name");
  if (str(v["values-file"]) !== void 0 && strs(v.set).length > 0)
    return fail("--values-file and --set cannot be used together");
  const structured = format === "json" || format === "yaml" ? format : void 0;
  const formatTypo = format !== void 0 ? outputFormatTypo(format) : void 0;
  if (formatTypo !== void 0) return fail(formatTypo);
  const mutatedOutput = str(v["mutated-output"]);
  const reportFormat = isReportFormat(format) || format === "table" ? format : void 0;
  const reportFiles = parseReportFiles(strs(v.report));
  if (!reportFiles.ok) return fail(reportFiles.error);
  const failOn = parseFailOn(str(v["fail-on"]));
  if (failOn === void 0) return fail(`--fail-on expects one of ${FAIL_ON_VALUES.join(", ")}`);
  const warnExitCode = str(v["warn-exit-code"]) !== void 0 ? Number(str(v["warn-exit-code"])) : 0;
  if (!Number.isInteger(warnExitCode)) return fail("--warn-exit-code expects an integer");
  const limitFlags = parseLimitFlags(v);
  if (!limitFlags.ok) return fail(limitFlags.error);
  const workers = str(v.workers) !== void 0 ? Number(str(v.workers)) : void 0;
  if (workers !== void 0 && !(Number.isInteger(workers) && workers >= 1 && workers <= 64))
    return fail("--workers expects a whole number from 1 to 64");
  const optional = (key, value) => value !== void 0 ? { [key]: value } : {};
  return {
    ok: true,
    args: {
      policyPaths,
      resourcePaths,
      exclude: strs(v.exclude),
      jsonPaths,
      exceptionPaths: [...strs(v.exception), ...strs(v.exceptions)],
      exceptionsWithinPolicies: v["exceptions-within-policies"] === true,
      targetPaths: [...strs(v["target-resource"]), ...strs(v["target-resources"])],
      paramResources: strs(v["parameter-resource"]),
      crdPaths: crdPathList([...strs(v["crd-paths"]), ...strs(v["crd-path"])]),
      ...optional("valuesFile", str(v["values-file"])),
      set: strs(v.set),
      ...optional("userInfoFile", str(v.userinfo)),
      ...optional("contextFile", str(v["context-file"])),
      auditWarn: v["audit-warn"] === true,
      ...structured !== void 0 ? { structured } : {},
      ...reportFormat !== void 0 ? { reportFormat } : {},
      // Anything but json/yaml/a report format names where mutated resources are written (Kyverno -o).
      ...optional(
        "outputPath",
        mutatedOutput ?? (format !== void 0 && structured === void 0 && reportFormat === void 0 ? format : void 0)
      ),
      reportFiles: reportFiles.files,
      failOn,
      warnExitCode,
      warnNoPass: v["warn-no-pass"] === true,
      table: v.table === true,
      policyReport: v["policy-report"] === true,
      detailed: v["detailed-results"] === true,
      limits: limitFlags.limits,
      allowEmpty: v["allow-empty"] === true,
      ...optional("stdinName", str(v["stdin-name"])),
      ...workers !== void 0 ? { workers } : {}
    }
  };
}
function crdPathList(values) {
  return values.flatMap((v) => v.split(",")).filter((p) => p.trim() !== "");
}
var OUTPUT_FORMATS = ["table", "json", "yaml", "junit", "sarif", "github", "markdown"];
function outputFormatTypo(value) {
  if (OUTPUT_FORMATS.includes(value) || /[/.\\]/.test(value)) return void 0;
  const near = closest(value, OUTPUT_FORMATS);
  if (near === void 0) return void 0;
  return `unknown output format "${value}". Did you mean "${near}"? (to write mutated resources to a file named "${value}", use --mutated-output ${value})`;
}

// src/cli/commands/apply.ts
function workerPool(threads, a, keepRows) {
  return new ApplyWorkers(threads, a, {
    keepRows,
    allPositions: a.reportFiles.length > 0 || a.reportFormat !== void 0 && a.reportFormat !== "table"
  });
}
function drain(stream, take) {
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return step.value;
    take(step.value);
  }
}
function usage(out, message) {
  out.error(`Error: ${message}`);
  out.error("Run 'palisade apply --help' for usage.");
  return out.result(EXIT_USAGE);
}
async function applyCommand(argv, ctx) {
  const out = new Output();
  const parsed = parseApplyArgs(argv);
  if (!parsed.ok) return usage(out, parsed.error);
  if (parsed.help === true) {
    out.line(APPLY_HELP);
    return out.result(EXIT_OK);
  }
  const a = parsed.args;
  boundHeapGrowth();
  const workers = a.targetPaths.length > 0 ? 1 : workerCount(a);
  const early = workers > 1 && hasLargeFile(a.resourcePaths) ? workerPool(workers, a, !printsOnlyViolations(a)) : void 0;
  if (early === void 0) discardPrestarted();
  early?.start();
  let loaded;
  try {
    loaded = await loadApplyInputs(a, ctx);
  } catch (err) {
    await early?.close();
    throw err;
  }
  const { json, exceptionCount, offline, inputs } = loaded;
  const { invalid, set, celPorts } = offline;
  const options = { color: ctx.color === true, toolVersion: readPackage().version };
  const env = applyEnv(loaded, a);
  const { runtime } = env;
  const rows = [];
  const mutated = [];
  const generated = [];
  const summary = emptySummary();
  const blocks = printsOnlyViolations(a) ? new ViolationBlocks({ spill: () => SpillFile.open() }) : void 0;
  const jsonResults = blocks === void 0 && writesOnlyJson(a) ? new JsonResults({ spill: () => SpillFile.open() }) : void 0;
  const streamed = blocks === void 0 && jsonResults === void 0 ? streamedOutput(a, { spill: () => SpillFile.open(), toolVersion: options.toolVersion }) : void 0;
  const table = blocks === void 0 && jsonResults === void 0 && streamed === void 0 ? streamedTable(a, { spill: () => SpillFile.open(), color: options.color }) : void 0;
  const keepViolation = (placed) => {
    if (jsonResults !== void 0) jsonResults.add(renameStdinLocations([placed], a.stdinName)[0]);
    else if (streamed !== void 0) streamed.add(renameStdinLocations([placed], a.stdinName)[0]);
    else if (table !== void 0) table.add(renameStdinLocations([placed], a.stdinName)[0]);
    else if (blocks === void 0) rows.push(placed);
    else if (isViolation(placed)) blocks.add(renameStdinLocations([placed], a.stdinName)[0]);
  };
  const take = (row) => {
    summary[row.report.result]++;
    keepViolation(placedRow(row));
  };
  let resourceCount = 0;
  const notices = [];
  const evaluate = async (r) => {
    ctx.progress?.(resourceCount, void 0, "resources");
    resourceCount++;
    const done = await evaluateResource(env, r);
    for (const row of done.rows) take(row);
    mutated.push(...done.mutated);
    generated.push(...done.generated);
    notices.push(...done.notices);
  };
  const failedEarly = invalid.length === 0 && loaded.issues([]).some((d) => d.severity === "error");
  let resourceIssues;
  if ((a.targetPaths.length > 0 || loaded.readsCluster) && !failedEarly) {
    await early?.close();
    const all = [];
    resourceIssues = drain(loaded.resources(), (u) => {
      if ("resource" in u) all.push(u.resource);
    });
    runtime.ports = createOfflinePorts({
      clusterObjects: [...removeDuplicates(all).uniques.map((r) => r.object), ...inputs.targets ?? []],
      allowClusterReads: true,
      applyFakeCluster: true
    });
    for (const r of all) await evaluate(r);
  } else {
    if (failedEarly) await early?.close();
    const pool = failedEarly ? void 0 : early ?? workerPool(workers, a, blocks === void 0);
    if (pool !== void 0) pool.env = env;
    const stream = loaded.resources(
      pool !== void 0 ? { documents: chunking.documents, minDocuments: chunking.minDocuments } : void 0
    );
    const file = new ChunkedFile((o) => {
      ctx.progress?.(resourceCount, void 0, "resources");
      resourceCount += o.read.found;
      if (o.counts !== void 0) {
        for (const k of Object.keys(summary)) summary[k] += o.counts[k];
        for (const row of o.violations ?? []) blocks.add(row);
      } else for (const row of o.rows) take(row);
      mutated.push(...o.mutated);
      generated.push(...o.generated);
    });
    try {
      let answer;
      let step = stream.next();
      for (; step.done !== true; step = stream.next(answer)) {
        answer = void 0;
        const unit = step.value;
        if ("resource" in unit) {
          if (!failedEarly) await evaluate(unit.resource);
        } else if ("chunk" in unit) {
          const placed = pool.run(unit.chunk, unit.fromFolder);
          await file.add(placed.outcome, pool.window);
          if (placed.here) await placed.outcome.catch(() => {
          });
        } else answer = await file.end();
      }
      resourceIssues = step.value;
    } finally {
      await pool?.close();
    }
  }
  ctx.progress?.(resourceCount, resourceCount, "resources");
  const issues = renameStdinDiagnostics(loaded.issues([...resourceIssues, ...notices]), a.stdinName);
  for (const d of renderDiagnostics(issues)) out.error(d);
  const problems = inputProblems(issues);
  const loadFailed = issues.some((d) => d.severity === "error");
  if (loadFailed && invalid.length === 0) {
    for (const l of renderLoadFailure(problems, a, options)) out.line(l);
    for (const e of writeReportFiles(
      a.reportFiles,
      { command: "apply", findings: [], inputProblems: problems },
      options
    ))
      out.error(e);
    out.error("Error: inputs could not be loaded");
    return out.result(EXIT_INPUT);
  }
  for (const payload of json.payloads) {
    const results = evaluatePayload(set, offlineRequest(payload.value, inputs), runtime, { celPorts });
    for (const row of applyRows(
      results,
      payload.value,
      a.auditWarn,
      { object: payload.value, source: payload.source },
      true
    ))
      take(row);
  }
  summary.error += invalid.length;
  if (a.outputPath !== void 0 && mutated.length > 0) {
    const failed = writeOutput(resolveOutputTarget(a.outputPath), {
      file: renderMutatedDocuments(mutated),
      files: mutatedFiles(mutated)
    });
    if (failed !== void 0) {
      out.error(`Error: failed to write mutated resources to ${a.outputPath}: ${failed}`);
      return out.result(EXIT_FAILURE);
    }
  }
  const legacyRules = set.policies.filter((p) => p.kind === "cluster-policy").reduce((n, p) => n + p.ruleCount, 0);
  const shown = renameStdinLocations(rows, a.stdinName);
  const run = {
    rows: shown,
    ...blocks !== void 0 ? { violations: blocks.lines() } : {},
    ...jsonResults !== void 0 ? { results: jsonResults } : {},
    ...streamed !== void 0 ? { streamed } : {},
    ...table !== void 0 ? { table } : {},
    summary,
    mutated,
    generated,
    invalid,
    ruleCount: legacyRules + offline.celCount,
    resourceCount,
    exceptionCount,
    inputProblems: problems
  };
  out.lines(renderApplyRun(run, a, options));
  const reportErrors = a.reportFiles.length === 0 ? [] : writeReportFiles(a.reportFiles, { ...applyFindings(shown), inputProblems: problems }, options);
  for (const e of reportErrors) out.error(e);
  if (reportErrors.length > 0) return out.result(EXIT_INPUT);
  if (loadFailed || invalid.length > 0) return out.result(EXIT_INPUT);
  if (failOnExceeded(a.failOn, summary)) return out.result(EXIT_FAILURE);
  if (summary.warn > 0 && a.warnExitCode !== 0) return out.result(a.warnExitCode);
  if (summary.pass === 0 && a.warnNoPass) return out.result(a.warnExitCode);
  return out.result(EXIT_OK);
}
export {
  APPLY_HELP,
  applyCommand
};
