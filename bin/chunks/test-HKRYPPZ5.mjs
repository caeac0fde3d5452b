import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  inputProblems,
  isReportFormat,
  parseReportFiles,
  renderDiagnostics,
  renderReport,
  testFindings,
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
  compileOfflineSet,
  createOfflinePorts,
  generateFailures,
  jsonPayloadPaths,
  loadJsonPayloads,
  loadUserInfoFile,
  loadValuesFile,
  locateFailedRows,
  locationText,
  missingClusterNamespace,
  offlineRequest,
  renderTable,
  rowOperation,
  typeSchemasFor,
  validateCliFile,
  valuesSpecSchema
} from "./chunk-UDUFEVJO.mjs";
import {
  computeReportStatus
} from "./chunk-JCGDWRDO.mjs";
import {
  loadResources,
  removeDuplicates,
  resourceKey
} from "./chunk-DNTYCI5T.mjs";
import {
  colorStatus
} from "./chunk-NNS4QY3C.mjs";
import {
  parseCommandArgs,
  str,
  strs
} from "./chunk-C2NMBPH6.mjs";
import {
  suggestion
} from "./chunk-S3ZW6KE6.mjs";
import {
  LIMIT_OPTIONS,
  limitFlagsHelp,
  parseLimitFlags
} from "./chunk-G5XHT7KU.mjs";
import "./chunk-B636O7HU.mjs";
import {
  getPolicyDecoder,
  loadExceptions,
  loadPolicies,
  loadSingleFile,
  locate
} from "./chunk-B25Y5PAN.mjs";
import {
  collectFiles,
  expandPaths,
  ioDiagnostic,
  loadDocuments,
  readText
} from "./chunk-BEDWXCWF.mjs";
import "./chunk-DBKA2XEV.mjs";
import {
  admit,
  diagnostic,
  evaluateAuthzPayload,
  evaluatePayload,
  objectMeta,
  require_dist,
  schema_dsl_exports,
  wildcardMatch
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/io/files/test-suite.ts
import { dirname, isAbsolute, join } from "node:path";

// src/io/schemas/test-file.ts
var { any, array, bool, enumOf, isPlainObject, number, object, refine, req, string } = schema_dsl_exports;
var CI = { keyCase: "insensitive" };
var paths = array(string(), { label: "a list of file paths" });
var resultSchema = object(
  {
    policy: req(string({ nonEmpty: true })),
    rule: string(),
    resources: array(string()),
    resourceSpecs: array(
      object(
        {
          group: string(),
          version: string(),
          kind: string(),
          namespace: string(),
          subresource: string(),
          name: string()
        },
        CI
      )
    ),
    // Present but possibly empty: Kyverno's own JSON-payload suites write `kind: ""`.
    kind: req(string()),
    result: req(enumOf(["pass", "fail", "skip", "warn", "error"])),
    namespace: string(),
    operation: enumOf(["CREATE", "UPDATE", "DELETE", "CONNECT"]),
    patchedResources: string(),
    generatedResource: string(),
    generatedResources: array(string()),
    cloneSourceResource: string(),
    failOnMissingResources: bool(),
    isValidatingAdmissionPolicy: bool(),
    isMutatingAdmissionPolicy: bool(),
    isValidatingPolicy: bool(),
    isMutatingPolicy: bool(),
    isGeneratingPolicy: bool(),
    isDeletingPolicy: bool(),
    isImageValidatingPolicy: bool()
  },
  CI
);
var apiCallResponseSchema = refine(
  object(
    {
      url: string(),
      urlPath: string(),
      method: enumOf(["GET", "POST", ""], { caseInsensitive: true }),
      response: req(
        object(
          {
            statusCode: number({ integer: true, min: 100, max: 599 }),
            body: req(object({}, { unknown: "allow", label: "a JSON object" }))
          },
          CI
        )
      )
    },
    CI
  ),
  (value, path) => {
    const v = value;
    const url = typeof v.url === "string" ? v.url.trim() : "";
    const urlPath = typeof v.urlPath === "string" ? v.urlPath.trim() : "";
    if (url === "" && urlPath === "") {
      return [diagnostic("policy/missing-field", "either `url` or `urlPath` is required", [...path, "url"])];
    }
    if (url !== "" && urlPath !== "") {
      return [
        diagnostic("policy/invalid-value", "`url` and `urlPath` are mutually exclusive", [
          ...path,
          "urlPath"
        ])
      ];
    }
    if (url !== "" && !/^https?:\/\/[^/?#\s]+/.test(url)) {
      return [
        diagnostic("policy/invalid-value", `url "${url}" must be an absolute http or https URL`, [
          ...path,
          "url"
        ])
      ];
    }
    if (urlPath !== "" && !urlPath.startsWith("/")) {
      return [
        diagnostic(
          "policy/invalid-value",
          `urlPath "${urlPath}" must be an absolute path starting with '/'`,
          [...path, "urlPath"]
        )
      ];
    }
    return [];
  }
);
var GCE_SOURCES = ["data", "resources", "resourceFiles"];
var globalContextEntrySchema = refine(
  object(
    {
      name: req(string({ nonEmpty: true })),
      data: any(),
      resources: array(object({}, { unknown: "allow" })),
      resourceFiles: paths,
      fieldPath: string(),
      projections: array(
        object({ name: req(string({ nonEmpty: true })), path: req(string({ nonEmpty: true })) }, CI)
      )
    },
    CI
  ),
  (value, path) => {
    const v = value;
    const given = GCE_SOURCES.filter((k) => v[k] !== void 0 && v[k] !== null);
    return given.length === 1 ? [] : [
      diagnostic(
        given.length === 0 ? "policy/missing-field" : "policy/invalid-value",
        `exactly one of data, resources, resourceFiles is required (found ${given.length})`,
        given.length === 0 ? [...path, "data"] : [...path, given[1]]
      )
    ];
  }
);
function uniqueBy(key, what) {
  return (value, path) => {
    const seen = /* @__PURE__ */ new Set();
    const out = [];
    value.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const k = key(item);
      if (k === void 0) return;
      if (seen.has(k)) out.push(diagnostic("policy/invalid-value", `duplicate ${what} "${k}"`, [...path, i]));
      seen.add(k);
    });
    return out;
  };
}
var testFileSchema = object(
  {
    apiVersion: string(),
    kind: string(),
    metadata: objectMeta,
    policies: paths,
    resources: paths,
    targetResources: paths,
    paramResources: paths,
    jsonPayloads: paths,
    jsonPayload: string(),
    httpPayloads: paths,
    envoyPayloads: paths,
    exceptions: paths,
    variables: string(),
    values: valuesSpecSchema,
    userinfo: string(),
    context: string(),
    clusterResources: paths,
    apiCallResponses: refine(
      array(apiCallResponseSchema),
      uniqueBy((e) => {
        const target = typeof e.url === "string" && e.url !== "" ? e.url : e.urlPath;
        return typeof target === "string" ? `${String(e.method ?? "").toUpperCase()} ${target.trim()}` : void 0;
      }, "method and url")
    ),
    globalContextEntries: refine(
      array(globalContextEntrySchema),
      uniqueBy((e) => typeof e.name === "string" ? e.name.trim() : void 0, "global context entry name")
    ),
    results: array(resultSchema),
    // Deprecated top-level `name`: reported below with Kyverno's "deprecated schema" failure.
    name: string()
  },
  CI
);
function validateTestFile(doc) {
  const result = validateCliFile(doc, "Test", testFileSchema);
  if (!isPlainObject(doc) || typeof doc.name !== "string" || doc.name === "") return result;
  const deprecated = diagnostic(
    "test/deprecated-schema",
    "the top-level `name` field is deprecated: the test uses a deprecated schema",
    ["name"],
    { hint: "move it to `metadata.name`" }
  );
  const issues = result.ok ? result.warnings : result.issues;
  return { ok: false, issues: [...issues, deprecated] };
}

