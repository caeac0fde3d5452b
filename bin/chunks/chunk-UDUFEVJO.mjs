import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  loadResources,
  locateInResource,
  resourceKey
} from "./chunk-DNTYCI5T.mjs";
import {
  colorStatus,
  visibleLength
} from "./chunk-NNS4QY3C.mjs";
import {
  policyDocuments
} from "./chunk-B636O7HU.mjs";
import {
  attachSource,
  loadPaths,
  loadSingleFile,
  locate,
  settledSource
} from "./chunk-B25Y5PAN.mjs";
import {
  displayName,
  ioDiagnostic,
  loadDocuments,
  readText
} from "./chunk-BEDWXCWF.mjs";
import {
  CompileMemo,
  compilePolicySet,
  diagnostic,
  formatFieldPath,
  loadBuiltinTypeSchemas,
  objectMeta,
  operationOf,
  parseImageReference,
  require_dist,
  resourceForKind,
  schema_dsl_exports,
  searchJmespath,
  splitApiVersion,
  withCrdSchemas
} from "./chunk-VRWKX5IU.mjs";
import {
  __toESM
} from "./chunk-34UHWEGN.mjs";

// src/io/report/resource-label.ts
function resourceLabel(o) {
  const ns = o.metadata?.namespace;
  return `${ns !== void 0 && ns !== "" ? `${ns}/` : ""}${o.kind ?? ""}/${o.metadata?.name ?? ""}`;
}

