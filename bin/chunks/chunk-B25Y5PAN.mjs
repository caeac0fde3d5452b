import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  STDIN,
  UNPLACED,
  deepestStart,
  displayName,
  expandPaths,
  ioDiagnostic,
  loadDocuments,
  readText,
  streamDocuments
} from "./chunk-BEDWXCWF.mjs";
import {
  DEFAULT_LIMITS
} from "./chunk-DBKA2XEV.mjs";
import {
  loadCelPolicyException,
  loadDeletingPolicy,
  loadGeneratingPolicy,
  loadImageValidatingPolicy,
  loadKyvernoPolicy,
  loadMutatingAdmissionPolicy,
  loadMutatingAdmissionPolicyBinding,
  loadMutatingPolicy,
  loadPolicyException,
  loadValidatingAdmissionPolicy,
  loadValidatingAdmissionPolicyBinding,
  loadValidatingPolicy,
  require_dist
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/io/yaml/source-map.ts
var import_yaml = __toESM(require_dist(), 1);
function child(node, seg, keyOfLast) {
  if ((0, import_yaml.isMap)(node)) {
    for (const pair of node.items) {
      const key = (0, import_yaml.isScalar)(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(seg)) return keyOfLast ? pair.key : pair.value ?? pair.key;
    }
    return void 0;
  }
  if ((0, import_yaml.isSeq)(node) && typeof seg === "number") return node.items[seg];
  return void 0;
}
function valueOffset(value, pos) {
  const lines = value.split("\n");
  if (pos.line < 1 || pos.line > lines.length || pos.column < 1) return void 0;
  let offset = 0;
  for (let i = 0; i < pos.line - 1; i++) offset += lines[i].length + 1;
  const col = Math.min(pos.column - 1, lines[pos.line - 1].length);
  return offset + col;
}
function quotedOffset(src, start, target, double) {
  if (src.includes("\n") || src.includes("\r")) return void 0;
  let i = 1;
  let v = 0;
  const end = src.length - 1;
  while (v < target && i < end) {
    if (!double && src[i] === "'" && src[i + 1] === "'") {
      i += 2;
      v++;
    } else if (double && src[i] === "\\") {
      const e = src[i + 1];
      if (e === "x") i += 4;
      else if (e === "u") i += 6;
      else if (e === "U") {
        const cp = Number.parseInt(src.slice(i + 2, i + 10), 16);
        v += Number.isFinite(cp) && cp > 65535 ? 1 : 0;
        i += 10;
      } else i += 2;
      v++;
    } else {
      i++;
      v++;
    }
  }
  return v === target && i <= end ? start + i : void 0;
}
function alignedOffset(text, node, value, target) {
  const [start, end] = node.range;
  const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
  let pos = start;
  if (block) {
    const headerEnd = text.indexOf("\n", start);
    if (headerEnd < 0 || headerEnd >= end) return void 0;
    if (/\d/.test(text.slice(start, headerEnd).replace(/#.*$/, ""))) return void 0;
    pos = headerEnd + 1;
  }
  const lines = [];
  let indent;
  while (pos < end) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0 || eol > end) eol = end;
    const raw = text.slice(pos, eol).replace(/\r$/, "");
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() !== "") {
      if (block) {
        indent ??= lead;
        if (lead < indent) return void 0;
        lines.push({ offset: pos + indent, content: raw.slice(indent) });
      } else {
        lines.push({ offset: pos + lead, content: raw.trim() });
      }
    }
    pos = eol + 1;
  }
  let p = 0;
  let prevEnd = start;
  for (const l of lines) {
    while (p < value.length && !value.startsWith(l.content, p) && (value[p] === "\n" || value[p] === " "))
      p++;
    if (!value.startsWith(l.content, p)) return void 0;
    if (target < p) return prevEnd;
    if (target < p + l.content.length) return l.offset + (target - p);
    p += l.content.length;
    prevEnd = l.offset + l.content.length;
  }
  return prevEnd;
}
function scalarCharOffset(text, node, pos) {
  if (typeof node.value !== "string" || node.range === void 0 || node.range === null) return void 0;
  const value = node.value;
  const target = valueOffset(value, pos);
  if (target === void 0) return void 0;
  const [start, end] = node.range;
  const src = text.slice(start, end);
  switch (node.type) {
    case "QUOTE_SINGLE":
      return quotedOffset(src, start, target, false);
    case "QUOTE_DOUBLE":
      return quotedOffset(src, start, target, true);
    case "PLAIN":
      if (!src.includes("\n")) return src === value ? start + target : void 0;
      return alignedOffset(text, node, value, target);
    case "BLOCK_LITERAL":
    case "BLOCK_FOLDED":
      return alignedOffset(text, node, value, target);
    default:
      return void 0;
  }
}
function locate(loaded, path, within) {
  if (within !== void 0) return locateInDocument(loaded, path, within);
  const { positions } = loaded;
  const segs = loaded.basePath.length === 0 ? path : [...loaded.basePath, ...path];
  let start = positions.quickStart === void 0 ? UNPLACED : positions.quickStart(segs);
  if (start === UNPLACED) start = deepestStart(positions.root(), segs);
  return sourceRef(loaded, start >= 0 ? start : positions.start());
}
var LazySourceRef = class {
  file;
  document;
  // The document's place, not its value: a run that keeps the positions of its rows need not keep
  // its resources. Dropped once found.
  #positions;
  #basePath;
  #path;
  #found = void 0;
  constructor(document, path) {
    this.file = document.file;
    this.document = document.index;
    this.#positions = document.positions;
    this.#basePath = document.basePath;
    this.#path = path;
  }
  #settled() {
    if (this.#found === void 0) {
      const place = {
        file: this.file,
        index: this.document,
        positions: this.#positions,
        basePath: this.#basePath
      };
      this.#found = locate(place, this.#path);
      this.#positions = void 0;
    }
    return this.#found;
  }
  get line() {
    return this.#settled().line;
  }
  get column() {
    return this.#settled().column;
  }
  toJSON() {
    return settledSource(this);
  }
};
function locateLazily(document, path) {
  return new LazySourceRef(document, path);
}
function settledSource(ref) {
  return { file: ref.file, document: ref.document, line: ref.line, column: ref.column };
}
function locateInDocument(loaded, path, within) {
  const parsed = loaded.positions.parsed();
  if (parsed === void 0) return sourceRef(loaded, loaded.positions.start());
  const { document: doc, base } = parsed;
  let node = doc.contents;
  let best = node;
  const segs = [...loaded.basePath, ...path];
  let resolved = true;
  for (const [i, seg] of segs.entries()) {
    node = child(node, seg, within === void 0 && i === segs.length - 1);
    if (node === void 0 || node === null) {
      resolved = false;
      break;
    }
    best = node;
  }
  let offset = best?.range?.[0] ?? doc.range[0];
  if (within !== void 0 && resolved && (0, import_yaml.isScalar)(best)) {
    offset = scalarCharOffset(parsed.text, best, within) ?? offset;
  }
  return sourceRef(loaded, offset + base);
}
function sourceRef(loaded, offset) {
  const pos = loaded.positions.file.lineCounter().linePos(offset);
  return { file: loaded.file, document: loaded.index, line: pos.line, column: pos.col };
}
function attachSource(d, loaded) {
  if (d.source !== void 0) return d;
  return { ...d, path: documentPath(loaded, d.path), source: locate(loaded, d.path, d.valuePosition) };
}
function documentPath(loaded, path) {
  return loaded.basePath.length === 0 ? path : [...loaded.basePath, ...path];
}