// src/io/files/test-suite.ts
function discoverTests(paths2, fileName = "kyverno-test.yaml") {
  return collectFiles(paths2, (name) => name === fileName, { skipHidden: false });
}
function foldLegacyRowFields(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const test = value;
  if (!Array.isArray(test.results)) return value;
  const results = test.results.map((raw) => {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
    const { resource, status, patchedResource, ...row } = raw;
    if (typeof resource === "string" && row.resources === void 0) row.resources = [resource];
    if (typeof status === "string" && row.result === void 0) row.result = status.toLowerCase();
    if (typeof patchedResource === "string" && row.patchedResources === void 0)
      row.patchedResources = patchedResource;
    return row;
  });
  return { ...test, results };
}
function withoutNullFields(v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== void 0));
}
function normalizeNulls(value) {
  const test = withoutNullFields(value);
  for (const key of ["results", "apiCallResponses", "globalContextEntries"]) {
    const list = test[key];
    if (!Array.isArray(list)) continue;
    test[key] = list.map((item) => {
      const row = withoutNullFields(item);
      if (row !== null && typeof row === "object" && Array.isArray(row.resourceSpecs)) {
        const r = row;
        return { ...r, resourceSpecs: r.resourceSpecs.map(withoutNullFields) };
      }
      return row;
    });
  }
  return test;
}
function decodeTest(value) {
  const validated = validateTestFile(foldLegacyRowFields(value));
  if (!validated.ok) return { issues: [...validated.issues] };
  const test = normalizeNulls(validated.value);
  return {
    test: { ...test, policies: test.policies ?? [], resources: test.resources ?? [] },
    issues: [...validated.warnings]
  };
}
function loadTests(path) {
  const dir = dirname(path);
  const read = readText(path);
  if (!read.ok) return [{ path, dir, issues: [read.issue] }];
  const loaded = loadDocuments(read.text, path, { duplicateKeys: "error" });
  if (loaded.issues.length > 0) return [{ path, dir, issues: loaded.issues }];
  const docs = loaded.documents.filter((d) => d.value !== null && d.value !== void 0);
  if (docs.length === 0)
    return [{ path, dir, issues: [ioDiagnostic("test/invalid", "test file is empty", { file: path })] }];
  return docs.map((doc) => {
    const decoded = decodeTest(doc.value);
    const issues = decoded.issues.map((d) => ({ ...d, source: locate(doc, d.path) }));
    if (decoded.test === void 0) return { path, dir, issues };
    const { test, issues: fileIssues } = withGlobalContextResourceFiles(decoded.test, dir);
    return {
      path,
      dir,
      test,
      issues: [...issues, ...fileIssues],
      locate: (at) => locate(doc, at)
    };
  });
}
function withGlobalContextResourceFiles(test, dir) {
  const entries = test.globalContextEntries;
  if (entries === void 0 || !entries.some((e) => e.resourceFiles !== void 0))
    return { test, issues: [] };
  const issues = [];
  const resolved = entries.map((e) => {
    if (e.resourceFiles === void 0 || e.resources !== void 0) return e;
    const resources = [];
    for (const file of e.resourceFiles) {
      const full = isAbsolute(file) ? file : join(dir, file);
      const read = readText(full);
      if (!read.ok) {
        issues.push(read.issue);
        continue;
      }
      const loaded = loadDocuments(read.text, full);
      issues.push(...loaded.issues);
      for (const d of loaded.documents)
        if (d.value !== null && d.value !== void 0) resources.push(d.value);
    }
    return { ...e, resources };
  });
  return { test: { ...test, globalContextEntries: resolved }, issues };
}
function testPath(test, p) {
  return isAbsolute(p) ? p : join(test.dir, p);
}

