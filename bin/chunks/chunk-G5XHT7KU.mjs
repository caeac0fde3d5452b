import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  DEFAULT_EVALUATION_LIMITS
} from "./chunk-VRWKX5IU.mjs";

// src/io/flags/limits-flags.ts
var FLAGS = [
  {
    flag: "max-context-size",
    limit: "maxContextSize",
    kind: "size",
    help: "JSON size of what rules add to the context"
  },
  { flag: "max-value-size", limit: "maxValueSize", kind: "size", help: "size of one substituted value" },
  { flag: "max-message-size", limit: "maxMessageSize", kind: "size", help: "length of a rule message" },
  {
    flag: "max-substitution-passes",
    limit: "maxSubstitutionPasses",
    kind: "count",
    help: "re-scans of a string whose substituted values hold variables"
  },
  {
    flag: "max-substitution-output",
    limit: "maxSubstitutionOutput",
    kind: "size",
    help: "text substitution may build per rule"
  },
  { flag: "max-regex-input", limit: "maxRegexInput", kind: "size", help: "string a regex runs on" },
  { flag: "max-jmespath-cost", limit: "maxJmespathCost", kind: "count", help: "JMESPath work per rule" },
  {
    flag: "max-foreach-elements",
    limit: "maxForeachElements",
    kind: "count",
    help: "elements of a foreach list"
  },
  { flag: "max-cel-cost", limit: "maxCelCost", kind: "count", help: "CEL work per expression" },
  {
    flag: "timeout",
    limit: "requestTimeoutMs",
    kind: "duration",
    help: "time for one resource (one admission request), all policies together"
  },
  { flag: "rule-timeout", limit: "ruleTimeoutMs", kind: "duration", help: "time for one rule" },
  {
    flag: "max-request-jmespath-cost",
    limit: "maxRequestJmespathCost",
    kind: "count",
    help: "JMESPath work per resource, all policies together"
  },
  {
    flag: "max-request-substitution-output",
    limit: "maxRequestSubstitutionOutput",
    kind: "size",
    help: "text substitution may build per resource, all policies together"
  },
  {
    flag: "max-request-cel-cost",
    limit: "maxRequestCelCost",
    kind: "count",
    help: "CEL work per resource, all expressions together"
  }
];
var LIMIT_OPTIONS = {
  ...Object.fromEntries(FLAGS.map((f) => [f.flag, { type: "string" }])),
  "allow-empty": { type: "boolean" }
};
function shown(f) {
  const v = DEFAULT_EVALUATION_LIMITS[f.limit];
  if (f.kind === "duration") return v % 1e3 === 0 ? `${v / 1e3}s` : `${v}ms`;
  if (f.kind === "size" && v % (1024 * 1024) === 0) return `${v / 1024 / 1024}Mi`;
  if (f.kind === "size" && v % 1024 === 0) return `${v / 1024}Ki`;
  return String(v);
}
function limitFlagsHelp(column) {
  const line = (name, text) => name.length < column ? `${name.padEnd(column)}${text}` : `${name}
${" ".repeat(column)}${text}`;
  return [
    line("      --allow-empty", "accept a folder, file or stdin holding no YAML document"),
    ...FLAGS.map((f) => {
      const type = f.kind === "duration" ? "duration" : f.kind === "size" ? "size" : "int";
      return line(`      --${f.flag} ${type}`, `limit: ${f.help} (default ${shown(f)})`);
    }),
    line("", "limits are described in docs/limits.md; sizes take Ki/Mi/Gi, durations ms/s/m")
  ].join("\n");
}
var SIZE_UNITS = {
  "": 1,
  K: 1e3,
  M: 1e3 ** 2,
  G: 1e3 ** 3,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3
};
var DURATION_UNITS = { ms: 1, s: 1e3, m: 6e4 };
function parseLimitValue(kind, text) {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(text.trim());
  if (m === null) return void 0;
  const units = kind === "duration" ? { "": 1e3, ...DURATION_UNITS } : kind === "size" ? SIZE_UNITS : { "": 1 };
  const factor = units[m[2] ?? ""];
  if (factor === void 0) return void 0;
  const value = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(value) && value > 0 ? value : void 0;
}
function parseCountValue(text) {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return void 0;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : void 0;
}
function parseRateValue(text) {
  const t = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(t)) return void 0;
  const n = Number(t);
  return Number.isFinite(n) ? n : void 0;
}
function parseLimitFlags(values) {
  const limits = {};
  for (const f of FLAGS) {
    const raw = values[f.flag];
    if (typeof raw !== "string") continue;
    const value = parseLimitValue(f.kind, raw);
    if (value === void 0) {
      const expected = f.kind === "duration" ? "a duration such as 30s or 1500ms" : f.kind === "size" ? "a positive size such as 4Mi or 500000" : "a positive integer";
      return { ok: false, error: `--${f.flag} expects ${expected}, got "${raw}"` };
    }
    limits[f.limit] = value;
  }
  return { ok: true, limits };
}
function applyEmptyInputRule(issues, values) {
  if (values["allow-empty"] === true) return;
  for (const [i, d] of issues.entries())
    if (d.code === "input/empty" && d.severity === "warning") issues[i] = { ...d, severity: "error" };
}

export {
  LIMIT_OPTIONS,
  limitFlagsHelp,
  parseLimitValue,
  parseCountValue,
  parseRateValue,
  parseLimitFlags,
  applyEmptyInputRule
};