// src/io/files/foreign-documents.ts
function foreignReason(doc, what) {
  if (doc.fromFolder !== true || doc.basePath.length > 0) return void 0;
  const v = doc.value;
  if (v === null || typeof v !== "object" || Array.isArray(v)) return `not ${what} (not a mapping)`;
  const o = v;
  if (o.kind === void 0 || o.kind === null || o.kind === "") return `not ${what} (it has no kind)`;
  if (typeof o.apiVersion === "string" && o.apiVersion.startsWith("kustomize.config.k8s.io/"))
    return `a kustomize ${String(o.kind)}, not ${what} (render it with \`kustomize build\` and pass the output)`;
  return void 0;
}
function skippedNotice(doc, why) {
  return {
    ...ioDiagnostic("input/skipped", `${why}; skipped`, { severity: "warning" }),
    source: locate(doc, [])
  };
}
function nothingLeft(paths, skipped, what) {
  return ioDiagnostic(
    "input/empty",
    `no ${what} in ${paths.join(", ")}: all ${skipped} document(s) found were skipped`,
    { severity: "warning", ...paths[0] !== void 0 ? { file: paths[0] } : {} }
  );
}

// src/io/files/file-chunks.ts
import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
var scanning = { blockBytes: 1 << 20 };
function readFileChunks(path, file, split, maxBytes = DEFAULT_LIMITS.maxFileBytes) {
  let fd;
  try {
    fd = openSync(path, "r");
  } catch {
    return void 0;
  }
  let scan;
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size <= maxBytes) scan = scanFile(fd, split);
  } catch {
    scan = void 0;
  }
  if (scan === void 0) {
    closeSync(fd);
    return void 0;
  }
  return pieces(fd, file, scan);
}
function* pieces(fd, file, { cuts, bom, size }) {
  let bytes = Buffer.allocUnsafe(0);
  try {
    for (const [k, cut] of cuts.entries()) {
      const length = (cuts[k + 1]?.byte ?? size) - cut.byte;
      if (bytes.length < length) bytes = Buffer.allocUnsafe(Math.max(length, bytes.length * 2));
      let got = 0;
      while (got < length) {
        const n = readSync(fd, bytes, got, length - got, bom + cut.byte + got);
        if (n === 0) break;
        got += n;
      }
      yield {
        file,
        text: bytes.toString("utf8", 0, got),
        place: { firstIndex: cut.firstIndex, linesBefore: cut.linesBefore }
      };
    }
  } finally {
    closeSync(fd);
  }
}
var WHOLE = /* @__PURE__ */ Symbol("whole");
function scanFile(fd, split) {
  const scanner = new Scanner();
  let buf = Buffer.allocUnsafe(Math.max(scanning.blockBytes, 3));
  const head = readSync(fd, buf, 0, 3, 0);
  const bom = head === 3 && buf[0] === 239 && buf[1] === 187 && buf[2] === 191 ? 3 : 0;
  let have = 0;
  let offset = 0;
  for (; ; ) {
    if (have === buf.length) {
      const grown = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(grown, 0, 0, have);
      buf = grown;
    }
    const n = readSync(fd, buf, have, buf.length - have, bom + offset + have);
    const last = n === 0;
    have += n;
    const upTo = last ? have : buf.lastIndexOf(10, have - 1) + 1;
    if (upTo > 0) {
      const block = buf.subarray(0, upTo);
      if (!isUtf8(block) || scanner.block(block, offset, last) === WHOLE) return void 0;
      buf.copy(buf, 0, upTo, have);
      have -= upTo;
      offset += upTo;
    }
    if (last) break;
  }
  const cuts = scanner.cuts(split);
  return cuts === void 0 ? void 0 : { cuts, bom, size: offset };
}
var Scanner = class {
  /** Byte offsets of `---` markers, the line ends before each, and whether a LF precedes it. */
  #markers = [];
  #markerLines = [];
  #afterLf = [];
  #lines = 0;
  /** Whether the text before the first marker holds anything but blank and comment lines. */
  #prefixContent = false;
  /**
   * Checks a block of whole lines (valid UTF-8, at `base` in the file). Line starts are those of
   * `documentRanges`: after LF or CR; characters are those the guards refuse (`isForbidden`).
   */
  block(b, base, last) {
    const n = b.length;
    if (base === 0 && n >= 3 && b[0] === 239 && b[1] === 187 && b[2] === 191) return WHOLE;
    if (this.#lineStart(b, 0, base, last) === WHOLE) return WHOLE;
    for (let i = 0; i < n; i++) {
      const c = b[i];
      if (c >= 32 && c < 127) continue;
      if (c === 10 || c === 13) {
        if (c === 10) this.#lines++;
        if (i + 1 < n && this.#lineStart(b, i + 1, base, last) === WHOLE) return WHOLE;
        continue;
      }
      if (c === 9) continue;
      if (c < 128) return WHOLE;
      if (c === 194 && b[i + 1] <= 159 && b[i + 1] !== 133) return WHOLE;
      if (c === 226 && b[i + 1] === 128 && (b[i + 2] === 168 || b[i + 2] === 169)) return WHOLE;
      if (c === 239 && b[i + 1] === 191 && (b[i + 2] === 190 || b[i + 2] === 191)) return WHOLE;
    }
    return void 0;
  }
  /** A line starting at `i`: a directive or `...` (read whole), a `---` marker, or prefix content. */
  #lineStart(b, i, base, last) {
    const n = b.length;
    if (i >= n) return void 0;
    const c = b[i];
    if (c === 37) return WHOLE;
    if (c === 46 && b[i + 1] === 46 && b[i + 2] === 46 && i + 2 < n) return WHOLE;
    if (c === 45 && i + 2 < n && b[i + 1] === 45 && b[i + 2] === 45) {
      const after = i + 3 < n ? b[i + 3] : void 0;
      if (after === void 0 ? last : after === 32 || after === 9 || after === 10 || after === 13) {
        this.#markers.push(base + i);
        this.#markerLines.push(this.#lines);
        this.#afterLf.push(i > 0 ? b[i - 1] === 10 : base > 0);
        return void 0;
      }
    }
    if (this.#markers.length === 0 && !this.#prefixContent) {
      let j = i;
      while (j < n && (b[j] === 32 || b[j] === 9)) j++;
      if (j < n && b[j] !== 10 && b[j] !== 13 && b[j] !== 35) this.#prefixContent = true;
    }
    return void 0;
  }
  /** The pieces' starts, as `documentChunks` cuts the documents of `documentRanges`. */
  cuts(split) {
    const starts = this.#markers;
    const lines = this.#markerLines;
    const prefix = starts.length === 0 || this.#prefixContent ? 1 : 0;
    const documents = starts.length + prefix;
    if (documents < split.minDocuments) return void 0;
    const cuts = [];
    for (let first = 0; first < documents; first += split.documents) {
      const m = first - prefix;
      const byte = m < 0 ? 0 : starts[m];
      if (m >= 0 && byte > 0 && !this.#afterLf[m]) return void 0;
      cuts.push({ byte, firstIndex: first, linesBefore: m < 0 ? 0 : lines[m] });
    }
    return cuts;
  }
};

// src/io/files/load-files.ts
function emptyInput(path, isFolder) {
  const message = path === STDIN ? "no YAML documents on standard input" : isFolder ? `no YAML documents in folder ${path}` : `no YAML documents in ${path}`;
  return ioDiagnostic("input/empty", message, { file: displayName(path), severity: "warning" });
}
function loadPaths(paths, stdin, options = {}) {
  const documents = [];
  const stream = streamPaths(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return { documents, issues: step.value };
    documents.push(step.value);
  }
}
function* streamPaths(paths, stdin, options = {}) {
  const stream = streamPathUnits(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return step.value;
    if ("document" in step.value) yield step.value.document;
  }
}
function* streamPathUnits(paths, stdin, options = {}, split) {
  const issues = [];
  const seen = /* @__PURE__ */ new Set();
  for (const path of paths) {
    const walked = expandPaths([path], options);
    issues.push(...walked.issues);
    let found = 0;
    let failed = walked.issues.some((d) => d.severity === "error");
    for (const file of walked.files) {
      if (seen.has(file)) {
        found++;
        continue;
      }
      seen.add(file);
      const fromFolder = file !== path;
      const name = displayName(file);
      const pieces2 = split !== void 0 && file !== STDIN ? readFileChunks(file, name, split) : void 0;
      let from = 0;
      if (pieces2 !== void 0) {
        for (const chunk of pieces2) yield { chunk, fromFolder };
        const reads = (yield { fileEnd: name }) ?? [];
        for (const r of reads) found += r.documents;
        const refused = reads.find((r) => r.refusedAt !== void 0)?.refusedAt;
        if (refused === void 0) {
          for (const r of reads) issues.push(...r.issues);
          if (reads.some((r) => r.issues.some((d) => d.severity === "error"))) failed = true;
          continue;
        }
        from = refused;
      }
      const read = readText(file, stdin);
      if (!read.ok) {
        issues.push(read.issue);
        failed = true;
        continue;
      }
      const stream = streamDocuments(read.text, name, { expandLists: true });
      for (let step = stream.next(); ; step = stream.next()) {
        if (step.done === true) {
          issues.push(...step.value);
          if (step.value.some((d) => d.severity === "error")) failed = true;
          break;
        }
        if (step.value.index < from) continue;
        found++;
        yield { document: fromFolder ? { ...step.value, fromFolder: true } : step.value };
      }
    }
    if (found === 0 && !failed) issues.push(emptyInput(path, walked.files[0] !== path));
  }
  return issues;
}
function loadSingleFile(path, options = {}) {
  const read = readText(path);
  if (!read.ok) return { issues: [read.issue] };
  const loaded = loadDocuments(read.text, path, options);
  if (loaded.issues.some((d) => d.severity === "error")) return { issues: loaded.issues };
  const document = loaded.documents[0];
  return document !== void 0 ? { document, issues: loaded.issues } : { issues: loaded.issues };
}

// src/io/files/policy-documents-decode.ts
var CEL_KINDS = /* @__PURE__ */ new Set([
  "ValidatingPolicy",
  "NamespacedValidatingPolicy",
  "MutatingPolicy",
  "NamespacedMutatingPolicy",
  "GeneratingPolicy",
  "NamespacedGeneratingPolicy",
  "ImageValidatingPolicy",
  "NamespacedImageValidatingPolicy",
  "DeletingPolicy",
  "NamespacedDeletingPolicy",
  "PolicyException"
]);
var ADMISSION_KINDS = /* @__PURE__ */ new Set([
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding"
]);
var KYVERNO_OTHER = /* @__PURE__ */ new Set(["CleanupPolicy", "ClusterCleanupPolicy"]);
function classifyPolicyDocument(doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return "other";
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return "other";
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  if (group === "kyverno.io") {
    if (kind === "ClusterPolicy" || kind === "Policy") return "kyverno-policy";
    if (kind === "PolicyException") return "kyverno-exception";
    if (KYVERNO_OTHER.has(kind)) return "unsupported-policy";
    return "other";
  }
  if (group === "policies.kyverno.io" && CEL_KINDS.has(kind)) {
    if (kind === "ValidatingPolicy" || kind === "NamespacedValidatingPolicy") return "validating-policy";
    if (kind === "PolicyException") return "cel-exception";
    if (kind === "MutatingPolicy" || kind === "NamespacedMutatingPolicy") return "mutating-policy";
    if (kind === "GeneratingPolicy" || kind === "NamespacedGeneratingPolicy") return "generating-policy";
    if (kind === "DeletingPolicy" || kind === "NamespacedDeletingPolicy") return "deleting-policy";
    if (kind === "ImageValidatingPolicy" || kind === "NamespacedImageValidatingPolicy") {
      return "image-validating-policy";
    }
    return "unsupported-policy";
  }
  if (group === "admissionregistration.k8s.io" && kind === "ValidatingAdmissionPolicy") {
    return "validating-admission-policy";
  }
  if (group === "admissionregistration.k8s.io" && kind === "ValidatingAdmissionPolicyBinding") {
    return "validating-admission-policy-binding";
  }
  if (group === "admissionregistration.k8s.io" && kind === "MutatingAdmissionPolicy") {
    return "mutating-admission-policy";
  }
  if (group === "admissionregistration.k8s.io" && kind === "MutatingAdmissionPolicyBinding") {
    return "mutating-admission-policy-binding";
  }
  if (group === "admissionregistration.k8s.io" && ADMISSION_KINDS.has(kind)) return "unsupported-policy";
  return "other";
}
function headerNotString(doc) {
  for (const field of ["apiVersion", "kind"]) {
    const v = doc[field];
    if (v !== void 0 && v !== null && typeof v !== "string") return field;
  }
  return void 0;
}
function nameOf(doc) {
  const meta = doc.metadata;
  return typeof meta?.name === "string" ? meta.name : "";
}
function decodePolicyDocuments(loaded, decoder) {
  const issues = [...loaded.issues];
  const policies = [];
  const exceptions = [];
  const validatingPolicies = [];
  const celExceptions = [];
  const unsupported = [];
  const generatingPolicies = [];
  const deletingPolicies = [];
  const imageValidatingPolicies = [];
  const admissionPolicies = [];
  const admissionPolicyBindings = [];
  const mutatingPolicies = [];
  const mutatingAdmissionPolicies = [];
  const mutatingAdmissionPolicyBindings = [];
  const collect = (r, doc, into) => {
    if (r.ok) into.push({ policy: r.value, source: doc });
    else for (const d of r.issues) issues.push(attachSource(d, doc));
  };
  let skipped = 0;
  for (const doc of loaded.documents) {
    const foreign = foreignReason(doc, "a policy");
    if (foreign !== void 0) {
      skipped++;
      issues.push(skippedNotice(doc, foreign));
      continue;
    }
    const cls = classifyPolicyDocument(doc.value);
    const kind = String(doc.value.kind ?? "");
    const badHeader = cls === "other" && doc.value !== null && typeof doc.value === "object" && !Array.isArray(doc.value) ? headerNotString(doc.value) : void 0;
    if (cls === "kyverno-policy") {
      const r = decoder.loadKyvernoPolicy(doc.value);
      if (r.ok) policies.push({ policy: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === "kyverno-exception") {
      const r = decoder.loadPolicyException(doc.value);
      if (r.ok) exceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === "validating-policy") {
      const r = decoder.loadValidatingPolicy(doc.value);
      if (r.ok) validatingPolicies.push({ policy: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === "cel-exception") {
      const r = decoder.loadCelPolicyException(doc.value);
      if (r.ok) celExceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === "generating-policy") {
      collect(decoder.loadGeneratingPolicy(doc.value), doc, generatingPolicies);
    } else if (cls === "deleting-policy") {
      collect(decoder.loadDeletingPolicy(doc.value), doc, deletingPolicies);
    } else if (cls === "image-validating-policy") {
      collect(decoder.loadImageValidatingPolicy(doc.value), doc, imageValidatingPolicies);
    } else if (cls === "validating-admission-policy") {
      collect(decoder.loadValidatingAdmissionPolicy(doc.value), doc, admissionPolicies);
    } else if (cls === "validating-admission-policy-binding") {
      collect(decoder.loadValidatingAdmissionPolicyBinding(doc.value), doc, admissionPolicyBindings);
    } else if (cls === "mutating-policy") {
      collect(decoder.loadMutatingPolicy(doc.value), doc, mutatingPolicies);
    } else if (cls === "mutating-admission-policy") {
      collect(decoder.loadMutatingAdmissionPolicy(doc.value), doc, mutatingAdmissionPolicies);
    } else if (cls === "mutating-admission-policy-binding") {
      collect(decoder.loadMutatingAdmissionPolicyBinding(doc.value), doc, mutatingAdmissionPolicyBindings);
    } else if (cls === "unsupported-policy") {
      unsupported.push({ kind, name: nameOf(doc.value), reason: `${kind} policies are not supported yet` });
    } else if (doc.value === null || typeof doc.value !== "object" || Array.isArray(doc.value)) {
      const got = Array.isArray(doc.value) ? "a list" : `a ${typeof doc.value}`;
      issues.push({
        ...ioDiagnostic(
          "policy/unsupported-kind",
          `a policy must be a YAML mapping with apiVersion and kind, got ${got}`,
          { path: documentPath(doc, []) }
        ),
        source: locate(doc, [])
      });
    } else if (badHeader !== void 0) {
      const v = doc.value[badHeader];
      const got = Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`;
      issues.push({
        ...ioDiagnostic("policy/unsupported-kind", `${badHeader} must be a string, got ${got}`, {
          path: documentPath(doc, [badHeader])
        }),
        source: locate(doc, [badHeader])
      });
    } else {
      const apiVersion = String(doc.value.apiVersion ?? "");
      issues.push({
        ...ioDiagnostic(
          "policy/unsupported-kind",
          `policy type not supported: ${apiVersion || "<no apiVersion>"}, Kind=${kind || "<no kind>"}`,
          { path: documentPath(doc, [apiVersion === "" ? "apiVersion" : "kind"]) }
        ),
        source: locate(doc, [])
      });
    }
  }
  const loadedAny = policies.length + validatingPolicies.length + generatingPolicies.length + deletingPolicies.length + imageValidatingPolicies.length + admissionPolicies.length + mutatingPolicies.length + mutatingAdmissionPolicies.length + exceptions.length + celExceptions.length + unsupported.length > 0;
  return {
    loadedAny,
    skipped,
    policies,
    exceptions,
    validatingPolicies,
    celExceptions,
    generatingPolicies,
    deletingPolicies,
    imageValidatingPolicies,
    admissionPolicies,
    admissionPolicyBindings,
    mutatingPolicies,
    mutatingAdmissionPolicies,
    mutatingAdmissionPolicyBindings,
    unsupported,
    issues
  };
}

// src/io/files/policies.ts
function loadPolicies(paths, decoder, stdin, options = {}) {
  const loaded = decodePolicyDocuments(loadPaths(paths, stdin, options), decoder);
  if (!loaded.loadedAny && loaded.skipped > 0) {
    return { ...loaded, issues: [...loaded.issues, nothingLeft(paths, loaded.skipped, "policies")] };
  }
  return loaded;
}
function loadExceptions(paths, decoder, stdin) {
  const loaded = loadPaths(paths, stdin);
  const issues = [...loaded.issues];
  const exceptions = [];
  const celExceptions = [];
  for (const doc of loaded.documents) {
    const cls = classifyPolicyDocument(doc.value);
    if (cls === "kyverno-exception") {
      const r = decoder.loadPolicyException(doc.value);
      if (r.ok) exceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === "cel-exception") {
      const r = decoder.loadCelPolicyException(doc.value);
      if (r.ok) celExceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    }
  }
  return { exceptions, celExceptions, issues };
}

// src/io/files/policy-decoder.ts
var POLICY_DECODER = {
  loadKyvernoPolicy,
  loadPolicyException,
  loadValidatingPolicy,
  loadCelPolicyException,
  loadGeneratingPolicy,
  loadDeletingPolicy,
  loadImageValidatingPolicy,
  loadValidatingAdmissionPolicy,
  loadValidatingAdmissionPolicyBinding,
  loadMutatingPolicy,
  loadMutatingAdmissionPolicy,
  loadMutatingAdmissionPolicyBinding
};
async function getPolicyDecoder() {
  return POLICY_DECODER;
}

export {
  locate,
  locateLazily,
  settledSource,
  attachSource,
  documentPath,
  foreignReason,
  skippedNotice,
  nothingLeft,
  loadPaths,
  streamPathUnits,
  loadSingleFile,
  decodePolicyDocuments,
  loadPolicies,
  loadExceptions,
  getPolicyDecoder
};