// src/cli/output/test-report.ts
var import_yaml = __toESM(require_dist(), 1);
var HEADERS = ["ID", "POLICY", "RULE", "RESOURCE", "RESULT", "REASON"];
function cells(r, detailed, color = false) {
  const c = [String(r.id), r.policy, r.rule, r.resource, colorStatus(r.result, r.result, color), r.reason];
  if (detailed) c.push(r.message.replace(/\s*\n\s*/g, " "));
  return c;
}
function renderResultTable(rows, detailed, color = false) {
  return renderTable(
    detailed ? [...HEADERS, "MESSAGE"] : HEADERS,
    rows.map((r) => cells(r, detailed, color))
  );
}
function toRecords(test, rows, detailed) {
  return rows.map((r) => ({
    TEST: test,
    ID: r.id,
    POLICY: r.policy,
    RULE: r.rule,
    RESOURCE: r.resource,
    RESULT: r.result,
    REASON: r.reason,
    EXPECTED: r.expected,
    ACTUAL: r.actual ?? null,
    ...detailed ? { MESSAGE: r.message } : {},
    ...r.note !== void 0 ? { NOTE: r.note } : {}
  }));
}
function errorRecords(problems) {
  return problems.filter((p) => p.severity === "error").map((p) => {
    const where = p.location !== void 0 ? `${locationText(p)}: ` : "";
    return {
      TEST: p.location?.file ?? "",
      ID: 0,
      POLICY: "",
      RULE: "",
      RESOURCE: "",
      RESULT: "Error",
      REASON: p.code,
      EXPECTED: "",
      ACTUAL: null,
      MESSAGE: `${where}${p.message}`
    };
  });
}
function xml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
function renderRecords(records, format, detailed) {
  if (format === "json") return JSON.stringify(records, null, 2);
  if (format === "yaml") return (0, import_yaml.stringify)(records).trimEnd();
  if (format === "markdown") {
    const headers = detailed ? [...HEADERS, "MESSAGE"] : HEADERS;
    const lines = [`| ${headers.join(" | ")} |`, `|${"----|".repeat(headers.length)}`];
    for (const r of records) {
      const c = [String(r.ID), r.POLICY, r.RULE, r.RESOURCE, r.RESULT, r.REASON];
      if (detailed) c.push(r.MESSAGE ?? "");
      lines.push(`| ${c.join(" | ")} |`);
    }
    return lines.join("\n");
  }
  const failures = records.filter((r) => r.RESULT === "Fail").length;
  const byPolicy = /* @__PURE__ */ new Map();
  for (const r of records) byPolicy.set(r.POLICY, [...byPolicy.get(r.POLICY) ?? [], r]);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${records.length}" failures="${failures}">`
  ];
  for (const [policy, rs] of byPolicy) {
    const f = rs.filter((r) => r.RESULT === "Fail").length;
    out.push(`  <testsuite name="${xml(policy)}" tests="${rs.length}" failures="${f}">`);
    for (const r of rs) {
      out.push(`    <testcase classname="${xml(r.RULE)}" name="${xml(r.RESOURCE)}">`);
      if (r.RESULT === "Fail") {
        const text = `Policy: ${r.POLICY}
Rule: ${r.RULE}
Resource: ${r.RESOURCE}
Result: ${r.REASON}${r.MESSAGE !== void 0 ? `
Message: ${r.MESSAGE}` : ""}`;
        out.push(`      <failure message="${xml(r.REASON)}">${xml(text)}</failure>`);
      }
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n");
}

// src/io/schemas/cluster-resource-file.ts
var { any: any2, array: array2, object: object2, string: string2 } = schema_dsl_exports;
var CI2 = { keyCase: "insensitive" };
var clusterResourceFileSchema = object2(
  {
    apiVersion: string2(),
    kind: string2(),
    metadata: objectMeta,
    spec: object2({ crds: array2(string2(), { label: "a list of file paths" }), resources: array2(any2()) }, CI2)
  },
  CI2
);
function validateClusterResourceFile(doc) {
  return validateCliFile(doc, "ClusterResource", clusterResourceFileSchema);
}

// src/io/files/cluster-resources.ts
function loadClusterResources(files, resolve) {
  const objects = [];
  const crdPaths = [];
  const issues = [];
  for (const file of files) {
    const loaded = loadSingleFile(file, { duplicateKeys: "error" });
    issues.push(...loaded.issues);
    const doc = loaded.document;
    if (doc === void 0) {
      if (loaded.issues.length === 0)
        issues.push(ioDiagnostic("test/invalid", "ClusterResource file is empty", { file }));
      continue;
    }
    const validated = validateClusterResourceFile(doc.value);
    if (!validated.ok) {
      issues.push(...validated.issues.map((d) => ({ ...d, source: locate(doc, d.path) })));
      continue;
    }
    crdPaths.push(...(validated.value.spec?.crds ?? []).map(resolve));
    (validated.value.spec?.resources ?? []).forEach((r, i) => {
      const kind = r?.kind;
      if (r === null || typeof r !== "object" || Array.isArray(r) || typeof kind !== "string" || kind === "") {
        const path = ["spec", "resources", i];
        issues.push({
          ...ioDiagnostic("resource/invalid", "a cluster resource must be a mapping with a `kind`", { path }),
          source: locate(doc, path)
        });
        return;
      }
      objects.push(r);
    });
  }
  const crds = crdPaths.length > 0 ? loadResources(crdPaths) : { resources: [], issues: [] };
  issues.push(...crds.issues);
  return { objects, crds: crds.resources.map((r) => r.object), crdPaths, issues };
}
function crdResourceKinds(crds) {
  const out = /* @__PURE__ */ new Map();
  for (const crd of crds) {
    const spec = crd.spec;
    const names = spec?.names;
    const versions = Array.isArray(spec?.versions) ? spec.versions : [];
    if (typeof spec?.group !== "string" || typeof names?.plural !== "string" || typeof names.kind !== "string")
      continue;
    for (const v of versions) {
      const name = v?.name;
      if (typeof name === "string") out.set(`${spec.group}/${name}|${names.plural}`, names.kind);
    }
  }
  return out;
}

// src/cli/run/compare-resources.ts
var import_yaml2 = __toESM(require_dist(), 1);
function isMap(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function tidy(value) {
  if (Array.isArray(value)) {
    const out = value.map(tidy).filter((v) => v !== void 0);
    return out.length === 0 ? void 0 : out;
  }
  if (isMap(value)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const t = tidy(v);
      if (t !== void 0) out[k] = t;
    }
    return Object.keys(out).length === 0 ? void 0 : out;
  }
  return value === null ? void 0 : value;
}
var GENERATE_LABEL_PREFIX = "generate.kyverno.io/";
function fixupGenerateLabels(resource) {
  const labels = { "app.kubernetes.io/managed-by": "kyverno" };
  for (const [k, v] of Object.entries(resource.metadata?.labels ?? {})) {
    if (!k.startsWith(GENERATE_LABEL_PREFIX)) labels[k] = v;
  }
  labels["app.kubernetes.io/managed-by"] = "kyverno";
  return { ...resource, metadata: { ...resource.metadata ?? {}, labels } };
}
function equalJson(a, b) {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => equalJson(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equalJson(a[k], b[k]));
  }
  return false;
}
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isMap(value)) {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}
function lineDiff(expected, actual) {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i2 = n - 1; i2 >= 0; i2--) {
    for (let j2 = m - 1; j2 >= 0; j2--) {
      const row = lcs[i2];
      row[j2] = a[i2] === b[j2] ? lcs[i2 + 1][j2 + 1] + 1 : Math.max(lcs[i2 + 1][j2], row[j2 + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push(`+ ${b[j]}`);
      j++;
    } else {
      out.push(`- ${a[i]}`);
      i++;
    }
  }
  return out.join("\n");
}
function normalise(resource) {
  return tidy(fixupGenerateLabels(resource)) ?? {};
}
function compareResources(expected, actual) {
  const e = normalise(expected);
  const a = normalise(actual);
  if (equalJson(e, a)) return { equal: true, diff: "" };
  return { equal: false, diff: lineDiff((0, import_yaml2.stringify)(sortKeys(e)).trimEnd(), (0, import_yaml2.stringify)(sortKeys(a)).trimEnd()) };
}
function compareGeneratedResources(expected, actual) {
  return compareResources(alignDefaultNamespace(expected, actual), actual);
}
function alignDefaultNamespace(expected, actual) {
  const actualNs = actual.metadata?.namespace ?? "";
  if (actualNs !== "" || expected.metadata?.namespace !== "default") return expected;
  const { namespace: _dropped, ...metadata } = expected.metadata;
  return { ...expected, metadata };
}
function resourceIdentity(o) {
  const ns = o.metadata?.namespace ?? "";
  return [o.apiVersion ?? "", o.kind ?? "", ns === "" ? "default" : ns, o.metadata?.name ?? ""].join("/");
}
function findExpected(expected, actual) {
  const id = resourceIdentity(actual);
  return expected.find((e) => resourceIdentity(e) === id);
}

// src/cli/run/check-results.ts
function isRuleless(row) {
  return row.isValidatingAdmissionPolicy === true || row.isMutatingAdmissionPolicy === true || row.isValidatingPolicy === true || row.isMutatingPolicy === true || row.isGeneratingPolicy === true || row.isDeletingPolicy === true || row.isImageValidatingPolicy === true;
}
var RULELESS_KINDS = /* @__PURE__ */ new Set([
  "ValidatingPolicy",
  "NamespacedValidatingPolicy",
  "ValidatingAdmissionPolicy",
  "MutatingPolicy",
  "NamespacedMutatingPolicy",
  "MutatingAdmissionPolicy",
  "ImageValidatingPolicy",
  "NamespacedImageValidatingPolicy",
  "GeneratingPolicy",
  "NamespacedGeneratingPolicy",
  "DeletingPolicy",
  "NamespacedDeletingPolicy"
]);
function rowIgnoresRule(row, policyKind) {
  return isRuleless(row) || policyKind !== void 0 && RULELESS_KINDS.has(policyKind);
}
function rowNamesRule(row, name) {
  const rule = row.rule ?? "";
  return name === rule || name === `autogen-${rule}` || name === `autogen-cronjob-${rule}`;
}
function lookupRuleResponses(row, rules, policyKind) {
  if (rowIgnoresRule(row, policyKind)) return [...rules];
  return rules.filter((r) => rowNamesRule(row, r.name));
}
function selectResources(row, keys) {
  const selected = [];
  if (row.resources !== void 0) {
    for (const r of row.resources) {
      const nsName = r.split("/");
      for (const key of keys) {
        const parts = key.split(",");
        const name = parts[parts.length - 1];
        const ns = parts[parts.length - 2];
        if (nsName.length === 1 && r === name) selected.push(key);
        if (nsName.length === 2 && nsName[0] === ns && nsName[1] === name) selected.push(key);
      }
    }
    for (const spec of row.resourceSpecs ?? []) {
      for (const key of keys) {
        const parts = key.split(",");
        const gv = spec.group === void 0 || spec.group === "" ? spec.version ?? "" : `${spec.group}/${spec.version ?? ""}`;
        if (gv !== parts[0]) continue;
        if ((spec.namespace ?? "") !== parts[parts.length - 2]) continue;
        if (spec.name === parts[parts.length - 1]) selected.push(key);
      }
    }
  }
  return selected.length > 0 ? selected : [...keys];
}
function displayResource(key) {
  return key.split(",").join("/");
}
function checkResults(rows, responsesFor, loadExpected = () => ({ error: "no resource loader" })) {
  const out = [];
  const counts = { pass: 0, fail: 0, skip: 0 };
  let id = 1;
  const push = (r) => {
    out.push({ id: id++, ...r });
    if (r.result === "Fail") counts.fail++;
    else if (r.skipped) counts.skip++;
    else counts.pass++;
  };
  for (const row of rows) {
    const responses = responsesFor(row);
    const policyName = row.policy.split("/").pop() ?? row.policy;
    const rule = row.rule ?? "";
    for (const key of selectResources(row, [...responses.keys()])) {
      const resource = displayResource(key);
      let found = 0;
      for (const er of responses.get(key) ?? []) {
        if (er.policy.name !== policyName) continue;
        let matched = 0;
        for (const rr of lookupRuleResponses(row, er.response.rules, er.response.policyKind)) {
          matched++;
          const actual = computeReportStatus(er.policy, er.response, rr, false);
          const where = {
            resourceKey: key,
            ...rr.path !== void 0 ? { path: rr.path } : {},
            ...er.policy.annotations !== void 0 ? { policyAnnotations: er.policy.annotations } : {}
          };
          const base = { policy: row.policy, rule, resource, expected: row.result, actual, ...where };
          const check = checkResources(row, er, rr, loadExpected);
          if (check === "dropped") continue;
          if (check !== void 0) {
            push({ ...base, result: "Fail", reason: check.reason, message: check.message, skipped: false });
            continue;
          }
          const ok = actual === row.result;
          push({
            ...base,
            result: ok ? "Pass" : "Fail",
            reason: ok ? "Ok" : `Want ${row.result}, got ${actual}`,
            message: rr.message,
            skipped: ok && row.result === "skip"
          });
        }
        if (matched === 0 && found === 0) {
          push({
            policy: row.policy,
            rule,
            resource,
            result: "Pass",
            reason: "Excluded",
            message: "Excluded",
            expected: row.result,
            skipped: true
          });
        }
        found += Math.max(matched, 1);
      }
      if (found === 0) {
        push({
          policy: row.policy,
          rule,
          resource,
          result: "Fail",
          reason: "Not found",
          message: "Not found",
          expected: row.result,
          skipped: false,
          resourceKey: key
        });
      }
    }
  }
  return { rows: out, counts };
}
function loadAll(files, loadExpected) {
  const objects = [];
  for (const file of files) {
    const loaded = loadExpected(file);
    if ("error" in loaded) return { error: `failed to load resource (${loaded.error})` };
    objects.push(...loaded.objects);
  }
  return { objects };
}
function checkResources(row, er, rr, loadExpected) {
  if (rr.type === "Generation") return checkGenerated(row, rr, loadExpected);
  if (row.patchedResources === void 0) return void 0;
  const loaded = loadAll([row.patchedResources], loadExpected);
  if ("error" in loaded) return { reason: "Resource error", message: loaded.error };
  const actuals = [er.response.patchedResource, ...rr.patchedTargets ?? []];
  let compared = 0;
  for (const actual of actuals) {
    const expected = findExpected(loaded.objects, actual);
    if (expected === void 0) {
      if (row.failOnMissingResources === true) {
        return {
          reason: "Resource error",
          message: `resource ${resourceIdentity(actual)} not found in ${row.patchedResources}`
        };
      }
      continue;
    }
    compared++;
    const cmp = compareResources(expected, actual);
    if (!cmp.equal) {
      return {
        reason: "Resource diff",
        message: `Patched resource didn't match the patched resource in the test result
${changedLines(cmp.diff)}`
      };
    }
  }
  return compared === 0 ? "dropped" : void 0;
}
function checkGenerated(row, rr, loadExpected) {
  const files = [
    ...row.generatedResource !== void 0 ? [row.generatedResource] : [],
    ...row.generatedResources ?? []
  ];
  const generated = rr.generatedResources ?? [];
  if (files.length === 0 || generated.length === 0) return void 0;
  const loaded = loadAll(files, loadExpected);
  if ("error" in loaded) return { reason: "Resource error", message: loaded.error };
  for (const actual of generated) {
    if (loaded.objects.some((e) => compareGeneratedResources(e, actual).equal)) continue;
    const closest = findExpected(loaded.objects, actual) ?? loaded.objects[0];
    const diff = closest !== void 0 ? `
${changedLines(compareGeneratedResources(closest, actual).diff)}` : "";
    return {
      reason: "Resource diff",
      message: `Generated resource didn't match the generated resource in the test result${diff}`
    };
  }
  return void 0;
}
function changedLines(diff, max = 20) {
  const lines = diff.split("\n").filter((l) => l.startsWith("-") || l.startsWith("+"));
  return lines.length > max ? [...lines.slice(0, max), `... ${lines.length - max} more`].join("\n") : lines.join("\n");
}

// src/cli/run/expected-resources.ts
import { statSync } from "node:fs";
function createExpectedResourceLoader(resolve) {
  const cache = /* @__PURE__ */ new Map();
  return (file) => {
    const hit = cache.get(file);
    if (hit !== void 0) return hit;
    const path = resolve(file);
    if (isDirectory(path)) {
      const result2 = { error: `read ${file}: is a directory` };
      cache.set(file, result2);
      return result2;
    }
    const loaded = loadResources([path]);
    const error = loaded.issues.find((d) => d.severity === "error");
    const result = error !== void 0 ? { error: error.message } : { objects: loaded.resources.map((r) => r.object) };
    cache.set(file, result);
    return result;
  };
}
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// src/cli/run/unmatched-rows.ts
function listed(names, max = 5) {
  if (names.length === 0) return "none";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown}, \u2026 (${names.length} in all)` : shown;
}
function nameMatches(entry, key) {
  const parts = key.split(",");
  const name = parts[parts.length - 1];
  const ns = parts[parts.length - 2];
  const nsName = entry.split("/");
  if (nsName.length === 1) return entry === name;
  return nsName.length === 2 && nsName[0] === ns && nsName[1] === name;
}
function specMatches(spec, key) {
  const parts = key.split(",");
  const gv = spec.group === void 0 || spec.group === "" ? spec.version ?? "" : `${spec.group}/${spec.version ?? ""}`;
  return gv === parts[0] && (spec.namespace ?? "") === parts[parts.length - 2] && spec.name === parts[parts.length - 1];
}
function displayKey(key) {
  const parts = key.split(",");
  return parts.length >= 4 ? [parts[1], parts[2], parts[3]].filter((p) => p !== "").join("/") : key;
}
function unmatchedRows(rows, names) {
  const out = [];
  const policyNames = [...names.policies.keys()];
  for (const row of rows) {
    const policyName = row.policy.split("/").pop() ?? row.policy;
    const policy = names.policies.get(policyName);
    if (policy === void 0) {
      out.push({
        row,
        field: "policy",
        message: `result row names policy "${row.policy}", which the test does not load (policies: ${listed(policyNames)}).${suggestion(policyName, policyNames)}`
      });
    } else if (row.rule !== void 0 && row.rule !== "" && policy.rules !== void 0) {
      const rules = policy.rules.flatMap((n) => [n, `autogen-${n}`, `autogen-cronjob-${n}`]);
      if (!rowIgnoresRule(row, policy.kind) && !rules.some((name) => rowNamesRule(row, name))) {
        out.push({
          row,
          field: "rule",
          message: `result row names rule "${row.rule}", which policy ${policyName} does not have (rules: ${listed(policy.rules)}); Kyverno passes such a row as excluded.${suggestion(row.rule, policy.rules)}`
        });
      }
    }
    const resourceNames = names.resourceKeys.map(displayKey);
    for (const [i, entry] of (row.resources ?? []).entries()) {
      if (names.resourceKeys.some((key) => nameMatches(entry, key))) continue;
      out.push({
        row,
        field: "resources",
        entry: i,
        message: `result row names resource "${entry}", which the test does not load (resources: ${listed(resourceNames)}); Kyverno then checks the row against every resource.${suggestion(
          entry.split("/").pop() ?? entry,
          resourceNames.map((n) => n.split("/").pop() ?? n)
        )}`
      });
    }
    for (const [i, spec] of (row.resourceSpecs ?? []).entries()) {
      if (names.resourceKeys.some((key) => specMatches(spec, key))) continue;
      out.push({
        row,
        field: "resourceSpecs",
        entry: i,
        message: `result row's resourceSpecs[${i}] (${[spec.kind, spec.namespace, spec.name].filter((p) => p).join("/")}) names no resource the test loads (resources: ${listed(resourceNames)})`
      });
    }
  }
  return out;
}

