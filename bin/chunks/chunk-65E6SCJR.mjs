import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  DEFAULT_LIMITS,
  ioDiagnostic,
  require_dist,
  valueDepth
} from "./chunk-V4OAECUS.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/io/yaml/load-documents.ts
var import_yaml2 = __toESM(require_dist(), 1);

// src/io/yaml/positions.ts
var import_yaml = __toESM(require_dist(), 1);
function isMapPositions(p) {
  return typeof p === "object" && p !== null && "keys" in p;
}
function isSeqPositions(p) {
  return typeof p === "object" && p !== null && "items" in p;
}
function startOf(p) {
  return typeof p === "number" ? p : p.start;
}
function indexNode(node, keyStrings = /* @__PURE__ */ new Map()) {
  const index = (n) => indexNode(n, keyStrings);
  if ((0, import_yaml.isMap)(node)) {
    return {
      start: rangeStart(node),
      keys: node.items.map(
        (pair) => intern(keyStrings, String((0, import_yaml.isScalar)(pair.key) ? pair.key.value : pair.key))
      ),
      keyNodes: node.items.map((pair) => index(pair.key)),
      values: node.items.map((pair) => index(pair.value))
    };
  }
  if ((0, import_yaml.isSeq)(node)) return { start: rangeStart(node), items: node.items.map(index) };
  if (node === null || typeof node !== "object") return null;
  return rangeStart(node);
}
function intern(strings, s) {
  const known = strings.get(s);
  if (known !== void 0) return known;
  strings.set(s, s);
  return s;
}
function rangeStart(node) {
  const range = node.range;
  return range?.[0] ?? -1;
}

