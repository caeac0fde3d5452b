import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  formatDiagnostic
} from "./chunk-RH4DGFA7.mjs";
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
  parseCommandArgs,
  str,
  strs
} from "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import {
  loadDocuments,
  readText
} from "./chunk-BEDWXCWF.mjs";
import "./chunk-DBKA2XEV.mjs";
import {
  formatJmespathAst,
  listFunctions,
  searchJmespath
} from "./chunk-VRWKX5IU.mjs";
import "./chunk-34UHWEGN.mjs";

// src/cli/commands/jp.ts
var JP_HELP = `JMESPath with Kyverno's custom functions.

Usage:
  palisade jp query [expression...] [-i input] [-q query-file] [-c] [-u]
  palisade jp parse [expression...] [-f file]
  palisade jp function [name...]

Examples:
  # evaluate against a YAML/JSON file
  palisade jp query -i pod.yaml "metadata.name"

  # input from stdin
  echo '{"a": "x"}' | palisade jp query "to_upper(a)"

  # print the parse tree
  palisade jp parse "request.object.spec.containers[?name=='app'].image"

  # document one function
  palisade jp function truncate`;
var QUERY_OPTIONS = {
  input: { type: "string", short: "i" },
  query: { type: "string", short: "q", multiple: true },
  compact: { type: "boolean", short: "c" },
  unquoted: { type: "boolean", short: "u" },
  help: { type: "boolean", short: "h" }
};
function render(value, compact, unquoted) {
  if (unquoted && typeof value === "string") return value;
  return compact ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}
function signature(f) {
  const arg = (a) => {
    const t = a.types.join("|");
    return a.variadic === true ? `${t}...` : a.optional === true ? `[${t}]` : t;
  };
  return `${f.name}(${f.args.map(arg).join(", ")}) ${f.returns.join("|")}`;
}
function loadInput(path, ctx, out) {
  const read = readText(path ?? "-", ctx.stdin);
  if (!read.ok) {
    out.error(formatDiagnostic(read.issue));
    return { ok: false };
  }
  const loaded = loadDocuments(read.text, path ?? "<stdin>");
  for (const d of loaded.issues) out.error(formatDiagnostic(d));
  if (loaded.issues.some((d) => d.severity === "error")) return { ok: false };
  return { ok: true, data: loaded.documents[0]?.value ?? null };
}
function parseJpArgs(argv, options, out) {
  const parsed = parseCommandArgs(argv, options);
  if (!parsed.ok) {
    out.error(`Error: ${parsed.error}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help === true) {
    out.line(JP_HELP);
    return EXIT_OK;
  }
  return parsed;
}
function withFileTexts(given, files, stdin, out) {
  const all = [...given];
  for (const f of files) {
    const r = readText(f, stdin);
    if (!r.ok) {
      out.error(formatDiagnostic(r.issue));
      return EXIT_INPUT;
    }
    all.push(r.text.trim());
  }
  return all;
}
function runQuery(argv, ctx, out) {
  const parsed = parseJpArgs(argv, QUERY_OPTIONS, out);
  if (typeof parsed === "number") return parsed;
  const queries = withFileTexts(parsed.positionals, strs(parsed.values.query), void 0, out);
  if (typeof queries === "number") return queries;
  if (queries.length === 0) {
    out.error("Error: at least one query is required");
    return EXIT_USAGE;
  }
  const input = loadInput(str(parsed.values.input), ctx, out);
  if (!input.ok) return EXIT_INPUT;
  let code = EXIT_OK;
  for (const q of queries) {
    try {
      out.line(
        render(
          searchJmespath(q, input.data, { now: () => /* @__PURE__ */ new Date() }),
          parsed.values.compact === true,
          parsed.values.unquoted === true
        )
      );
    } catch (err) {
      out.error(`Error: ${err.message}`);
      code = EXIT_FAILURE;
    }
  }
  return code;
}
function runParse(argv, ctx, out) {
  const parsed = parseJpArgs(
    argv,
    { file: { type: "string", short: "f", multiple: true }, help: { type: "boolean", short: "h" } },
    out
  );
  if (typeof parsed === "number") return parsed;
  const given = withFileTexts(parsed.positionals, strs(parsed.values.file), void 0, out);
  if (typeof given === "number") return given;
  const exprs = given.length > 0 ? given : withFileTexts([], ["-"], ctx.stdin, out);
  if (typeof exprs === "number") return exprs;
  let code = EXIT_OK;
  for (const e of exprs) {
    try {
      out.line(`# ${e}`);
      out.line(formatJmespathAst(e));
    } catch (err) {
      out.error(`Error: ${err.message}`);
      code = EXIT_FAILURE;
    }
  }
  return code;
}
function runFunction(argv, out) {
  const parsed = parseCommandArgs(argv, { help: { type: "boolean", short: "h" } });
  if (!parsed.ok) {
    out.error(`Error: ${parsed.error}`);
    return EXIT_USAGE;
  }
  const all = listFunctions();
  const names = parsed.positionals;
  const chosen = names.length === 0 ? all : all.filter((f) => names.includes(f.name));
  for (const n of names) if (!all.some((f) => f.name === n)) out.error(`Error: unknown function "${n}"`);
  for (const f of chosen) {
    out.line(`Name: ${f.name}`);
    out.line(`Signature: ${signature(f)}`);
    if (f.note !== "") out.line(`Note: ${f.note}`);
    out.line();
  }
  return chosen.length === names.length || names.length === 0 ? EXIT_OK : EXIT_FAILURE;
}
async function jpCommand(argv, ctx) {
  const out = new Output();
  const [sub, ...rest] = argv;
  if (sub === void 0 || sub === "--help" || sub === "-h") {
    out.line(JP_HELP);
    return out.result(sub === void 0 ? EXIT_USAGE : EXIT_OK);
  }
  if (sub === "query") return out.result(runQuery(rest, ctx, out));
  if (sub === "parse") return out.result(runParse(rest, ctx, out));
  if (sub === "function") return out.result(runFunction(rest, out));
  out.error(`Error: unknown command "${sub}" for "palisade jp" (query, parse or function)`);
  return out.result(EXIT_USAGE);
}
export {
  JP_HELP,
  jpCommand,
  signature
};