// src/cli/run/run-test-case.ts
function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}
function hasErrors(ds) {
  return ds.some((d) => d.severity === "error");
}
async function runTestCase(test, rows, decoder, limits = {}, strict = false) {
  const spec = test.test;
  const progress = [`Loading test  ( ${test.path} ) ...`];
  const issues = [];
  const p = (x) => testPath(test, x);
  const take = (r) => {
    issues.push(...r.issues);
    return r;
  };
  progress.push("  Loading values/variables ...");
  let values = spec.values;
  if (values === void 0 && spec.variables !== void 0)
    values = take(loadValuesFile(p(spec.variables))).spec;
  let requestInfo;
  if (spec.userinfo !== void 0) {
    progress.push("  Loading user infos ...");
    requestInfo = take(loadUserInfoFile(p(spec.userinfo))).info;
  }
  progress.push("  Loading policies ...");
  const pol = take(loadPolicies(spec.policies.map(p), decoder));
  progress.push("  Loading resources ...");
  const res = take(loadResources(spec.resources.map(p)));
  const targets = take(loadResources((spec.targetResources ?? []).map(p)));
  const clusterFiles = take(loadClusterResources((spec.clusterResources ?? []).map(p), p));
  const json = take(loadJsonPayloads(jsonPayloadPaths(spec).map((key) => ({ key, file: p(key) }))));
  const authz = ["Envoy", "HTTP"].map((mode) => ({
    mode,
    payloads: take(
      loadJsonPayloads(
        ((mode === "Envoy" ? spec.envoyPayloads : spec.httpPayloads) ?? []).map((key) => ({
          key,
          file: p(key)
        }))
      )
    ).payloads
  }));
  progress.push("  Loading exceptions ...");
  const exc = take(loadExceptions((spec.exceptions ?? []).map(p), decoder));
  const typeSchemas = await typeSchemasFor(pol, clusterFiles.crdPaths);
  const offline = compileOfflineSet({
    policies: pol,
    ...typeSchemas !== void 0 ? { typeSchemas } : {},
    exceptions: exc.exceptions,
    celExceptions: exc.celExceptions,
    ...spec.paramResources !== void 0 ? { paramResources: spec.paramResources.map(p) } : {},
    ...spec.context !== void 0 ? { contextFile: p(spec.context) } : {},
    ...spec.apiCallResponses !== void 0 ? { apiCallResponses: spec.apiCallResponses } : {},
    ...spec.globalContextEntries !== void 0 ? { globalContextEntries: spec.globalContextEntries } : {},
    targetResources: targets.resources.map((r) => r.object)
  });
  issues.push(...offline.issues);
  for (const u of pol.unsupported) {
    issues.push(
      ioDiagnostic("policy/unsupported-kind", `${u.kind} ${u.name}: ${u.reason}`, { severity: "warning" })
    );
  }
  if (hasErrors(issues)) return { progress, issues };
  const { uniques, duplicates } = removeDuplicates(res.resources);
  for (const d of duplicates) {
    const m = d.object.metadata;
    progress.push(
      `  warning: found duplicated resource ${d.object.kind} ${m?.name ?? ""} ${m?.namespace ?? ""}`
    );
    issues.push({
      ...ioDiagnostic(
        "resource/duplicate",
        `${d.object.kind} ${m?.namespace !== void 0 && m.namespace !== "" ? `${m.namespace}/` : ""}${m?.name ?? ""} is defined more than once; only its first definition is tested, as in Kyverno's CLI`,
        { severity: "warning" }
      ),
      source: locate(d.source, [])
    });
  }
  const exceptionCount = exc.exceptions.length + exc.celExceptions.length;
  const policyCount = pol.policies.length + offline.celCount + pol.unsupported.length;
  progress.push(
    `  Applying ${plural(policyCount, "policy", "policies")} to ${plural(uniques.length, "resource", "resources")} with ${plural(exceptionCount, "exception", "exceptions")} ...`
  );
  const clusterObjects = [
    ...uniques.map((r) => r.object),
    ...targets.resources.map((r) => r.object),
    ...clusterFiles.objects,
    ...clusterFiles.crds
  ];
  const cloneSourcePaths = [
    ...new Set(rows.flatMap((r) => r.cloneSourceResource !== void 0 ? [p(r.cloneSourceResource)] : []))
  ];
  const cloneSources = loadResources(cloneSourcePaths);
  issues.push(...cloneSources.issues.map((d) => ({ ...d, severity: "warning" })));
  const runtime = {
    ports: createOfflinePorts({
      clusterObjects,
      // Mutate-existing rules read their targets from the fake cluster.
      allowClusterReads: (spec.clusterResources?.length ?? 0) > 0 || (spec.targetResources?.length ?? 0) > 0,
      resourceKinds: crdResourceKinds(clusterFiles.crds),
      cloneSources: cloneSources.resources.map((r) => r.object),
      ...spec.apiCallResponses !== void 0 ? { apiCallResponses: spec.apiCallResponses } : {},
      // Kyverno's test allows API calls (to its fake cluster) only with cluster resources.
      apiCallsFromCluster: (spec.clusterResources?.length ?? 0) > 0,
      ...spec.globalContextEntries !== void 0 ? { globalContextEntries: spec.globalContextEntries } : {}
    }),
    limits
  };
  const clusterMode = (spec.clusterResources?.length ?? 0) > 0;
  const celPorts = clusterMode && runtime.ports.cluster !== void 0 ? { ...offline.celPorts, cluster: runtime.ports.cluster } : offline.celPorts;
  const inputs = {
    ...values !== void 0 ? { values } : {},
    ...requestInfo !== void 0 ? { requestInfo } : {},
    targets: targets.resources.map((r) => r.object),
    ...clusterMode ? { clusterNamespaces: namespacesIn(clusterObjects) } : {}
  };
  for (const r of uniques) {
    const missing = missingClusterNamespace(r.object, inputs);
    if (missing !== void 0)
      return { progress, issues: [...issues, ioDiagnostic("test/invalid", missing)] };
  }
  const byOperation = /* @__PURE__ */ new Map();
  const failedGenerations = /* @__PURE__ */ new Map();
  for (const op of new Set(rows.map((r) => rowOperation(r.operation)))) {
    const map = /* @__PURE__ */ new Map();
    for (const r of uniques) {
      const request = offlineRequest(r.object, inputs, op);
      const responses = [
        ...(await admit(offline.set, request, runtime, { profile: "cli", celPorts })).responses
      ];
      map.set(resourceKey(r.object), responses);
      for (const d of generateFailures(responses, r)) {
        if (!failedGenerations.has(d.message)) failedGenerations.set(d.message, d);
      }
    }
    for (const payload of json.payloads) {
      map.set(
        payload.key,
        evaluatePayload(offline.set, offlineRequest(payload.value, inputs), runtime, {
          celPorts
        })
      );
    }
    for (const { mode, payloads } of authz) {
      for (const payload of payloads)
        map.set(payload.key, evaluateAuthzPayload(offline.set, mode, payload.value, runtime, { celPorts }));
    }
    byOperation.set(op ?? "", map);
  }
  const names = {
    policies: loadedPolicyNames(pol),
    resourceKeys: [
      ...uniques.map((r) => resourceKey(r.object)),
      ...targets.resources.map((r) => resourceKey(r.object)),
      ...json.payloads.map((x) => x.key)
    ]
  };
  const resultIndex = new Map((spec.results ?? []).map((r, i) => [r, i]));
  for (const u of unmatchedRows(rows, names)) {
    const at = test.locate?.([
      "results",
      resultIndex.get(u.row) ?? 0,
      u.field,
      ...u.entry !== void 0 ? [u.entry] : []
    ]);
    issues.push(
      ioDiagnostic("test/unmatched-row", u.message, {
        severity: strict ? "error" : "warning",
        file: test.path,
        ...at !== void 0 ? { line: at.line, column: at.column } : {}
      })
    );
  }
  issues.push(...failedGenerations.values());
  progress.push("  Checking results ...");
  const responsesFor = (row) => byOperation.get(rowOperation(row.operation) ?? "") ?? /* @__PURE__ */ new Map();
  const checked = checkResults(rows, responsesFor, createExpectedResourceLoader(p));
  return {
    progress,
    issues,
    rows: locateFailedRows(checked.rows, uniques, json.payloads),
    counts: checked.counts
  };
}
function loadedPolicyNames(pol) {
  const names = /* @__PURE__ */ new Map();
  for (const { policy } of pol.policies)
    names.set(policy.metadata.name, {
      kind: policy.kind,
      rules: (policy.spec.rules ?? []).map((r) => r.name)
    });
  const ruleless = [
    ...pol.validatingPolicies,
    ...pol.generatingPolicies,
    ...pol.deletingPolicies,
    ...pol.imageValidatingPolicies,
    ...pol.admissionPolicies,
    ...pol.mutatingPolicies,
    ...pol.mutatingAdmissionPolicies
  ];
  for (const { policy } of ruleless) {
    const { kind, metadata } = policy;
    if (metadata?.name !== void 0 && !names.has(metadata.name)) names.set(metadata.name, { kind });
  }
  for (const u of pol.unsupported) if (!names.has(u.name)) names.set(u.name, { kind: u.kind });
  return names;
}
function namespacesIn(objects) {
  const out = /* @__PURE__ */ new Map();
  for (const o of objects)
    if (o.kind === "Namespace" && o.metadata?.name !== void 0) out.set(o.metadata.name, o);
  return out;
}

