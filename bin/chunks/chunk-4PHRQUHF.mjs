import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  formatDiagnostic
} from "./chunk-RH4DGFA7.mjs";
import {
  GroupedText,
  STATUSES,
  STDIN_FILE,
  fileLocation,
  indentJson,
  isProblem,
  locationText,
  oneLine,
  policyInfo,
  resourceLabel,
  spliceItems
} from "./chunk-UDUFEVJO.mjs";
import {
  formatFieldPath
} from "./chunk-VRWKX5IU.mjs";

// src/cli/output/github.ts
function escapeData(s) {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function stdinPosition(f) {
  return f.location !== void 0 && fileLocation(f) === void 0 ? `${locationText(f)}: ` : "";
}
function annotation(f, command) {
  const props = [];
  const where = fileLocation(f);
  if (where !== void 0) {
    props.push(`file=${escapeProperty(where.file)}`);
    props.push(`line=${where.line}`);
    props.push(`col=${where.column}`);
  }
  const title = f.policyInfo?.title !== void 0 ? `${f.policyInfo.title} (${f.rule})` : `${f.policy}/${f.rule}`;
  props.push(`title=${escapeProperty(title)}`);
  const cmd = f.status === "warn" ? "warning" : "error";
  const prefix = command === "test" ? `${f.reason ?? "Fail"}: ` : "";
  const message = `${stdinPosition(f)}${prefix}${f.resource}: ${f.message.trim() !== "" ? f.message.trim() : f.status}`;
  return `::${cmd} ${props.join(",")}::${escapeData(message)}`;
}
function inputAnnotation(p) {
  const props = [];
  const where = fileLocation(p);
  if (where !== void 0)
    props.push(`file=${escapeProperty(where.file)}`, `line=${where.line}`, `col=${where.column}`);
  props.push(`title=${escapeProperty(p.code)}`);
  return `::${p.severity === "error" ? "error" : "warning"} ${props.join(",")}::${escapeData(`${stdinPosition(p)}${p.message}`)}`;
}
function inputSummary(inputProblems2) {
  const n = inputProblems2.filter((p) => p.severity === "error").length;
  return n > 0 ? `, inputs not loaded: ${n}` : "";
}
var ANNOTATIONS_PER_LEVEL = 10;
function* capAnnotations(commands, max) {
  const shown = {};
  let plain = 0;
  for (const c of commands) {
    const level2 = c.slice(2, c.indexOf(" "));
    shown[level2] = (shown[level2] ?? 0) + 1;
    if (shown[level2] <= max) yield c;
    else {
      const props = Object.fromEntries(
        c.slice(c.indexOf(" ") + 1, c.indexOf("::", 2)).split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), decodeURIComponent(kv.slice(kv.indexOf("=") + 1))])
      );
      const where = props.file !== void 0 ? `${props.file}:${props.line}:${props.col}: ` : "";
      const message = decodeURIComponent(c.slice(c.indexOf("::", 2) + 2));
      yield `${level2}: ${where}${props.title ?? ""}: ${message}`.replace(/[\r\n]+/g, " ");
      plain++;
    }
  }
  if (plain > 0)
    yield `::notice title=palisade::${plain} more problem(s) are listed in the log without an annotation (GitHub shows ${max} error and ${max} warning annotations per step); the job summary and SARIF hold them all`;
}
var GithubCommands = class {
  #command;
  #commands;
  #counts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  constructor(command, options = {}) {
    this.#command = command;
    this.#commands = new GroupedText(options);
  }
  add(f) {
    this.#counts[f.status]++;
    if (isProblem(f)) this.#commands.add(0, annotation(f, this.#command));
  }
  /** The lines; once (the kept commands are freed at the end). */
  *lines(inputProblems2) {
    const commands = this.#commands;
    const all = function* () {
      for (const p of inputProblems2) yield inputAnnotation(p);
      yield* commands.texts(0);
    };
    try {
      yield* capAnnotations(all(), ANNOTATIONS_PER_LEVEL);
    } finally {
      commands.close();
    }
    const c = this.#counts;
    yield `palisade ${this.#command}: pass: ${c.pass}, fail: ${c.fail}, warn: ${c.warn}, error: ${c.error}, skip: ${c.skip}${inputSummary(inputProblems2)}`;
  }
};
function renderGithub(report, _options) {
  const github = new GithubCommands(report.command);
  for (const f of report.findings) github.add(f);
  return [...github.lines(report.inputProblems ?? [])].join("\n");
}