// src/io/yaml/load-documents.ts
var MAX_SYNTAX_ISSUES = 10;
function kubernetesTagsOf(tags) {
  return tags.filter((t) => {
    const tag = typeof t === "object" && t !== null && "tag" in t ? t : void 0;
    if (tag === void 0) return true;
    return !tag.tag.endsWith(":timestamp") && tag.format !== "TIME";
  }).map((t) => {
    const tag = typeof t === "object" && t !== null && "tag" in t ? t : void 0;
    if (tag?.resolve === void 0 || !(tag.tag.endsWith(":float") || tag.tag.endsWith(":int"))) return t;
    const resolve = tag.resolve;
    return {
      ...tag,
      resolve: (src, ...rest) => {
        const v = resolve(src, ...rest);
        const n = (0, import_yaml2.isScalar)(v) ? v.value : v;
        return typeof n === "number" && Number.isNaN(n) && !/^\.nan$/i.test(src) ? src : v;
      }
    };
  });
}
var lastTags;
function kubernetesTags(tags) {
  const same = lastTags?.input.length === tags.length && tags.every((t, i) => t === lastTags?.input[i]);
  if (!same || lastTags === void 0) lastTags = { input: tags, output: kubernetesTagsOf(tags) };
  return lastTags.output.slice();
}
var PARSE_OPTIONS = {
  version: "1.1",
  uniqueKeys: false,
  customTags: kubernetesTags,
  // yaml would print a process warning for a mapping used as a key (an unrendered Helm `{{ }}`);
  // problems are reported as diagnostics, never as stray stderr lines.
  logLevel: "error"
};
function composeDocuments(text, lineCounter) {
  const parser = new import_yaml2.Parser(lineCounter?.addNewLine);
  return new import_yaml2.Composer(PARSE_OPTIONS).compose(parser.parse(text));
}
function fileText(text, lineCounter) {
  let docs;
  return {
    text,
    lineCounter,
    document: (index) => {
      docs ??= Array.from(composeDocuments(text));
      return docs[index];
    }
  };
}
function errorPosition(lc, offset) {
  if (offset === void 0) return { line: 1, column: 1 };
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}
function isForbidden(c) {
  if (c < 32) return c !== 9 && c !== 10 && c !== 13;
  if (c >= 127 && c <= 159) return c !== 133;
  return c === 65534 || c === 65535;
}
function controlCharacterIssue(text, file) {
  let offset = -1;
  for (let i = 0; i < text.length; i++) {
    if (isForbidden(text.charCodeAt(i))) {
      offset = i;
      break;
    }
  }
  if (offset < 0) return void 0;
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const cp = text.charCodeAt(offset).toString(16).toUpperCase().padStart(4, "0");
  const binary = text.charCodeAt(offset) === 0 ? " (is this a binary file?)" : "";
  return ioDiagnostic("yaml/syntax-error", `control character U+${cp} is not allowed in YAML${binary}`, {
    file,
    line,
    column: offset - lineStart + 1
  });
}
function isCollection(node) {
  return (0, import_yaml2.isMap)(node) || (0, import_yaml2.isSeq)(node);
}
function duplicateKeyIssues(doc, lc, file, index, severity) {
  const out = [];
  const stack = [[doc.contents, []]];
  while (stack.length > 0 && out.length < MAX_SYNTAX_ISSUES) {
    const [node, path] = stack.pop();
    if ((0, import_yaml2.isMap)(node)) {
      const seen = /* @__PURE__ */ new Set();
      for (const pair of node.items) {
        const key = (0, import_yaml2.isScalar)(pair.key) ? String(pair.key.value) : void 0;
        if (key !== void 0 && key !== "<<") {
          if (seen.has(key)) {
            const keyNode = pair.key;
            out.push(
              ioDiagnostic(
                "yaml/duplicate-key",
                `mapping key "${key}" already defined${severity === "warning" ? "; the last value is used" : ""}`,
                {
                  file,
                  document: index,
                  severity,
                  path: [...path, key],
                  ...errorPosition(lc, keyNode.range?.[0])
                }
              )
            );
          }
          seen.add(key);
        }
        if (isCollection(pair.value)) stack.push([pair.value, key !== void 0 ? [...path, key] : path]);
      }
    } else if ((0, import_yaml2.isSeq)(node)) {
      node.items.forEach((item, i) => {
        if (isCollection(item)) stack.push([item, [...path, i]]);
      });
    }
  }
  return out;
}
function loadDocuments(text, file, options = {}) {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const issues = [];
  const documents = [];
  if (Buffer.byteLength(text, "utf8") > limits.maxFileBytes) {
    issues.push(
      ioDiagnostic("limits/exceeded", `input is larger than ${limits.maxFileBytes} bytes`, { file })
    );
    return { documents, issues };
  }
  const control = controlCharacterIssue(text, file);
  if (control !== void 0) return { documents, issues: [control] };
  const lineCounter = new import_yaml2.LineCounter();
  const shared = fileText(text, lineCounter);
  const keyStrings = /* @__PURE__ */ new Map();
  let syntaxIssues = 0;
  let omitted = 0;
  const report = (d) => {
    if (syntaxIssues < MAX_SYNTAX_ISSUES) {
      issues.push(d);
      syntaxIssues++;
    } else omitted++;
  };
  const loadOne = (doc, index2) => {
    if (doc.errors.length > 0) {
      const exhausted = doc.errors.find((e) => e.code === "RESOURCE_EXHAUSTION");
      const errors = exhausted !== void 0 ? [exhausted] : doc.errors;
      const seen = /* @__PURE__ */ new Set();
      for (const e of errors) {
        const pos = errorPosition(lineCounter, e.pos[0]);
        const code = e.code === "RESOURCE_EXHAUSTION" ? "limits/exceeded" : "yaml/syntax-error";
        const message = code === "limits/exceeded" ? `document nests too deeply to be parsed (limit ${limits.maxDepth})` : e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        const key = `${pos.line}:${pos.column}:${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        report(ioDiagnostic(code, message, { file, document: index2, ...pos }));
      }
      return;
    }
    let value;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      const msg = err instanceof RangeError ? `document nests too deeply (limit ${limits.maxDepth})` : `too many alias references (limit ${limits.maxAliasCount}): ${err.message}`;
      issues.push(
        ioDiagnostic("limits/exceeded", msg, {
          file,
          document: index2,
          ...errorPosition(lineCounter, doc.range[0])
        })
      );
      return;
    }
    if (valueDepth(value, limits.maxDepth) > limits.maxDepth) {
      issues.push(
        ioDiagnostic("limits/exceeded", `document nests deeper than ${limits.maxDepth} levels`, {
          file,
          document: index2,
          ...errorPosition(lineCounter, doc.range[0])
        })
      );
      return;
    }
    const severity = options.duplicateKeys ?? "warning";
    const dups = duplicateKeyIssues(doc, lineCounter, file, index2, severity);
    issues.push(...dups);
    if (severity === "error" && dups.length > 0) return;
    if (value === null || value === void 0) return;
    const positions = {
      file: shared,
      start: doc.range[0],
      root: indexNode(doc.contents, keyStrings)
    };
    if (options.expandLists === true && isList(value)) {
      value.items.forEach((item, i) => {
        documents.push({ file, index: index2, value: item, positions, basePath: ["items", i] });
      });
      return;
    }
    documents.push({ file, index: index2, value, positions, basePath: [] });
  };
  let index = 0;
  try {
    for (const doc of composeDocuments(text, lineCounter)) loadOne(doc, index++);
  } catch (err) {
    return {
      documents: [],
      issues: [
        ioDiagnostic("limits/exceeded", `input could not be parsed safely: ${err.message}`, {
          file
        })
      ]
    };
  }
  if (omitted > 0)
    issues.push(ioDiagnostic("yaml/syntax-error", `${omitted} more syntax error(s) not shown`, { file }));
  return { documents, issues };
}
function isList(v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const o = v;
  return typeof o.kind === "string" && o.kind.endsWith("List") && o.apiVersion === "v1" && Array.isArray(o.items);
}

export {
  isMapPositions,
  isSeqPositions,
  startOf,
  loadDocuments
};