// src/cli/run/test-case-selector.ts
function parseSelector(text) {
  const sel = { policy: "*", rule: "*", resource: "*" };
  const errors = [];
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const [k, v, ...rest] = part.split("=");
    const key = (k ?? "").trim();
    if (v === void 0 || rest.length > 0 || !(key === "policy" || key === "rule" || key === "resource")) {
      errors.push(`invalid test case selector "${part}" (expected policy=\u2026, rule=\u2026 or resource=\u2026)`);
      continue;
    }
    sel[key] = v.trim();
  }
  return { selector: sel, errors };
}
function selectRow(sel, row) {
  if (!wildcardMatch(sel.policy, row.policy)) return false;
  if (!wildcardMatch(sel.rule, row.rule ?? "")) return false;
  if (sel.resource === "*") return true;
  return (row.resources ?? []).some((r) => wildcardMatch(sel.resource, r));
}

// src/cli/commands/test.ts
var TEST_HELP = `Run tests from a local folder: every kyverno-test.yaml below the given paths.

Usage:
  palisade test <folder|file>... [flags]

Examples:
  # run every test below the current folder
  palisade test .

  # run only the rows of one policy, with messages
  palisade test ./policies --test-case-selector "policy=disallow-latest-tag" --detailed-results

Flags:
  -f, --file-name string            test file name (default "kyverno-test.yaml")
  -t, --test-case-selector string   filter rows (default "policy=*,rule=*,resource=*")
  -o, --output-format string        table | json | yaml | junit | sarif | github | markdown
                                    (default: table; --output is the same flag)
      --report format=file          also write junit | sarif | github | markdown to a file
                                    from the same run (repeatable)
      --detailed-results            add a MESSAGE column
      --fail-only                   print only failed rows
      --require-tests               fail when no test file is found
      --strict                      fail when a result row names a policy, rule or resource
                                    the test does not load (default: a warning)
      --remove-color                accepted for compatibility (output is never colored)
${limitFlagsHelp(36)}
  -h, --help                        help for test`;