// src/cli/output/junit.ts
function xmlEscape(s) {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
function isFailure(f) {
  return f.status === "fail";
}
function details(f) {
  const where = locationText(f);
  return [
    `Policy: ${f.policy}`,
    `Rule: ${f.rule}`,
    `Resource: ${f.resource}`,
    ...where !== "" ? [`Location: ${where}`] : [],
    ...f.expected !== void 0 ? [`Expected: ${f.expected}`] : [],
    ...f.reason !== void 0 ? [`Reason: ${f.reason}`] : [],
    `Message: ${f.message}`
  ].join("\n");
}
function testcase(f) {
  const file = f.location !== void 0 ? ` file="${xmlEscape(f.location.file)}"` : "";
  const open = `    <testcase classname="${xmlEscape(f.policy)}" name="${xmlEscape(`${f.rule} ${f.resource}`)}"${file}`;
  const summary = xmlEscape(f.reason ?? f.message.split("\n")[0] ?? "");
  switch (f.status) {
    case "fail":
      return [
        `${open}>`,
        `      <failure message="${summary}" type="fail">${xmlEscape(details(f))}</failure>`,
        "    </testcase>"
      ];
    case "error":
      return [
        `${open}>`,
        `      <error message="${summary}" type="error">${xmlEscape(details(f))}</error>`,
        "    </testcase>"
      ];
    case "skip":
      return [`${open}>`, `      <skipped message="${summary}"/>`, "    </testcase>"];
    case "warn":
      return [
        `${open}>`,
        `      <system-out>${xmlEscape(`warning: ${details(f)}`)}</system-out>`,
        "    </testcase>"
      ];
    default:
      return [`${open}/>`];
  }
}
function totals(t) {
  return `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}"`;
}
function countIn(t, f) {
  t.tests++;
  if (isFailure(f)) t.failures++;
  else if (f.status === "error") t.errors++;
  else if (f.status === "skip") t.skipped++;
}
function inputSuite(errors, warnings) {
  if (errors.length === 0 && warnings.length === 0) return [];
  const out = [
    `  <testsuite name="inputs" tests="${errors.length}" failures="0" errors="${errors.length}" skipped="0">`
  ];
  for (const p of errors) {
    const where = locationText(p);
    const file = p.location !== void 0 ? ` file="${xmlEscape(p.location.file)}"` : "";
    const name = xmlEscape(where !== "" ? `${p.code} ${where}` : p.code);
    const text = xmlEscape(
      [...where !== "" ? [`Location: ${where}`] : [], `Message: ${p.message}`].join("\n")
    );
    out.push(
      `    <testcase classname="inputs" name="${name}"${file}>`,
      `      <error message="${xmlEscape(p.message.split("\n")[0] ?? "")}" type="${xmlEscape(p.code)}">${text}</error>`,
      "    </testcase>"
    );
  }
  if (warnings.length > 0) {
    const lines = warnings.map((p) => {
      const where = locationText(p);
      return `warning ${p.code}: ${where !== "" ? `${where}: ` : ""}${p.message}`;
    });
    out.push(`    <system-out>${xmlEscape(lines.join("\n"))}</system-out>`);
  }
  out.push("  </testsuite>");
  return out;
}
var JunitReport = class {
  #command;
  #cases;
  /** Per policy, in the order first seen (its suite's group is that index): its counts. */
  #suites = /* @__PURE__ */ new Map();
  #all = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  constructor(command, options = {}) {
    this.#command = command;
    this.#cases = new GroupedText(options);
  }
  add(f) {
    let suite = this.#suites.get(f.policy);
    if (suite === void 0) {
      suite = { group: this.#suites.size, tests: 0, failures: 0, errors: 0, skipped: 0 };
      this.#suites.set(f.policy, suite);
    }
    countIn(suite, f);
    countIn(this.#all, f);
    this.#cases.add(suite.group, testcase(f).join("\n"));
  }
  /** The report's lines; once (the kept cases are freed at the end). */
  *lines(inputProblems2) {
    const errors = inputProblems2.filter((p) => p.severity === "error");
    const all = this.#all;
    try {
      yield '<?xml version="1.0" encoding="UTF-8"?>';
      yield `<testsuites name="palisade ${this.#command}" tests="${all.tests + errors.length}" failures="${all.failures}" errors="${all.errors + errors.length}" skipped="${all.skipped}">`;
      yield* inputSuite(
        errors,
        inputProblems2.filter((p) => p.severity === "warning")
      );
      for (const [policy, t] of this.#suites) {
        yield `  <testsuite name="${xmlEscape(policy)}" ${totals(t)}>`;
        yield* this.#cases.texts(t.group);
        yield "  </testsuite>";
      }
      yield "</testsuites>";
    } finally {
      this.#cases.close();
    }
  }
};
function renderJunit(report, _options) {
  const junit = new JunitReport(report.command);
  for (const f of report.findings) junit.add(f);
  return [...junit.lines(report.inputProblems ?? [])].join("\n");
}

// src/cli/output/markdown.ts
function mdCell(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>").trim();
}
function code(s) {
  return s === "" ? "" : `\`${s.replace(/`/g, "'")}\``;
}
var ICON = { fail: "\u274C", error: "\u{1F4A5}", warn: "\u26A0\uFE0F" };
function row(f, command) {
  const cells = [
    `${ICON[f.status] ?? ""} ${f.status}`.trim(),
    mdCell(f.policy),
    mdCell(f.rule),
    mdCell(f.resource),
    ...command === "test" ? [mdCell(f.reason ?? "")] : [],
    code(locationText(f)),
    mdCell(f.message)
  ];
  return `| ${cells.join(" | ")} |`;
}
var MarkdownSummary = class {
  #command;
  #counts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  #rows = [];
  #rowBytes = 0;
  #problems = 0;
  constructor(command) {
    this.#command = command;
  }
  add(f) {
    this.#counts[f.status]++;
    if (!isProblem(f)) return;
    if (this.#problems++ === this.#rows.length && this.#rows.length < MAX_ROWS) {
      const line = row(f, this.#command);
      const bytes = Buffer.byteLength(line) + 1;
      if (this.#rowBytes + bytes <= MAX_BYTES) {
        this.#rows.push(line);
        this.#rowBytes += bytes;
      }
    }
  }
  lines(inputProblems2) {
    const c = this.#counts;
    const problems = this.#problems;
    const noun = this.#command === "test" ? "test" : "apply";
    const broken = inputProblems2.filter((p) => p.severity === "error");
    const verdict = broken.length > 0 ? `\u274C ${broken.length} input(s) could not be loaded` : problems === 0 ? "\u2705 no problems" : `\u274C ${problems} problem(s)`;
    const out = [
      `### Palisade ${noun}: ${verdict}`,
      "",
      `| ${STATUSES.join(" | ")} |`,
      `|${STATUSES.map(() => "---:").join("|")}|`,
      `| ${STATUSES.map((s) => String(c[s])).join(" | ")} |`
    ];
    if (inputProblems2.length > 0) {
      out.push(
        "",
        "#### Input problems",
        "",
        "| Severity | Code | Location | Message |",
        "|---|---|---|---|"
      );
      for (const p of inputProblems2)
        out.push(`| ${p.severity} | ${code(p.code)} | ${code(locationText(p))} | ${mdCell(p.message)} |`);
    }
    if (problems > 0) {
      const headers = [
        "Result",
        "Policy",
        "Rule",
        "Resource",
        ...this.#command === "test" ? ["Reason"] : [],
        "Location",
        "Message"
      ];
      out.push("", `| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`);
      let size = out.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      let shown = 0;
      for (const line of this.#rows) {
        size += Buffer.byteLength(line) + 1;
        if (shown >= MAX_ROWS || size > MAX_BYTES) break;
        out.push(line);
        shown++;
      }
      if (shown < problems)
        out.push(
          "",
          `${problems - shown} more problem(s) not shown (a job summary holds at most 1 MiB); SARIF, JUnit and \`-o json\` list them all.`
        );
    }
    return out;
  }
};
function renderMarkdown(report, _options) {
  const md = new MarkdownSummary(report.command);
  for (const f of report.findings) md.add(f);
  return md.lines(report.inputProblems ?? []).join("\n");
}
var MAX_ROWS = 1e3;
var MAX_BYTES = 900 * 1024;

// src/cli/output/sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
var INFORMATION_URI = "https://www.npmjs.com/package/@palisade-policy/cli";
var SECURITY_SEVERITY = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0"
};
function level(f) {
  return f.status === "warn" ? "warning" : "error";
}
function toUri(file) {
  const p = file.replace(/\\/g, "/").replace(/^\.\//, "");
  const encoded = encodeURI(p).replace(/#/g, "%23").replace(/\?/g, "%3F");
  if (/^[A-Za-z]:\//.test(p)) return `file:///${encoded}`;
  return p.startsWith("/") ? `file://${encoded}` : encoded;
}
function ruleId(f) {
  return `${f.policy}/${f.rule}`;
}
function helpText(f, info) {
  const lines = [
    info.title ?? f.policy,
    ...info.description !== void 0 ? ["", info.description] : [],
    "",
    `Policy: ${f.policy}`,
    `Rule: ${f.rule}`,
    ...info.category !== void 0 ? [`Category: ${info.category}`] : [],
    ...info.severity !== void 0 ? [`Severity: ${info.severity}`] : []
  ];
  const md = [
    `**${info.title ?? f.policy}**`,
    ...info.description !== void 0 ? ["", info.description] : [],
    "",
    `- Policy: \`${f.policy}\``,
    `- Rule: \`${f.rule}\``,
    ...info.category !== void 0 ? [`- Category: ${info.category}`] : [],
    ...info.severity !== void 0 ? [`- Severity: ${info.severity}`] : []
  ];
  return { text: lines.join("\n"), markdown: md.join("\n") };
}
function ruleDescriptor(f) {
  const info = f.policyInfo ?? {};
  const short = info.title !== void 0 ? `${info.title}: ${f.rule}` : `${f.policy}: ${f.rule}`;
  const severity = info.severity?.toLowerCase();
  const categories = (info.category ?? "").split(",").map((c) => c.trim()).filter((c) => c !== "");
  const tags = ["kubernetes", "policy", ...categories];
  const properties = { tags };
  if (severity !== void 0 && SECURITY_SEVERITY[severity] !== void 0) {
    properties["security-severity"] = SECURITY_SEVERITY[severity];
    tags.push("security");
  }
  return {
    id: ruleId(f),
    name: f.rule,
    shortDescription: { text: short },
    fullDescription: { text: oneLine(info.description ?? short) },
    help: helpText(f, info),
    defaultConfiguration: { level: severity === "low" || severity === "info" ? "warning" : "error" },
    properties
  };
}
function resultMessage(f, command) {
  const what = f.message.trim() !== "" ? f.message.trim() : `${f.status}`;
  if (command === "test") return `${f.reason ?? "Fail"}: ${f.resource}: ${what}`;
  return `${f.resource}: ${what}`;
}
function result(f, index, command) {
  const out = {
    ruleId: ruleId(f),
    ruleIndex: index,
    level: level(f),
    message: { text: resultMessage(f, command) }
  };
  const logical = [{ name: f.resource, kind: "resource" }];
  const where = f.location;
  if (where !== void 0) {
    out.locations = [
      {
        physicalLocation: physical(where),
        logicalLocations: logical
      }
    ];
  } else out.locations = [{ logicalLocations: logical }];
  out.partialFingerprints = { "palisadeFinding/v1": `${ruleId(f)}|${f.resource}` };
  const props = { status: f.status };
  if (f.path !== void 0) props.fieldPath = formatFieldPath(f.path);
  if (f.expected !== void 0) props.expected = f.expected;
  out.properties = props;
  return out;
}
var STDIN_URI = "stdin";
function physical(where) {
  const artifactLocation = where.file === STDIN_FILE ? { uri: STDIN_URI, description: { text: "standard input: the line is in the piped stream" } } : { uri: toUri(where.file) };
  return { artifactLocation, region: { startLine: where.line, startColumn: where.column } };
}
function inputRuleDescriptor(code2) {
  const text = `Palisade could not load an input (${code2})`;
  return {
    id: code2,
    shortDescription: { text },
    fullDescription: { text: `${text}: nothing in it was checked.` },
    help: { text: `${text}. Fix the input and run again; until then its resources are not checked.` },
    defaultConfiguration: { level: "error" },
    properties: { tags: ["palisade", "input"] }
  };
}
function inputResult(p, index) {
  const where = p.location;
  const out = {
    ruleId: p.code,
    ruleIndex: index,
    level: p.severity === "error" ? "error" : "warning",
    message: { text: p.message }
  };
  if (where !== void 0) out.locations = [{ physicalLocation: physical(where) }];
  out.partialFingerprints = {
    "palisadeInput/v1": `${p.code}|${p.location?.file ?? ""}|${p.location?.line ?? 0}|${p.message}`
  };
  if (p.path !== void 0) out.properties = { fieldPath: formatFieldPath(p.path) };
  return out;
}
function invocation(inputProblems2) {
  const notifications = inputProblems2.map((p) => {
    const where = p.location;
    return {
      level: p.severity === "error" ? "error" : "warning",
      message: { text: p.message },
      descriptor: { id: p.code },
      ...where !== void 0 ? { locations: [{ physicalLocation: physical(where) }] } : {}
    };
  });
  return {
    executionSuccessful: !inputProblems2.some((p) => p.severity === "error"),
    toolExecutionNotifications: notifications
  };
}
var SarifLog = class {
  #command;
  #ruleIndex = /* @__PURE__ */ new Map();
  #rules = [];
  #results;
  constructor(command, options = {}) {
    this.#command = command;
    this.#results = new GroupedText(options);
  }
  add(f) {
    const id = ruleId(f);
    let index = this.#ruleIndex.get(id);
    if (index === void 0) {
      index = this.#rules.length;
      this.#ruleIndex.set(id, index);
      this.#rules.push(ruleDescriptor(f));
    }
    if (isProblem(f)) this.#results.add(0, JSON.stringify(result(f, index, this.#command), null, 2));
  }
  /** The log's lines; once (the kept results are freed at the end). */
  *lines(inputProblems2, options) {
    const ruleIndex = this.#ruleIndex;
    const rules = this.#rules;
    for (const p of inputProblems2) {
      if (ruleIndex.has(p.code)) continue;
      ruleIndex.set(p.code, rules.length);
      rules.push(inputRuleDescriptor(p.code));
    }
    const log = {
      $schema: SARIF_SCHEMA,
      version: "2.1.0",
      runs: [
        {
          tool: {
            driver: {
              name: "palisade",
              version: options.toolVersion,
              informationUri: INFORMATION_URI,
              rules
            }
          },
          invocations: [invocation(inputProblems2)],
          columnKind: "utf16CodeUnits",
          results: []
        }
      ]
    };
    const results = this.#results;
    const items = function* () {
      for (const p of inputProblems2)
        yield indentJson(JSON.stringify(inputResult(p, ruleIndex.get(p.code) ?? 0), null, 2), PAD);
      for (const t of results.texts(0)) yield indentJson(t, PAD);
    };
    try {
      yield* spliceItems(
        JSON.stringify(log, null, 2),
        '      "results": []',
        '      "results": [',
        "      ]",
        items(),
        true
      );
    } finally {
      results.close();
    }
  }
};
var PAD = "        ";
function renderSarif(report, options) {
  const log = new SarifLog(report.command);
  for (const f of report.findings) log.add(f);
  return [...log.lines(report.inputProblems ?? [], options)].join("\n");
}

// src/cli/output/render-report.ts
var RENDERERS = {
  junit: renderJunit,
  sarif: renderSarif,
  github: renderGithub,
  markdown: renderMarkdown
};
function isReportFormat(s) {
  return s !== void 0 && Object.hasOwn(RENDERERS, s);
}
function renderReport(format, report, options) {
  return RENDERERS[format](report, options);
}

// src/cli/output/to-findings.ts
function applyFindings(rows) {
  return { command: "apply", findings: rows.map(applyFinding) };
}
function applyFinding(r) {
  return {
    policy: r.policy,
    rule: r.rule,
    resource: resourceLabel(r.resource),
    status: r.status,
    message: r.message,
    ...r.location !== void 0 ? { location: r.location } : {},
    ...r.path !== void 0 ? { path: r.path } : {},
    ...r.policyInfo !== void 0 ? { policyInfo: r.policyInfo } : {}
  };
}
function testFindings(rows) {
  return {
    command: "test",
    findings: rows.map(
      (r) => ({
        policy: r.policy,
        rule: r.rule,
        resource: r.resource,
        status: r.result === "Fail" ? "fail" : r.skipped ? "skip" : "pass",
        message: r.message,
        expected: r.expected,
        reason: r.reason,
        ...r.location !== void 0 ? { location: r.location } : {},
        ...r.path !== void 0 ? { path: r.path } : {},
        policyInfo: policyInfo(r.policyAnnotations)
      })
    )
  };
}

// src/cli/output/diagnostics.ts
var MAX_DIAGNOSTIC_LINES = 200;
function sortDiagnostics(ds) {
  return [...ds].sort((a, b) => {
    const fa = a.source?.file ?? "";
    const fb = b.source?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.column ?? 0) - (b.source?.column ?? 0);
  });
}
function renderDiagnostics(ds, max = MAX_DIAGNOSTIC_LINES) {
  const sorted = sortDiagnostics(ds);
  const lines = sorted.slice(0, max).map(formatDiagnostic);
  if (sorted.length > max) {
    const errors = sorted.slice(max).filter((d) => d.severity === "error").length;
    lines.push(`... ${sorted.length - max} more diagnostics not shown (${errors} of them errors)`);
  }
  return lines;
}
function inputProblems(ds, max = MAX_DIAGNOSTIC_LINES) {
  const sorted = sortDiagnostics(ds);
  const shown = sorted.slice(0, max).map(
    (d) => ({
      code: d.code,
      severity: d.severity,
      message: d.hint !== void 0 ? `${d.message} (${d.hint})` : d.message,
      ...d.source !== void 0 ? { location: d.source } : {},
      ...d.path.length > 0 ? { path: d.path } : {}
    })
  );
  if (sorted.length > max) {
    const errors = sorted.slice(max).filter((d) => d.severity === "error").length;
    shown.push({
      code: "input/truncated",
      severity: errors > 0 ? "error" : "warning",
      message: `${sorted.length - max} more diagnostics not shown (${errors} of them errors)`
    });
  }
  return shown;
}

// src/cli/output/report-files.ts
import { writeFileSync } from "node:fs";
function parseReportFiles(values) {
  const files = [];
  for (const v of values) {
    const eq = v.indexOf("=");
    const format = eq > 0 ? v.slice(0, eq) : "";
    const file = eq > 0 ? v.slice(eq + 1) : "";
    if (!isReportFormat(format) || file === "" || file === "-")
      return {
        ok: false,
        error: `--report takes FORMAT=FILE with a format of junit, sarif, github or markdown and a file name, got "${v}"`
      };
    files.push({ format, file });
  }
  return { ok: true, files };
}
function writeReportFiles(files, report, options) {
  const errors = [];
  for (const { format, file } of files) {
    try {
      writeFileSync(file, `${renderReport(format, report, options)}
`);
    } catch (err) {
      errors.push(`Error: cannot write the ${format} report to ${file}: ${err.message}`);
    }
  }
  return errors;
}

export {
  GithubCommands,
  JunitReport,
  MarkdownSummary,
  SarifLog,
  isReportFormat,
  renderReport,
  applyFindings,
  applyFinding,
  testFindings,
  renderDiagnostics,
  inputProblems,
  parseReportFiles,
  writeReportFiles
};