// src/cli/output/held-chunks.ts
var HeldChunks = class {
  #options;
  /** Full chunks not yet spilled, in order, each a view of its used bytes. */
  #held = [];
  #heldBytes = 0;
  /** Chunks written to the spill (chunk `#spilled + i` is `#held[i]`). */
  #spilled = 0;
  /** The spill once opened; null when none could be opened. */
  #spill;
  constructor(options) {
    this.#options = options;
  }
  /** Keeps a full chunk's used bytes; past the bound, writes all that is held to the spill. */
  keep(used) {
    this.#held.push(used);
    this.#heldBytes += used.byteLength;
    if (this.#heldBytes < (this.#options.heldBytes ?? 1 << 20)) return;
    if (this.#spill === void 0) this.#spill = this.#options.spill?.() ?? null;
    if (this.#spill === null) return;
    for (const c of this.#held) this.#spill.append(c, c.byteLength);
    this.#spilled += this.#held.length;
    this.#held = [];
    this.#heldBytes = 0;
  }
  /** The kept chunks in order (the spilled ones, each in a buffer of its own), then `last`. */
  *chunks(last) {
    if (this.#spill) yield* this.#spill.chunks();
    yield* this.#held;
    yield last;
  }
  /** How many chunks were kept: the index the next kept chunk gets. */
  get count() {
    return this.#spilled + this.#held.length;
  }
  /** Kept chunk `index` (from the spill when written there); undefined past the last kept. */
  chunk(index) {
    if (index < this.#spilled) return this.#spill.chunk(index);
    return this.#held[index - this.#spilled];
  }
  /** Frees what is held and closes the spill; once is enough, more are harmless. */
  close() {
    this.#held = [];
    this.#spill?.close();
    this.#spill = null;
  }
};

// src/cli/output/violation-blocks.ts
function isViolation(r) {
  return r.status === "fail" || r.auditWarning && r.status === "warn";
}
var Strings = class {
  #index = /* @__PURE__ */ new Map();
  list = [];
  id(s) {
    let i = this.#index.get(s);
    if (i === void 0) {
      i = this.list.length;
      this.list.push(s);
      this.#index.set(s, i);
    }
    return i;
  }
  /**
   * The id of `s`, trying first the ids in `recent` (kept there, at most `size`): comparing a string
   * with a few kept ones is much cheaper than hashing it, and a row's strings are fresh each time (a
   * row that crossed threads, a message built again: 105 distinct messages come ~24,000 times for
   * 10,000 workloads). The answer is `id(s)`'s: the kept strings are distinct, so an equal one is its.
   */
  idAmong(s, recent, size) {
    for (const i2 of recent) if (this.list[i2] === s) return i2;
    const i = this.id(s);
    if (recent.length < size) recent.push(i);
    else recent[i % size] = i;
    return i;
  }
};
function recentOf(lists, id) {
  let list = lists[id];
  if (list === void 0) {
    list = [];
    lists[id] = list;
  }
  return list;
}
var AUDIT = 1;
var LOCATED = 2;
var NEW_LABEL = 4;
var WIDE = /[\u0100-\uffff]/;
var Chunk = class {
  words;
  bytes;
  /** Words used. */
  used = 0;
  constructor(bytes, used = 0) {
    this.words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.used = used;
  }
};
var LabelHashes = class {
  #slots = new Int32Array(1 << 12);
  #count = 0;
  /** Adds `s`; whether it (or a label with both its hashes) was there already. */
  add(s) {
    let a = 2166136261;
    let b = 2538058380;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 16777619);
      b = Math.imul(b ^ c, 1540483477);
      b ^= b >>> 15;
    }
    a |= 1;
    b |= 1;
    if ((this.#count + 1) * 4 > this.#slots.length) this.#grow();
    if (!this.#put(this.#slots, a, b)) return true;
    this.#count++;
    return false;
  }
  /** Puts the pair in `slots`; false if it was there. */
  #put(slots, a, b) {
    const mask = (slots.length >> 1) - 1;
    for (let i = a >>> 1 & mask; ; i = i + 1 & mask) {
      const x = slots[i * 2];
      if (x === 0) {
        slots[i * 2] = a;
        slots[i * 2 + 1] = b;
        return true;
      }
      if (x === a && slots[i * 2 + 1] === b) return false;
    }
  }
  #grow() {
    const old = this.#slots;
    this.#slots = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) this.#put(this.#slots, old[i], old[i + 1]);
  }
};
var FIELDS = 8;
var ViolationBlocks = class {
  #policies = new Strings();
  #texts = new Strings();
  /** For `idAmong`: the policies, rules per policy, messages per rule and files last seen. */
  #recentPolicies = [];
  #recentRules = [];
  #recentMessages = [];
  #recentFiles = [];
  #chunkBytes;
  /** Full chunks, held or spilled; then the one being written. */
  #kept;
  #chunk;
  #count = 0;
  #read = false;
  #lastPolicy = -1;
  #lastLabel;
  /** The labels seen (to find one coming back), until the run is known to be scattered. */
  #labels = new LabelHashes();
  /** Policies of the current run of one resource's rows. */
  #runPolicies = /* @__PURE__ */ new Set();
  /**
   * Whether a block may have come back after another began: its rows are then grouped when written.
   * Found without a key per block: a resource label seen before (two documents with one identity), or
   * a policy seen before in the current resource's run, after another.
   */
  #scattered = false;
  constructor(options = {}) {
    this.#kept = new HeldChunks(options);
    this.#chunkBytes = Math.max(64, (options.chunkBytes ?? 1 << 16) & ~3);
    this.#chunk = this.#newChunk(this.#chunkBytes);
  }
  add(r) {
    if (!isViolation(r)) return;
    if (this.#read) throw new Error("violation added after the blocks were read");
    const policy = this.#policies.idAmong(r.policy, this.#recentPolicies, 16);
    const text = "label" in r ? r.label : resourceLabel(r.resource);
    const newLabel = this.#count === 0 || this.#lastLabel !== text;
    if (newLabel) {
      if (this.#labels?.add(text) === true) this.#scattered = true;
      this.#runPolicies = /* @__PURE__ */ new Set([policy]);
    } else if (this.#lastPolicy !== policy) {
      if (this.#runPolicies.has(policy)) this.#scattered = true;
      this.#runPolicies.add(policy);
    }
    if (this.#scattered) this.#labels = void 0;
    const at = r.location !== void 0 && r.status !== "pass" && r.status !== "skip" ? r.location : void 0;
    const rule = this.#texts.idAmong(r.rule, recentOf(this.#recentRules, policy), 8);
    const message = this.#texts.idAmong(r.message, recentOf(this.#recentMessages, rule), 8);
    const latin1 = newLabel && !WIDE.test(text);
    const labelBytes = newLabel ? latin1 ? text.length : text.length * 2 : 0;
    const words = 4 + (at !== void 0 ? 3 : 0) + (newLabel ? 1 + (labelBytes + 3 >> 2) : 0);
    const c = this.#room(words);
    const w = c.words;
    let o = c.used;
    w[o++] = (r.auditWarning ? AUDIT : 0) | (at !== void 0 ? LOCATED : 0) | (newLabel ? NEW_LABEL : 0);
    w[o++] = policy;
    w[o++] = rule;
    w[o++] = message;
    if (at !== void 0) {
      w[o++] = this.#texts.idAmong(at.file, this.#recentFiles, 4);
      w[o++] = at.line ?? 0;
      w[o++] = at.column ?? 0;
    }
    if (newLabel) {
      w[o++] = text.length * 2 + (latin1 ? 0 : 1);
      c.bytes.write(text, o * 4, labelBytes, latin1 ? "latin1" : "utf16le");
      o += labelBytes + 3 >> 2;
      this.#lastLabel = text;
    }
    c.used = o;
    this.#lastPolicy = policy;
    this.#count++;
  }
  /** The blocks' lines, made as they are read; once (a spill is closed when they are all read). */
  *lines() {
    if (this.#read) throw new Error("violation blocks read twice");
    this.#read = true;
    try {
      if (this.#scattered) {
        yield* this.#groupedLines();
        return;
      }
      const text = this.#texts.list;
      let n = 0;
      let policy = -1;
      for (const v of this.#records()) {
        if (n === 0 || v.newLabel || v.policy !== policy) {
          if (n > 0) yield "";
          n = 0;
          policy = v.policy;
          const verb = v.audit ? "failed as audit warning" : "failed";
          yield `policy ${this.#policies.list[v.policy]} -> resource ${v.label} ${verb}:`;
        }
        yield `${++n}. ${text[v.rule]}: ${text[v.message]}`;
        if (v.file >= 0) yield `   in ${text[v.file]}:${v.line}:${v.column}`;
      }
      if (n > 0) yield "";
    } finally {
      this.#kept.close();
    }
  }
  /** A chunk with room for `words` more words: the current one, or a new one (the full one kept or spilled). */
  #room(words) {
    if (this.#chunk.used + words <= this.#chunk.words.length) return this.#chunk;
    this.#kept.keep(this.#chunk.bytes.subarray(0, this.#chunk.used * 4));
    this.#chunk = this.#newChunk(Math.max(this.#chunkBytes, words * 4));
    return this.#chunk;
  }
  #newChunk(bytes) {
    return new Chunk(new Uint8Array(bytes));
  }
  /** The records in the order added. */
  *#records() {
    const v = {
      policy: 0,
      rule: 0,
      message: 0,
      file: -1,
      line: 0,
      column: 0,
      audit: false,
      newLabel: false,
      label: ""
    };
    const last = this.#chunk.bytes.subarray(0, this.#chunk.used * 4);
    for (const bytes of this.#kept.chunks(last)) {
      const chunk = new Chunk(bytes, bytes.byteLength >> 2);
      const w = chunk.words;
      for (let o = 0; o < chunk.used; ) {
        const flags = w[o++];
        v.audit = (flags & AUDIT) !== 0;
        v.policy = w[o++];
        v.rule = w[o++];
        v.message = w[o++];
        if ((flags & LOCATED) !== 0) {
          v.file = w[o++];
          v.line = w[o++];
          v.column = w[o++];
        } else v.file = -1;
        v.newLabel = (flags & NEW_LABEL) !== 0;
        if (v.newLabel) {
          const length = w[o++];
          const latin1 = (length & 1) === 0;
          const bytes2 = latin1 ? length >> 1 : (length >> 1) * 2;
          v.label = chunk.bytes.toString(latin1 ? "latin1" : "utf16le", o * 4, o * 4 + bytes2);
          o += bytes2 + 3 >> 2;
        }
        yield v;
      }
    }
  }
  /** A scattered run's lines: its records read back and grouped per (policy, label), in memory. */
  *#groupedLines() {
    const labels = new Strings();
    const data = new Int32Array(this.#count * FIELDS);
    let i = 0;
    let label = -1;
    for (const v of this.#records()) {
      if (v.newLabel) label = labels.id(v.label);
      const o = i++ * FIELDS;
      data[o] = v.policy;
      data[o + 1] = label;
      data[o + 2] = v.audit ? 1 : 0;
      data[o + 3] = v.rule;
      data[o + 4] = v.message;
      data[o + 5] = v.file;
      data[o + 6] = v.line;
      data[o + 7] = v.column;
    }
    const blocks = /* @__PURE__ */ new Map();
    for (let k = 0; k < this.#count; k++) {
      const key = `${data[k * FIELDS]}:${data[k * FIELDS + 1]}`;
      const block = blocks.get(key);
      if (block === void 0) blocks.set(key, [k]);
      else block.push(k);
    }
    const text = this.#texts.list;
    for (const block of blocks.values()) {
      const first = block[0] * FIELDS;
      const verb = data[first + 2] === 1 ? "failed as audit warning" : "failed";
      const policy = this.#policies.list[data[first]];
      yield `policy ${policy} -> resource ${labels.list[data[first + 1]]} ${verb}:`;
      for (const [n, k] of block.entries()) {
        const o = k * FIELDS;
        yield `${n + 1}. ${text[data[o + 3]]}: ${text[data[o + 4]]}`;
        const file = data[o + 5];
        if (file >= 0) yield `   in ${text[file]}:${data[o + 6]}:${data[o + 7]}`;
      }
      yield "";
    }
  }
};

// src/cli/output/apply-report.ts
var import_yaml2 = __toESM(require_dist(), 1);

// src/cli/output/grouped-text.ts
var HEADER = 8;
var GroupedText = class {
  #kept;
  #chunkBytes;
  /** Per group, the indexes of the chunks holding its texts, ascending. */
  #chunksOf = [];
  #chunk;
  #used = 0;
  #closed = false;
  constructor(options = {}) {
    this.#kept = new HeldChunks(options);
    this.#chunkBytes = Math.max(HEADER + 1, options.chunkBytes ?? 1 << 16);
    this.#chunk = Buffer.allocUnsafe(this.#chunkBytes);
  }
  /** Adds `text` to `group` (a small whole number, from 0). */
  add(group, text) {
    if (this.#closed) throw new Error("text added after the texts were closed");
    const length = Buffer.byteLength(text);
    if (this.#used + HEADER + length > this.#chunk.length) {
      this.#kept.keep(this.#chunk.subarray(0, this.#used));
      this.#chunk = Buffer.allocUnsafe(Math.max(this.#chunkBytes, HEADER + length));
      this.#used = 0;
    }
    const index = this.#kept.count;
    let chunks = this.#chunksOf[group];
    if (chunks === void 0) {
      chunks = [];
      this.#chunksOf[group] = chunks;
    }
    if (chunks[chunks.length - 1] !== index) chunks.push(index);
    this.#chunk.writeUInt32LE(group, this.#used);
    this.#chunk.writeUInt32LE(length, this.#used + 4);
    this.#chunk.write(text, this.#used + HEADER, "utf8");
    this.#used += HEADER + length;
  }
  /** The texts of `group` in the order added; may be read again until `close`. */
  *texts(group) {
    if (this.#closed) throw new Error("texts read after they were closed");
    for (const index of this.#chunksOf[group] ?? []) {
      const bytes = this.#bytesOf(index);
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let at = 0; at < buffer.length; ) {
        const g = buffer.readUInt32LE(at);
        const length = buffer.readUInt32LE(at + 4);
        at += HEADER;
        if (g === group) yield buffer.toString("utf8", at, at + length);
        at += length;
      }
    }
  }
  /** Frees what is held and closes the spill; once is enough, more are harmless. */
  close() {
    this.#closed = true;
    this.#kept.close();
  }
  #bytesOf(index) {
    return this.#kept.chunk(index) ?? this.#chunk.subarray(0, this.#used);
  }
};

// src/cli/output/spilled-text.ts
var SpilledText = class {
  #chunkBytes;
  #kept;
  #chunk;
  #read = false;
  constructor(options = {}) {
    this.#kept = new HeldChunks(options);
    this.#chunkBytes = Math.max(16, options.chunkBytes ?? 1 << 16);
    this.#chunk = { bytes: Buffer.allocUnsafe(this.#chunkBytes), used: 0 };
  }
  /** Appends `text`; a piece is never cut between chunks, so each chunk decodes on its own. */
  add(text) {
    if (this.#read) throw new Error("text added after it was read");
    const length = Buffer.byteLength(text);
    if (this.#chunk.used + length > this.#chunk.bytes.length) {
      this.#kept.keep(this.#chunk.bytes.subarray(0, this.#chunk.used));
      this.#chunk = { bytes: Buffer.allocUnsafe(Math.max(this.#chunkBytes, length)), used: 0 };
    }
    this.#chunk.used += this.#chunk.bytes.write(text, this.#chunk.used, "utf8");
  }
  /** The text's lines (split at line feeds), made as they are read; once (a spill is closed then). */
  *lines() {
    if (this.#read) throw new Error("text read twice");
    this.#read = true;
    try {
      let pending = "";
      for (const bytes of this.#kept.chunks(this.#chunk.bytes.subarray(0, this.#chunk.used))) {
        const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString().split("\n");
        lines[0] = pending + lines[0];
        pending = lines.pop();
        yield* lines;
      }
      yield pending;
    } finally {
      this.#kept.close();
    }
  }
};

// src/cli/output/splice-items.ts
var import_yaml = __toESM(require_dist(), 1);
function yamlItem(key, value) {
  const text = (0, import_yaml.stringify)({ [key]: [value] });
  const head = `${key}:
`;
  if (!text.startsWith(head) || !text.endsWith("\n")) throw new Error(`unexpected YAML for a ${key} item`);
  return text.slice(head.length, -1);
}
function indentJson(text, pad2) {
  return `${pad2}${text.replaceAll("\n", `
${pad2}`)}`;
}
function* spliceItems(skeleton, marker, open, close, items, comma) {
  for (const line of skeleton.split("\n")) {
    if (line !== marker && line !== `${marker},`) {
      yield line;
      continue;
    }
    let previous;
    for (const item of items) {
      if (previous === void 0) yield open;
      else yield comma ? `${previous},` : previous;
      previous = item;
    }
    if (previous === void 0) yield line;
    else {
      yield previous;
      if (close !== void 0) yield line.endsWith(",") ? `${close},` : close;
    }
  }
}

// src/cli/output/table.ts
function pad(cell, width) {
  return cell + " ".repeat(Math.max(0, width - visibleLength(cell)));
}
function renderTable(headers, rows) {
  const widths = headers.map((h) => h.length);
  for (const r of rows) widen(widths, r);
  return [...tableLines(headers, widths, rows)].join("\n");
}
function widen(widths, cells) {
  for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], visibleLength(cells[i] ?? ""));
}
function* tableLines(headers, widths, rows) {
  const rule = `\u2502${widths.map((w) => "\u2500".repeat(w + 2)).join("\u2502")}\u2502`;
  const line = (cells) => `\u2502${widths.map((w, i) => ` ${pad(cells[i] ?? "", w)} `).join("\u2502")}\u2502`;
  yield rule;
  yield line(headers);
  yield rule;
  for (const r of rows) yield line(r);
  yield rule;
}

// src/cli/output/apply-report.ts
function located(r) {
  return r.location !== void 0 && r.status !== "pass" && r.status !== "skip";
}
function rowLocation(r) {
  return located(r) ? `${r.location.file}:${r.location.line}:${r.location.column}` : "";
}
function summaryLine(s) {
  return `pass: ${s.pass}, fail: ${s.fail}, warn: ${s.warn}, error: ${s.error}, skip: ${s.skip}`;
}
function renderViolations(rows) {
  const blocks = new ViolationBlocks();
  for (const r of rows) blocks.add(r);
  return [...blocks.lines()];
}
function renderApplyTable(rows, detailed, color = false) {
  const table = new ApplyTable(detailed, color);
  for (const r of rows) table.add(r);
  return [...table.lines()].join("\n");
}
var ApplyTable = class {
  #detailed;
  #color;
  #headers;
  #widths;
  #cells;
  #count = 0;
  constructor(detailed, color, options = {}) {
    this.#detailed = detailed;
    this.#color = color;
    this.#headers = ["ID", "POLICY", "RULE", "RESOURCE", "RESULT", "REASON", "LOCATION"];
    if (detailed) this.#headers.push("MESSAGE");
    this.#widths = this.#headers.map((h) => h.length);
    this.#cells = new GroupedText(options);
  }
  add(r) {
    const c = [
      String(++this.#count),
      r.policy,
      r.rule,
      resourceLabel(r.resource),
      colorStatus(r.status, r.status, this.#color),
      r.status === "pass" ? "Ok" : r.status,
      rowLocation(r)
    ];
    if (this.#detailed) c.push(r.message.replace(/\s*\n\s*/g, " "));
    widen(this.#widths, c);
    this.#cells.add(0, JSON.stringify(c));
  }
  /** The table's lines; once (the kept cells are freed at the end). */
  *lines() {
    const cells = this.#cells;
    const rows = function* () {
      for (const t of cells.texts(0)) yield JSON.parse(t);
    };
    try {
      yield* tableLines(this.#headers, this.#widths, rows());
    } finally {
      cells.close();
    }
  }
};
function renderStructured(rows, summary, format, problems = []) {
  if (format === "json") return [...structuredJsonLines(rows, summary, problems)].join("\n");
  const results = new YamlResults();
  for (const r of rows) results.add(r);
  return [...results.lines(summary, problems)].join("\n");
}
var YamlResults = class {
  #texts;
  constructor(options = {}) {
    this.#texts = new GroupedText(options);
  }
  add(r) {
    this.#texts.add(0, yamlItem("results", structuredResult(r)));
  }
  /** The document's lines; once (the kept texts are freed at the end). */
  *lines(summary, problems = []) {
    const skeleton = (0, import_yaml2.stringify)({
      summary,
      ...problems.length > 0 ? { errors: problems.map(structuredProblem) } : {},
      results: []
    });
    let last;
    try {
      for (const line of spliceItems(
        skeleton.trimEnd(),
        "results: []",
        "results:",
        void 0,
        this.#texts.texts(0),
        false
      )) {
        if (last !== void 0) yield last;
        last = line;
      }
      if (last !== void 0) yield last.trimEnd();
    } finally {
      this.#texts.close();
    }
  }
};
function structuredResult(r) {
  return {
    policy: r.policy,
    rule: r.rule,
    resource: {
      apiVersion: r.resource.apiVersion ?? "",
      kind: r.resource.kind ?? "",
      namespace: r.resource.metadata?.namespace ?? "",
      name: r.resource.metadata?.name ?? ""
    },
    result: r.status,
    message: r.message,
    ...located(r) ? { file: r.location.file, line: r.location.line, column: r.location.column } : {},
    ...located(r) && r.path !== void 0 ? { fieldPath: formatFieldPath(r.path) } : {}
  };
}
var JsonResults = class {
  #text;
  #count = 0;
  constructor(options = {}) {
    this.#text = new SpilledText(options);
  }
  add(r) {
    const text = `    ${JSON.stringify(structuredResult(r), null, 2).replaceAll("\n", "\n    ")}`;
    this.#text.add(this.#count++ === 0 ? text : `,
${text}`);
  }
  get count() {
    return this.#count;
  }
  /** The results' lines; once. */
  lines() {
    return this.#text.lines();
  }
};
function* structuredJsonLines(rows, summary, problems = []) {
  let results = rows;
  if (!(results instanceof JsonResults)) {
    results = new JsonResults();
    for (const r of rows) results.add(r);
  }
  yield "{";
  yield* member("summary", summary, true);
  if (problems.length > 0) yield* member("errors", problems.map(structuredProblem), true);
  if (results.count === 0) yield '  "results": []';
  else {
    yield '  "results": [';
    yield* results.lines();
    yield "  ]";
  }
  yield "}";
}
function* member(key, value, more) {
  const lines = JSON.stringify(value, null, 2).split("\n");
  const last = lines.length - 1;
  for (const [k, line] of lines.entries()) {
    const text = k === 0 ? `  ${JSON.stringify(key)}: ${line}` : `  ${line}`;
    yield k === last && more ? `${text},` : text;
  }
}
function structuredProblem(p) {
  return {
    severity: p.severity,
    code: p.code,
    message: p.message,
    ...p.location !== void 0 ? { file: p.location.file, line: p.location.line, column: p.location.column } : {},
    ...p.path !== void 0 ? { fieldPath: formatFieldPath(p.path) } : {}
  };
}
function renderReports(reports, format) {
  if (format === "json")
    return JSON.stringify(
      reports.length === 1 ? reports[0] : { apiVersion: "v1", kind: "List", items: reports },
      null,
      2
    );
  return reports.map((r) => (0, import_yaml2.stringify)(r).trimEnd()).join("\n---\n");
}

// src/io/fake-cluster-api.ts
var gvrKey = (g) => `${g.group}/${g.version}/${g.resource}`;
function guessResource(kind) {
  const singular = kind.toLowerCase();
  if (singular === "") return "";
  if (singular.endsWith("s")) return `${singular}es`;
  if (singular.endsWith("y")) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}
function inferKind(resource) {
  let kind = resource;
  if (kind.endsWith("ies")) kind = `${kind.slice(0, -3)}y`;
  else if (kind.endsWith("es")) kind = kind.slice(0, -2);
  else if (kind.endsWith("s")) kind = kind.slice(0, -1);
  return kind === "" ? kind : kind[0].toUpperCase() + kind.slice(1);
}
var PREREGISTERED = [
  ...["configmaps", "endpoints", "namespaces", "resourcequotas", "secrets", "serviceaccounts"].map(
    (resource) => ({ group: "", version: "v1", resource })
  ),
  ...["daemonsets", "deployments", "statefulsets"].map((resource) => ({
    group: "apps",
    version: "v1",
    resource
  }))
];
function splitApiVersion2(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
function parsePath(path) {
  const parts = path.replace(/^\//, "").split("/");
  let group = "";
  let version = "";
  let rest;
  if (parts.length >= 2 && parts[0] === "api") {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts.length >= 3 && parts[0] === "apis") {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return void 0;
  let namespace = "";
  if (rest.length >= 2 && rest[0] === "namespaces") {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = rest[0] ?? "";
  if (resource === "") return void 0;
  return { group, version, resource, namespace, name: rest[1] ?? "" };
}
function storeOf(objects) {
  const byGvr = /* @__PURE__ */ new Map();
  const kinds = /* @__PURE__ */ new Map();
  for (const o of objects) {
    const kind = typeof o.kind === "string" ? o.kind : "";
    const { group, version } = splitApiVersion2(typeof o.apiVersion === "string" ? o.apiVersion : "");
    const gvr = { group, version, resource: guessResource(kind) };
    const key = gvrKey(gvr);
    if (!kinds.has(key)) kinds.set(key, { gvr, kind });
    const list = byGvr.get(key);
    if (list === void 0) byGvr.set(key, [o]);
    else list.push(o);
  }
  return { byGvr, kinds };
}
function resourceFor(store, group, version, kind) {
  for (const { gvr, kind: k } of store.kinds.values())
    if (gvr.group === group && gvr.version === version && k === kind) return gvr;
  const plural = `${kind.toLowerCase()}s`;
  for (const { gvr } of store.kinds.values()) if (gvr.resource === plural) return gvr;
  return PREREGISTERED.find((g) => g.resource === plural);
}
var namespaceOf = (o) => typeof o.metadata?.namespace === "string" ? o.metadata.namespace : "";
var nameOf = (o) => typeof o.metadata?.name === "string" ? o.metadata.name : "";
function answer(store, path) {
  const parsed = parsePath(path);
  const failed = (error) => ({
    ok: false,
    error: `failed to GET resource with raw url: ${path}: ${error}`
  });
  if (parsed === void 0) return failed(`failed to parse path: ${path.replace(/^\//, "")}`);
  const { group, version, namespace, name } = parsed;
  const kind = store.kinds.get(gvrKey(parsed))?.kind ?? inferKind(parsed.resource);
  const apiVersion = group === "" ? version : `${group}/${version}`;
  const gvr = resourceFor(store, group, version, kind);
  const served = gvr === void 0 ? [] : store.byGvr.get(gvrKey(gvr)) ?? [];
  if (name === "") {
    if (gvr === void 0 || !store.byGvr.has(gvrKey(gvr))) {
      const where = namespace === "" ? "(cluster-scoped or all namespaces)" : `in namespace ${JSON.stringify(namespace)}`;
      return failed(`failed to list resources ${apiVersion}/${kind} ${where}: no such resource`);
    }
    const items = served.filter((o) => namespace === "" || namespaceOf(o) === namespace).sort((a, b) => cmp(namespaceOf(a), namespaceOf(b)) || cmp(nameOf(a), nameOf(b)));
    return {
      ok: true,
      body: {
        apiVersion: gvr.group === "" ? gvr.version : `${gvr.group}/${gvr.version}`,
        items,
        kind: `${store.kinds.get(gvrKey(gvr))?.kind ?? kind}List`,
        // The tracker's version after adding the resource's objects, one per object from 1.
        metadata: { continue: "", resourceVersion: String(served.length + 1) }
      }
    };
  }
  const found = served.find((o) => nameOf(o) === name && namespaceOf(o) === namespace);
  if (found !== void 0) return { ok: true, body: found };
  const groupResource = gvr === void 0 ? "" : gvr.group === "" ? gvr.resource : `${gvr.resource}.${gvr.group}`;
  return failed(
    `failed to get resource ${apiVersion}/${kind}/${name}: ${groupResource} ${JSON.stringify(name)} not found`
  );
}
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function createFakeClusterApiCaller(objects) {
  const store = storeOf(objects);
  return {
    call(request) {
      if (request.urlPath === void 0 || request.library === "http") return void 0;
      if (request.method !== "GET")
        return {
          ok: false,
          error: `failed to ${request.method} resource with raw url: ${request.urlPath}: method ${request.method} not supported for fake client`
        };
      return answer(store, request.urlPath);
    }
  };
}
function hasTargets(mutate) {
  const targets = mutate.targets;
  return Array.isArray(targets) && targets.length > 0;
}
function walkFinds(value, found) {
  if (Array.isArray(value)) return value.some((v) => walkFinds(v, found));
  if (value === null || typeof value !== "object") return false;
  for (const [k, v] of Object.entries(value)) if (found(k, v) || walkFinds(v, found)) return true;
  return false;
}
function specReadsFakeCluster(spec) {
  return walkFinds(
    spec,
    (k, v) => k === "mutate" && v !== null && typeof v === "object" && hasTargets(v) || k === "apiCall" && v !== null && typeof v === "object" && "urlPath" in v
  );
}

// src/io/files/image-verification-data.ts
import { Buffer as Buffer2 } from "node:buffer";
function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
var str = (o, k) => typeof o[k] === "string" ? o[k] : void 0;
function pemFields(o) {
  const certificate = str(o, "certificate");
  const chain = str(o, "chain");
  return { ...certificate !== void 0 ? { certificate } : {}, ...chain !== void 0 ? { chain } : {} };
}
function signatureOf(v) {
  if (!isObject(v)) return "a signature must be an object";
  const base64 = str(v, "payloadBase64");
  const payload = base64 !== void 0 ? Buffer2.from(base64, "base64").toString("utf8") : str(v, "payload");
  const signature = str(v, "signature");
  if (payload === void 0 || signature === void 0)
    return "a signature needs payload (or payloadBase64) and signature";
  return { payload, signature, ...pemFields(v) };
}
function attestationOf(v) {
  if (!isObject(v)) return "an attestation must be an object";
  const env = isObject(v.envelope) ? v.envelope : v;
  const payload = str(env, "payload");
  const sigs = Array.isArray(env.signatures) ? env.signatures : [];
  if (payload === void 0 || sigs.length === 0)
    return "an attestation needs a DSSE payload (base64) and signatures[].sig";
  return {
    payloadType: str(env, "payloadType") ?? "application/vnd.in-toto+json",
    payload,
    signatures: sigs.filter(isObject).flatMap((s) => typeof s.sig === "string" ? [{ sig: s.sig }] : []),
    ...pemFields(v)
  };
}
function imageVerificationDataOf(entry) {
  const problems = [];
  const signatures = [];
  const attestations = [];
  for (const s of Array.isArray(entry.signatures) ? entry.signatures : []) {
    const r = signatureOf(s);
    if (typeof r === "string") problems.push(r);
    else signatures.push(r);
  }
  for (const a of Array.isArray(entry.attestations) ? entry.attestations : []) {
    const r = attestationOf(a);
    if (typeof r === "string") problems.push(r);
    else attestations.push(r);
  }
  const digest = typeof entry.digest === "string" && entry.digest !== "" ? entry.digest : void 0;
  return {
    answer: { ok: true, data: { ...digest !== void 0 ? { digest } : {}, signatures, attestations } },
    problems
  };
}
function normalizedReference(ref) {
  return parseImageReference(ref)?.reference ?? ref;
}

// src/io/offline-ports.ts
function sameApiVersion(want, have) {
  return want === "" || want === "*" || want === have;
}
function createClusterReader(objects, resourceKinds = /* @__PURE__ */ new Map()) {
  return {
    kindOf: (apiVersion, resource) => resourceKinds.get(`${apiVersion}|${resource}`),
    get(apiVersion, kind, namespace, name) {
      return objects.find(
        (o) => sameApiVersion(apiVersion, o.apiVersion) && o.kind === kind && o.metadata?.name === name && (namespace === void 0 || namespace === "" || o.metadata?.namespace === namespace)
      );
    },
    list(apiVersion, kind, namespace) {
      return objects.filter(
        (o) => sameApiVersion(apiVersion, o.apiVersion) && o.kind === kind && (namespace === void 0 || namespace === "" || o.metadata?.namespace === namespace)
      );
    }
  };
}
function createApiCaller(mocks) {
  return {
    call(request) {
      const method = request.method ?? "GET";
      const mock = mocks.find((m) => {
        const mMethod = m.method === void 0 || m.method === "" ? "GET" : m.method.toUpperCase();
        if (mMethod !== method) return false;
        if (request.url !== void 0 && m.url !== void 0) return m.url === request.url;
        if (request.urlPath !== void 0 && m.urlPath !== void 0) return m.urlPath === request.urlPath;
        return false;
      });
      if (mock === void 0) return void 0;
      const status = mock.response?.statusCode ?? 200;
      if (status < 200 || status > 299) {
        return { ok: false, error: `HTTP ${status}: ${JSON.stringify(mock.response?.body ?? null)}` };
      }
      return { ok: true, body: mock.response?.body ?? null };
    }
  };
}
function createCelHttpMockCaller(mocks) {
  const index = /* @__PURE__ */ new Map();
  for (const m of mocks) {
    const url = (m.url ?? "").trim() || (m.urlPath ?? "").trim();
    const method = (m.method ?? "").trim().toUpperCase();
    const statusCode = m.response?.statusCode ?? 0;
    index.set(method === "" ? url : `${method}:${url}`, {
      body: m.response?.body ?? null,
      statusCode: statusCode === 0 ? 200 : statusCode
    });
  }
  return {
    call(request) {
      const url = request.url ?? request.urlPath ?? "";
      const key = [`${request.method ?? "GET"}:${url}`, url].find((k) => index.has(k));
      return key === void 0 ? void 0 : { ok: true, body: index.get(key) };
    }
  };
}
function mockValue(e, files, memo) {
  let root = e.data !== void 0 ? e.data : e.resources !== void 0 ? e.resources : e.resourceFiles !== void 0 ? e.resourceFiles.flatMap((f) => files.get(f) ?? []) : null;
  try {
    if (e.fieldPath !== void 0 && e.fieldPath !== "") root = searchJmespath(e.fieldPath, root, { memo });
    if (e.projections === void 0 || e.projections.length === 0) return { ok: true, data: root };
    const out = {};
    for (const p of e.projections) out[p.name] = searchJmespath(p.path, root, { memo });
    return { ok: true, data: out };
  } catch (err) {
    return { ok: false, error: `globalContextEntries "${e.name}": ${errorText(err)}` };
  }
}
function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}
function createGlobalContextReader(entries, files = /* @__PURE__ */ new Map()) {
  const memo = new CompileMemo();
  return {
    get(name) {
      const exact = entries.find((x) => x.name === name);
      if (exact !== void 0) return mockValue(exact, files, memo);
      const e = entries.find((x) => name.startsWith(`${x.name}.`));
      if (e === void 0) return { ok: false, error: `global context entry not found: ${name}` };
      const projection = name.slice(e.name.length + 1);
      const value = mockValue(e, files, memo);
      if (!value.ok) return value;
      const data = value.data;
      if (data === null || typeof data !== "object" || Array.isArray(data))
        return {
          ok: false,
          error: `global context mock: projection "${projection}" requested but value is not an object`
        };
      if (!Object.hasOwn(data, projection))
        return { ok: false, error: `global context mock: projection "${projection}" not found` };
      return { ok: true, data: data[projection] };
    }
  };
}
function imageDataOf(entry) {
  const str2 = (k) => typeof entry[k] === "string" ? entry[k] : "";
  const out = {
    image: str2("image"),
    resolvedImage: str2("resolvedImage"),
    registry: str2("registry"),
    repository: str2("repository")
  };
  for (const k of ["tag", "digest"]) if (str2(k) !== "") out[k] = str2(k);
  for (const k of ["imageIndex", "manifest", "config"]) {
    if (entry[k] !== void 0 && entry[k] !== null) out[k] = entry[k];
  }
  return out;
}
function createImageDataReader(images) {
  const byImage = /* @__PURE__ */ new Map();
  for (const img of images) byImage.set(typeof img.image === "string" ? img.image : "", imageDataOf(img));
  const entryFor = (reference) => images.find((i) => i.image === reference) ?? images.find(
    (i) => typeof i.image === "string" && normalizedReference(i.image) === normalizedReference(reference)
  );
  return {
    get(reference) {
      const data = byImage.get(reference);
      if (data === void 0)
        return { ok: false, error: `image data for ${reference} not found in the context` };
      return { ok: true, data };
    },
    verification(reference) {
      const entry = entryFor(reference);
      if (entry === void 0)
        return { ok: false, error: `image data for ${reference} not found in the context` };
      const { answer: answer2, problems } = imageVerificationDataOf(entry);
      return problems.length > 0 ? { ok: false, error: `context image ${reference}: ${problems.join("; ")}` } : answer2;
    }
  };
}
function createOfflineAuthorizer() {
  return { authorize: () => ({ decision: "deny", reason: "" }) };
}
function createOfflinePorts(input) {
  const readable = [
    ...input.allowClusterReads === true ? input.clusterObjects ?? [] : [],
    ...input.cloneSources ?? []
  ];
  const withCluster = input.allowClusterReads === true || (input.cloneSources?.length ?? 0) > 0;
  const fakeApi = input.applyFakeCluster === true || input.apiCallsFromCluster === true ? createFakeClusterApiCaller(readable) : void 0;
  const mocks = input.apiCallResponses !== void 0 && input.apiCallResponses.length > 0 ? input.celHttpMocks === true ? createCelHttpMockCaller(input.apiCallResponses) : createApiCaller(input.apiCallResponses) : void 0;
  const apiCaller = mocks !== void 0 && fakeApi !== void 0 && input.celHttpMocks !== true ? { call: (r) => mocks.call(r) ?? fakeApi.call(r) } : mocks ?? fakeApi;
  return {
    // nowMs: the limits read the clock at every step; Date.now() builds no Date.
    clock: { now: () => /* @__PURE__ */ new Date(), nowMs: () => Date.now() },
    ...withCluster ? { cluster: createClusterReader(readable, input.resourceKinds) } : {},
    ...apiCaller !== void 0 ? { apiCaller } : {},
    ...input.applyFakeCluster === true ? { skipConfigMapEntries: true } : {},
    ...input.globalContextEntries !== void 0 && input.globalContextEntries.length > 0 ? { globalContext: createGlobalContextReader(input.globalContextEntries, input.globalContextFiles) } : {},
    ...input.images !== void 0 ? { imageData: createImageDataReader(input.images) } : {},
    authorizer: createOfflineAuthorizer(),
    ...input.admissionParams !== void 0 && input.admissionParams.length > 0 ? { admissionParams: { list: () => input.admissionParams ?? [] } } : {}
  };
}

// src/io/schemas/cli-file.ts
var { canonicalizeKeys, isPlainObject, jsonTypeOf, validateSchema } = schema_dsl_exports;
var CLI_API_VERSION = "cli.kyverno.io/v1alpha1";
function validateCliFile(doc, kind, schema) {
  if (!isPlainObject(doc)) {
    return {
      ok: false,
      issues: [
        diagnostic("policy/wrong-type", `expected a YAML mapping (object), got ${jsonTypeOf(doc)}`, [])
      ]
    };
  }
  const diags = [];
  for (const key of ["apiVersion", "kind"]) {
    if (typeof doc[key] !== "string" || doc[key] === "") {
      diags.push(
        diagnostic("test/deprecated-schema", `missing \`${key}\`: the file uses a deprecated schema`, [key], {
          hint: `add \`apiVersion: ${CLI_API_VERSION}\` and \`kind: ${kind}\``
        })
      );
    }
  }
  if (typeof doc.apiVersion === "string" && doc.apiVersion !== "" && doc.apiVersion !== CLI_API_VERSION) {
    diags.push(
      diagnostic(
        "policy/invalid-value",
        `unexpected apiVersion "${doc.apiVersion}": expected "${CLI_API_VERSION}"`,
        ["apiVersion"],
        { severity: "warning", hint: `use \`apiVersion: ${CLI_API_VERSION}\`` }
      )
    );
  }
  if (typeof doc.kind === "string" && doc.kind !== "" && doc.kind !== kind) {
    diags.push(
      diagnostic("policy/invalid-value", `expected kind "${kind}", got "${doc.kind}"`, ["kind"], {
        severity: "warning",
        hint: `use \`kind: ${kind}\``
      })
    );
  }
  diags.push(...validateSchema(schema, doc));
  if (diags.some((d) => d.severity === "error")) return { ok: false, issues: diags };
  return { ok: true, value: canonicalizeKeys(schema, doc), warnings: diags };
}

// src/io/schemas/values-file.ts
var { any, array, map, object, oneOf, req, string } = schema_dsl_exports;
var CI = { keyCase: "insensitive" };
var apiResource = object(
  {
    name: string(),
    singularName: string(),
    namespaced: any(),
    group: string(),
    version: string(),
    kind: string(),
    verbs: array(string()),
    shortNames: array(string()),
    categories: array(string()),
    storageVersionHash: string()
  },
  CI
);
var valuesMap = map(any(), { label: "a map of variable values" });
var foreachValues = map(array(any()), { label: "a map of variable \u2192 list of values" });
var valuesSpecFields = {
  globalValues: valuesMap,
  policies: array(
    object(
      {
        name: req(string()),
        rules: array(
          object(
            {
              name: req(string()),
              values: valuesMap,
              foreachValues: oneOf([foreachValues, array(foreachValues)])
            },
            CI
          )
        ),
        resources: array(object({ name: req(string()), values: valuesMap }, CI))
      },
      CI
    )
  ),
  namespaceSelector: array(object({ name: req(string()), labels: map(string()) }, CI)),
  namespaces: array(
    object({ apiVersion: string(), kind: string(), metadata: objectMeta }, { unknown: "allow" })
  ),
  subresources: array(object({ subresource: req(apiResource), parentResource: req(apiResource) }, CI)),
  variables: map(string())
};
var valuesSpecSchema = object(valuesSpecFields, CI);
var valuesFileSchema = object(
  { apiVersion: string(), kind: string(), metadata: objectMeta, ...valuesSpecFields },
  CI
);
function validateValuesFile(doc) {
  return validateCliFile(doc, "Values", valuesFileSchema);
}

// src/io/files/values-spec.ts
function isObject2(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function decodeValuesDocument(doc, file) {
  if (doc === void 0)
    return { issues: [ioDiagnostic("values/invalid", "values file is empty", { file })] };
  const validated = validateValuesFile(doc.value);
  if (!validated.ok) return { issues: validated.issues.map((d) => ({ ...d, source: locate(doc, d.path) })) };
  return { spec: validated.value, issues: [] };
}
function parseSetPairs(items) {
  const values = {};
  const issues = [];
  for (const item of items) {
    for (const pair of item.split(",")) {
      if (pair.trim() === "") continue;
      const eq = pair.indexOf("=");
      if (eq <= 0) {
        issues.push(ioDiagnostic("values/invalid", `--set expects key=value, got "${pair}"`));
        continue;
      }
      const key = pair.slice(0, eq).trim();
      if (key.includes("request.object.")) {
        issues.push(
          ioDiagnostic("values/invalid", `--set ${key}: variables under request.object are ignored`, {
            severity: "warning"
          })
        );
        continue;
      }
      values[key] = pair.slice(eq + 1).trim();
    }
  }
  return { values, issues };
}
function computeVariableValues(spec, setValues, policyName, resourceName) {
  const global = {};
  const rules = {};
  const foreachValues2 = {};
  if (spec !== void 0) {
    if (isObject2(spec.globalValues)) Object.assign(global, spec.globalValues);
    for (const p of spec.policies ?? []) {
      if (p.name !== policyName) continue;
      for (const r of p.resources ?? [])
        if (r.name === resourceName && isObject2(r.values)) Object.assign(global, r.values);
      for (const rule of p.rules ?? []) {
        if (isObject2(rule.values)) rules[rule.name] = { ...rules[rule.name] ?? {}, ...rule.values };
        if (isObject2(rule.foreachValues)) {
          const fv = { ...foreachValues2[rule.name] ?? {} };
          for (const [k, list] of Object.entries(rule.foreachValues)) if (Array.isArray(list)) fv[k] = list;
          foreachValues2[rule.name] = fv;
        }
      }
    }
  }
  Object.assign(global, setValues);
  if (global["request.operation"] === void 0) global["request.operation"] = "CREATE";
  return { global, rules, foreachValues: foreachValues2 };
}
function namespaceLabels(spec, namespace) {
  if (spec === void 0 || namespace === void 0) return void 0;
  for (const ns of spec.namespaceSelector ?? []) if (ns.name === namespace) return { ...ns.labels ?? {} };
  for (const ns of spec.namespaces ?? [])
    if (ns.metadata?.name === namespace) return { ...ns.metadata.labels ?? {} };
  return void 0;
}

// src/io/requests/offline-request.ts
function readsClusterNamespace(object3, inputs) {
  const namespace = object3.metadata?.namespace ?? "";
  if (inputs.clusterNamespaces === void 0 || object3.kind === "Namespace" || namespace === "") return false;
  const labels = namespaceLabels(inputs.values, namespace);
  return labels === void 0 || Object.keys(labels).length === 0;
}
function missingClusterNamespace(object3, inputs) {
  if (!readsClusterNamespace(object3, inputs)) return void 0;
  const namespace = object3.metadata?.namespace ?? "";
  if (inputs.clusterNamespaces?.has(namespace) === true) return void 0;
  return `failed to apply policies on resource ${object3.metadata?.name ?? ""} (failed to get the resource's namespace (namespaces "${namespace}" not found))`;
}
function namespaceObjectFor(values, namespace) {
  if (values === void 0 || namespace === "") return null;
  for (const ns of values.namespaces ?? []) {
    if (ns.metadata?.name === namespace) return ns;
  }
  for (const ns of values.namespaceSelector ?? []) {
    if (ns.name === namespace) {
      return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespace, ...ns.labels !== void 0 ? { labels: { ...ns.labels } } : {} }
      };
    }
  }
  return null;
}
function field(o, key) {
  const v = typeof o === "object" && o !== null ? o[key] : void 0;
  return typeof v === "string" ? v : "";
}
function requestTarget(object3, values) {
  const { group, version } = splitApiVersion(object3.apiVersion ?? "");
  const kind = object3.kind ?? "";
  for (const entry of values?.subresources ?? []) {
    const sub = entry?.subresource;
    const parent = entry?.parentResource;
    if (field(sub, "kind") !== kind || field(sub, "group") !== group || field(sub, "version") !== version)
      continue;
    const [parentName, subName] = field(sub, "name").split("/", 2);
    if (subName === void 0) continue;
    const pg = field(parent, "group");
    const pv = field(parent, "version");
    return {
      kind: { group: pg, version: pv, kind: field(parent, "kind") },
      resource: { group: pg, version: pv, resource: field(parent, "name") || (parentName ?? "") },
      subResource: subName
    };
  }
  return {
    kind: { group, version, kind },
    resource: { group, version, resource: resourceForKind(kind) }
  };
}
function variablesFor(inputs, resourceName, forced) {
  let unnamed;
  return (policyName) => {
    if (namesPolicy(inputs, policyName)) return valuesOf(inputs, policyName, resourceName, forced);
    unnamed ??= valuesOf(inputs, policyName, resourceName, forced);
    return unnamed;
  };
}
function valuesOf(inputs, policyName, resourceName, forced) {
  const values = computeVariableValues(inputs.values, inputs.setValues ?? {}, policyName, resourceName);
  if (forced === void 0) return values;
  return { ...values, global: { ...values.global, "request.operation": forced } };
}
function namesPolicy(inputs, policyName) {
  for (const p of inputs.values?.policies ?? []) if (p.name === policyName) return true;
  return false;
}
function offlineRequest(object3, inputs, operation) {
  const fromValues = inputs.setValues?.["request.operation"] ?? inputs.values?.globalValues?.["request.operation"];
  const op = operation ?? operationOf(fromValues);
  const name = object3.metadata?.name ?? "";
  const namespace = object3.metadata?.namespace ?? "";
  const info = inputs.requestInfo;
  const fromCluster = readsClusterNamespace(object3, inputs) ? inputs.clusterNamespaces?.get(namespace) : void 0;
  const labels = fromCluster !== void 0 ? { ...fromCluster.metadata?.labels ?? {} } : namespaceLabels(inputs.values, object3.metadata?.namespace);
  const context = {
    namespaceObject: fromCluster ?? namespaceObjectFor(inputs.values, namespace),
    ...labels !== void 0 ? { namespaceLabels: labels } : {},
    ...info !== void 0 ? { roles: info.roles, clusterRoles: info.clusterRoles } : {},
    variables: variablesFor(inputs, name, operation),
    operationFromValues: operation === void 0,
    ...inputs.targets !== void 0 ? { mutateExistingTargets: inputs.targets } : {}
  };
  return {
    uid: "",
    ...requestTarget(object3, inputs.values),
    name,
    namespace,
    operation: op,
    object: op === "DELETE" ? null : object3,
    oldObject: op === "UPDATE" || op === "DELETE" ? object3 : null,
    ...info !== void 0 ? { userInfo: info.userInfo } : {},
    ...info?.dryRun !== void 0 ? { dryRun: info.dryRun } : {},
    context
  };
}
function rowOperation(operation) {
  const op = operation?.toUpperCase();
  return op === "UPDATE" || op === "DELETE" || op === "CONNECT" ? op : void 0;
}

// src/io/report/generate-failures.ts
function generateFailures(results, loaded) {
  const out = [];
  let at;
  for (const { response: er } of results) {
    for (const rule of er.rules) {
      if (rule.generateError === void 0) continue;
      at ??= settledSource(locateInResource(loaded, void 0));
      const where = {
        severity: "warning",
        file: at.file,
        document: at.document,
        line: at.line,
        column: at.column
      };
      const what = `policy ${er.policyKey}, rule ${rule.name}: the resource to generate for ${resourceLabel(loaded.object)} could not be built: ${rule.generateError}`;
      out.push({
        ...ioDiagnostic("generate/not-built", what, where),
        hint: "the rule is reported as pass, as Kyverno does"
      });
    }
  }
  return out;
}

// src/cli/output/findings.ts
var STATUSES = ["pass", "fail", "warn", "error", "skip"];
function isProblem(f) {
  return f.status === "fail" || f.status === "warn" || f.status === "error";
}
function policyInfo(annotations) {
  const a = annotations ?? {};
  const pick = (k) => {
    const v = a[`policies.kyverno.io/${k}`];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : void 0;
  };
  const info = {};
  const title = pick("title");
  const description = pick("description");
  const severity = pick("severity");
  const category = pick("category");
  if (title !== void 0) info.title = title;
  if (description !== void 0) info.description = description;
  if (severity !== void 0) info.severity = severity;
  if (category !== void 0) info.category = category;
  return info;
}
var STDIN_FILE = "<stdin>";
function fileLocation(f) {
  return f.location !== void 0 && f.location.file !== STDIN_FILE ? f.location : void 0;
}
function locationText(f) {
  const l = f.location;
  return l === void 0 ? "" : `${l.file}:${l.line}:${l.column}`;
}
function oneLine(s) {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

// src/cli/run/locate-rows.ts
function locateFailedRows(rows, resources, payloads = []) {
  const byKey = /* @__PURE__ */ new Map();
  for (const r of resources) if (!byKey.has(resourceKey(r.object))) byKey.set(resourceKey(r.object), r);
  for (const p of payloads) if (!byKey.has(p.key)) byKey.set(p.key, { object: p.value, source: p.source });
  return rows.map((row) => {
    if (row.result !== "Fail" || row.resourceKey === void 0) return row;
    const resource = byKey.get(row.resourceKey);
    return resource !== void 0 ? { ...row, location: locateInResource(resource, row.path) } : row;
  });
}
var infoOf = /* @__PURE__ */ new WeakMap();
var NO_INFO = policyInfo(void 0);
function cachedPolicyInfo(annotations) {
  if (annotations === void 0 || annotations === null) return NO_INFO;
  let info = infoOf.get(annotations);
  if (info === void 0) {
    info = policyInfo(annotations);
    infoOf.set(annotations, info);
  }
  return info;
}

// src/io/files/json-payloads.ts
function jsonPayloadPaths(spec) {
  const s = spec;
  const out = [];
  if (Array.isArray(s.jsonPayloads)) {
    for (const p of s.jsonPayloads) if (typeof p === "string" && p !== "") out.push(p);
  }
  if (typeof s.jsonPayload === "string" && s.jsonPayload !== "") out.push(s.jsonPayload);
  return [...new Set(out)];
}
function isObject3(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function loadJsonPayloads(paths, stdin) {
  const payloads = [];
  const issues = [];
  for (const { key, file } of paths) {
    const read = readText(file, stdin);
    if (!read.ok) {
      issues.push(read.issue);
      continue;
    }
    const loaded = loadDocuments(read.text, displayName(file), { expandLists: false });
    issues.push(...loaded.issues);
    if (loaded.issues.some((d) => d.severity === "error")) continue;
    const docs = loaded.documents.filter((d) => d.value !== null && d.value !== void 0);
    const values = docs.map((d) => d.value);
    const value = values.length === 1 ? values[0] : values;
    if (values.length === 0) {
      issues.push(ioDiagnostic("input/empty", `JSON payload ${key} is empty`, { file }));
      continue;
    }
    if (!isObject3(value)) {
      issues.push(
        ioDiagnostic(
          "resource/invalid",
          `JSON payload ${key} must be a JSON object (got a list or a scalar)`,
          {
            file
          }
        )
      );
      continue;
    }
    payloads.push({ key, value, source: docs[0] });
  }
  return { payloads, issues };
}

// src/io/schemas/user-info-file.ts
var { array: array2, bool, map: map2, object: object2, string: string2 } = schema_dsl_exports;
var CI2 = { keyCase: "insensitive" };
var userInfoFileSchema = object2(
  {
    apiVersion: string2(),
    kind: string2(),
    metadata: objectMeta,
    roles: array2(string2()),
    clusterRoles: array2(string2()),
    userInfo: object2(
      { username: string2(), uid: string2(), groups: array2(string2()), extra: map2(array2(string2())) },
      CI2
    ),
    dryRun: bool()
  },
  CI2
);
function validateUserInfoFile(doc) {
  return validateCliFile(doc, "UserInfo", userInfoFileSchema);
}

// src/io/files/user-info-decode.ts
function strings(v) {
  return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
}
function toRequestInfo(v) {
  const u = v.userInfo ?? {};
  const userInfo = {};
  if (typeof u.username === "string") userInfo.username = u.username;
  if (typeof u.uid === "string") userInfo.uid = u.uid;
  if (Array.isArray(u.groups)) userInfo.groups = strings(u.groups);
  if (u.extra !== null && typeof u.extra === "object") userInfo.extra = u.extra;
  const info = {
    userInfo,
    roles: strings(v.roles),
    clusterRoles: strings(v.clusterRoles)
  };
  if (typeof v.dryRun === "boolean") info.dryRun = v.dryRun;
  return info;
}
function decodeUserInfoDocument(doc, file) {
  if (doc === void 0)
    return { issues: [ioDiagnostic("userinfo/invalid", "user info file is empty", { file })] };
  const validated = validateUserInfoFile(doc.value);
  if (!validated.ok) return { issues: validated.issues.map((d) => ({ ...d, source: locate(doc, d.path) })) };
  return { info: toRequestInfo(validated.value), issues: [] };
}

// src/io/files/user-info.ts
function loadUserInfoFile(path) {
  const loaded = loadSingleFile(path, { duplicateKeys: "error" });
  if (loaded.issues.length > 0) return { issues: loaded.issues };
  return decodeUserInfoDocument(loaded.document, path);
}

// src/io/files/values.ts
function loadValuesFile(path) {
  const loaded = loadSingleFile(path, { duplicateKeys: "error" });
  if (loaded.issues.length > 0) return { issues: loaded.issues };
  return decodeValuesDocument(loaded.document, path);
}

// src/io/files/context-documents.ts
function isObject4(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function decodeContextDocuments(loaded) {
  const issues = [...loaded.issues];
  const resources = [];
  const images = [];
  for (const doc of loaded.documents) {
    const v = doc.value;
    if (!isObject4(v) || v.kind !== "Context" || typeof v.apiVersion !== "string") {
      issues.push({
        ...ioDiagnostic("test/invalid", "a context file must hold a cli.kyverno.io/v1alpha1 Context"),
        source: locate(doc, [])
      });
      continue;
    }
    const spec = isObject4(v.spec) ? v.spec : {};
    const list = spec.resources ?? [];
    if (!Array.isArray(list)) {
      issues.push({
        ...ioDiagnostic("test/invalid", "spec.resources must be a list of objects", {
          path: ["spec", "resources"]
        }),
        source: locate(doc, ["spec", "resources"])
      });
    } else {
      list.forEach((r, i) => {
        if (isObject4(r) && typeof r.kind === "string") resources.push(r);
        else
          issues.push({
            ...ioDiagnostic("test/invalid", "each context resource must be a Kubernetes object", {
              path: ["spec", "resources", i]
            }),
            source: locate(doc, ["spec", "resources", i])
          });
      });
    }
    if (Array.isArray(spec.images))
      spec.images.forEach((img, i) => {
        if (!isObject4(img)) return;
        images.push(img);
        for (const problem of imageVerificationDataOf(img).problems)
          issues.push({
            ...ioDiagnostic("test/invalid", `context image ${String(img.image)}: ${problem}`, {
              path: ["spec", "images", i]
            }),
            source: locate(doc, ["spec", "images", i])
          });
      });
  }
  return { resources, images, issues };
}

// src/io/files/context-file.ts
function loadContextFile(path) {
  return decodeContextDocuments(loadPaths([path]));
}

// src/io/offline-set-compile.ts
function exceptionDocuments(list) {
  return list.map((x) => ({ document: x.exception, source: x.source }));
}
function compileOfflineDocuments(inputs) {
  const issues = [];
  const celPorts = createOfflinePorts({
    admissionParams: inputs.paramObjects ?? [],
    clusterObjects: inputs.clusterObjects ?? [],
    allowClusterReads: true,
    // Kyverno's CLI always answers image metadata from its fake context, never a registry.
    images: inputs.images ?? [],
    ...inputs.apiCallResponses !== void 0 ? { apiCallResponses: inputs.apiCallResponses, celHttpMocks: true } : {},
    ...inputs.globalContextEntries !== void 0 ? { globalContextEntries: inputs.globalContextEntries } : {}
  });
  const compiled = compilePolicySet(policyDocuments(inputs.policies), {
    exceptions: inputs.exceptionsWithinPolicies === true ? "from-documents" : "explicit-only",
    explicitExceptions: [
      ...exceptionDocuments(inputs.exceptions),
      ...exceptionDocuments(inputs.celExceptions)
    ],
    ...inputs.typeSchemas !== void 0 ? { typeSchemas: inputs.typeSchemas } : {}
  });
  for (const d of compiled.diagnostics) issues.push(attachSource(d.diagnostic, d.source));
  const p = inputs.policies;
  const celCount = p.validatingPolicies.length + p.mutatingPolicies.length + p.mutatingAdmissionPolicies.length + p.generatingPolicies.length + p.deletingPolicies.length + p.imageValidatingPolicies.length + p.admissionPolicies.length;
  return { set: compiled.set, issues, invalid: compiled.rejected.map((r) => r.name), celCount, celPorts };
}

// src/io/offline-policy-set.ts
function compileOfflineSet(inputs) {
  const issues = [];
  let contextObjects = [];
  let contextImages = [];
  if (inputs.contextFile !== void 0) {
    const ctx = loadContextFile(inputs.contextFile);
    issues.push(...ctx.issues);
    contextObjects = ctx.resources;
    contextImages = ctx.images;
  }
  const params = loadResources(inputs.paramResources ?? []);
  issues.push(...params.issues);
  const { contextFile: _file, paramResources: _params, targetResources, ...rest } = inputs;
  const compiled = compileOfflineDocuments({
    ...rest,
    paramObjects: params.resources.map((r) => r.object),
    clusterObjects: [...contextObjects, ...targetResources ?? []],
    images: contextImages
  });
  return { ...compiled, issues: [...issues, ...compiled.issues] };
}

// src/io/type-schemas.ts
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
function crdDocuments(crdPaths) {
  const folders = /* @__PURE__ */ new Set();
  for (const p of crdPaths) {
    const path = p.endsWith("/") ? p.slice(0, -1) : p;
    try {
      folders.add(statSync(path).isDirectory() ? path : dirname(path));
    } catch {
      folders.add(path);
    }
  }
  const files = [];
  for (const folder of folders) {
    let names;
    try {
      names = readdirSync(folder).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.(ya?ml|json)$/i.test(name)) continue;
      const file = join(folder, name);
      if (statSync(file).isFile()) files.push(file);
    }
  }
  return loadResources(files).resources.map((r) => r.object);
}
async function typeSchemasFor(policies, crdPaths = []) {
  const needed = policies.mutatingPolicies.some(
    (p) => (p.policy.spec?.mutations ?? []).some((m) => m?.patchType === "ApplyConfiguration")
  );
  if (!needed) return void 0;
  const builtins = await loadBuiltinTypeSchemas();
  return crdPaths.length > 0 ? withCrdSchemas(builtins, crdDocuments(crdPaths)) : builtins;
}
function crdPathProblem(path) {
  const abs = resolve(path.endsWith("/") ? path.slice(0, -1) : path);
  const ext = extname(abs);
  if (ext !== ".yaml" && ext !== ".yml")
    return { code: "input/read-error", message: `CRD file must have .yaml or .yml extension: ${abs}` };
  if (!existsSync(abs))
    return { code: "input/not-found", message: `CRD file does not exist at path: ${abs}` };
  return void 0;
}

export {
  GroupedText,
  yamlItem,
  indentJson,
  spliceItems,
  renderTable,
  resourceLabel,
  isViolation,
  ViolationBlocks,
  located,
  summaryLine,
  renderViolations,
  renderApplyTable,
  ApplyTable,
  renderStructured,
  YamlResults,
  JsonResults,
  structuredJsonLines,
  renderReports,
  specReadsFakeCluster,
  createOfflinePorts,
  generateFailures,
  validateCliFile,
  valuesSpecSchema,
  parseSetPairs,
  missingClusterNamespace,
  offlineRequest,
  rowOperation,
  STATUSES,
  isProblem,
  policyInfo,
  STDIN_FILE,
  fileLocation,
  locationText,
  oneLine,
  locateFailedRows,
  cachedPolicyInfo,
  jsonPayloadPaths,
  loadJsonPayloads,
  loadUserInfoFile,
  loadValuesFile,
  compileOfflineSet,
  typeSchemasFor,
  crdPathProblem
};