var OPTIONS = {
  "file-name": { type: "string", short: "f" },
  "test-case-selector": { type: "string", short: "t" },
  "output-format": { type: "string", short: "o" },
  output: { type: "string" },
  "detailed-results": { type: "boolean" },
  "fail-only": { type: "boolean" },
  "require-tests": { type: "boolean" },
  strict: { type: "boolean" },
  report: { type: "string", multiple: true },
  "remove-color": { type: "boolean" },
  registry: { type: "boolean" },
  "git-branch": { type: "string", short: "b" },
  ...LIMIT_OPTIONS,
  help: { type: "boolean", short: "h" }
};
var FORMATS = /* @__PURE__ */ new Set(["table", "json", "yaml", "markdown", "junit", "sarif", "github"]);
async function testCommand(argv, ctx) {
  const out = new Output();
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) {
    out.error(`Error: ${parsed.error}`);
    out.error("Run 'palisade test --help' for usage.");
    return out.result(EXIT_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    out.line(TEST_HELP);
    return out.result(EXIT_OK);
  }
  if (positionals.length === 0) {
    out.error("Error: a folder or test file is required");
    out.error("Run 'palisade test --help' for usage.");
    return out.result(EXIT_USAGE);
  }
  const format = str(values["output-format"]) ?? str(values.output);
  if (format !== void 0 && !FORMATS.has(format)) {
    out.error(`Error: unknown output format "${format}" (${[...FORMATS].join(", ")})`);
    return out.result(EXIT_USAGE);
  }
  const reportFormat = isReportFormat(format) ? format : void 0;
  const outputFormat = format === void 0 || format === "table" || reportFormat !== void 0 ? "text" : format;
  const text = outputFormat === "text" && reportFormat === void 0;
  const detailed = values["detailed-results"] === true;
  const failOnly = values["fail-only"] === true;
  const strict = values.strict === true;
  const sel = parseSelector(str(values["test-case-selector"]) ?? "policy=*,rule=*,resource=*");
  if (sel.errors.length > 0) {
    for (const e of sel.errors) out.error(`Error: ${e}`);
    return out.result(EXIT_USAGE);
  }
  const reportFiles = parseReportFiles(strs(values.report));
  if (!reportFiles.ok) {
    out.error(`Error: ${reportFiles.error}`);
    return out.result(EXIT_USAGE);
  }
  const limitFlags = parseLimitFlags(values);
  if (!limitFlags.ok) {
    out.error(`Error: ${limitFlags.error}`);
    return out.result(EXIT_USAGE);
  }
  const discovered = discoverTests(positionals, str(values["file-name"]) ?? "kyverno-test.yaml");
  let loadFailed = discovered.issues.some((d) => d.severity === "error");
  const issues = [...discovered.issues];
  for (const d of renderDiagnostics(discovered.issues)) out.error(d);
  const toolVersion = readPackage().version;
  const writeReports = (report) => {
    const errors = writeReportFiles(reportFiles.files, report, { toolVersion });
    for (const e of errors) out.error(e);
    return errors.length === 0;
  };
  const renderLoadOnly = () => {
    writeReports({ ...testFindings([]), inputProblems: inputProblems(issues) });
    if (reportFormat !== void 0)
      out.line(
        renderReport(
          reportFormat,
          { ...testFindings([]), inputProblems: inputProblems(issues) },
          { toolVersion }
        )
      );
    else if (!text)
      out.line(
        renderRecords(
          errorRecords(inputProblems(issues)),
          outputFormat,
          detailed
        )
      );
  };
  if (discovered.files.length === 0) {
    const yaml = loadFailed ? [] : expandPaths(positionals).files;
    if (!loadFailed && yaml.length === 0 && values["allow-empty"] !== true) {
      out.error(`Error: no YAML files in ${positionals.join(", ")} (use --allow-empty to accept that)`);
      return out.result(EXIT_INPUT);
    }
    if (text) out.line("\nNo test yamls available");
    if (loadFailed) renderLoadOnly();
    else writeReports({ ...testFindings([]), inputProblems: inputProblems(issues) });
    if (values["require-tests"] === true) {
      out.error("Error: no test file found");
      return out.result(loadFailed ? EXIT_INPUT : EXIT_FAILURE);
    }
    return out.result(loadFailed ? EXIT_INPUT : EXIT_OK);
  }
  const decoder = await getPolicyDecoder();
  const counts = { pass: 0, fail: 0, skip: 0 };
  let unmatched = 0;
  const failed = [];
  const records = [];
  const shownRows = [];
  for (const [index, file] of discovered.files.entries()) {
    ctx.progress?.(index, discovered.files.length, "tests");
    for (const test of loadTests(file)) {
      issues.push(...test.issues);
      for (const d of renderDiagnostics(test.issues)) out.error(d);
      if (test.test === void 0) {
        loadFailed = true;
        continue;
      }
      const rows = (test.test.results ?? []).filter((r) => selectRow(sel.selector, r));
      if (rows.length === 0) continue;
      const run = await runTestCase(test, rows, decoder, limitFlags.limits, strict);
      if (text) for (const l of run.progress) out.line(l);
      issues.push(...run.issues);
      for (const d of renderDiagnostics(run.issues)) out.error(d);
      if (run.rows === void 0 || run.counts === void 0) {
        loadFailed = true;
        out.error(`Error: failed to load test ${file}`);
        continue;
      }
      unmatched += run.issues.filter((d) => d.code === "test/unmatched-row").length;
      counts.pass += run.counts.pass;
      counts.fail += run.counts.fail;
      counts.skip += run.counts.skip;
      const fails = run.rows.filter((r) => r.result === "Fail");
      failed.push(...fails);
      const shown = failOnly ? fails : run.rows;
      records.push(...toRecords(file, shown, detailed));
      shownRows.push(...shown);
      if (text) {
        out.line();
        out.line(renderResultTable(shown, detailed, ctx.color === true));
        out.line();
        const notes = new Set(run.rows.flatMap((r) => r.note !== void 0 ? [r.note] : []));
        for (const n of notes) out.line(`  note: ${n}`);
      }
    }
  }
  ctx.progress?.(discovered.files.length, discovered.files.length, "tests");
  if (text) {
    if (failOnly)
      out.line(
        `
Test Summary: ${counts.fail} out of ${counts.pass + counts.skip + counts.fail} tests failed`
      );
    else
      out.line(`
Test Summary: ${counts.pass + counts.skip} tests passed and ${counts.fail} tests failed`);
    out.line();
    if (counts.fail > 0 && !failOnly) {
      out.line("Aggregated Failed Test Cases : ");
      out.line(
        renderResultTable(
          failed.map((r, i) => ({ ...r, id: i + 1 })),
          detailed
        )
      );
    }
  } else if (reportFormat !== void 0) {
    const report = { ...testFindings(shownRows), inputProblems: inputProblems(issues) };
    out.line(renderReport(reportFormat, report, { toolVersion }));
  } else {
    const all = [...records, ...errorRecords(inputProblems(issues))];
    out.line(renderRecords(all, outputFormat, detailed));
  }
  const reportsWritten = writeReports({ ...testFindings(shownRows), inputProblems: inputProblems(issues) });
  if (counts.fail > 0) out.error(`Error: ${counts.fail} tests failed`);
  if (loadFailed && counts.fail === 0) out.error("Error: some tests could not be loaded");
  const strictFailures = strict ? unmatched : 0;
  if (strictFailures > 0)
    out.error(
      `Error: ${strictFailures} result row(s) name a policy, rule or resource the test does not load (--strict)`
    );
  if (loadFailed || !reportsWritten) return out.result(EXIT_INPUT);
  return out.result(counts.fail > 0 || strictFailures > 0 ? EXIT_FAILURE : EXIT_OK);
}
export {
  TEST_HELP,
  testCommand
};
