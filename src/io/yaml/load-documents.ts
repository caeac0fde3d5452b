/**
 * @module Multi-document YAML/JSON loading with positions and bounds. Kubernetes decodes YAML 1.1-style
 * (go-yaml: `yes`/`on` are booleans) but keeps timestamps and `1:20` as strings, so we do the same.
 * Hostile input never throws: control characters, syntax errors, alias bombs and deep nesting come
 * back as a few diagnostics with file, document, line and column.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, visit } from 'yaml';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { composeDocuments } from './compose.js';
import { documentRanges, fastDocuments, type TextPlace } from './fast-load.js';
import { DEFAULT_LIMITS, type InputLimits, valueDepth } from './limits.js';
import { type DocumentPositions, type FileText, indexNode } from './positions.js';

/** One `---` document of a file, with what is needed to map a data path back to a line. */
export interface LoadedDocument {
  readonly file: string;
  /** 0-based index of the document in the file (after `kind: List` expansion, the List's index). */
  readonly index: number;
  readonly value: unknown;
  /** Where the document's nodes are in the file (the yaml Document itself is not kept). */
  readonly positions: DocumentPositions;
  /** For items expanded from a `kind: List`: the path of the item inside the document. */
  readonly basePath: readonly (string | number)[];
  /**
   * The file was found by walking a folder, not named on the command line or in a test: a document
   * that is not a Kubernetes object there is skipped with a notice (a repository holds other YAML).
   */
  readonly fromFolder?: boolean;
}

export interface LoadedFile {
  readonly documents: readonly LoadedDocument[];
  readonly issues: readonly IoDiagnostic[];
}

export interface LoadOptions {
  readonly limits?: InputLimits;
  readonly expandLists?: boolean;
  /**
   * A key repeated in one mapping: Kubernetes' decoder keeps the last one, so by default a warning;
   * `cli.kyverno.io` files are decoded strictly by Kyverno, where it is an error.
   */
  readonly duplicateKeys?: 'warning' | 'error';
}

/** Syntax problems reported per file; past this one more line says how many were left out. */
const MAX_SYNTAX_ISSUES = 10;

/** The file's text and line index, and its Documents composed again (and kept) if one is asked for. */
function fileText(
  text: string,
  lineCounter: LineCounter,
): FileText & {
  document: (index: number) => Document.Parsed | undefined;
} {
  let docs: Document.Parsed[] | undefined;
  return {
    text,
    lineCounter: () => lineCounter,
    keyStrings: new Map(),
    document: (index) => {
      docs ??= Array.from(composeDocuments(text));
      return docs[index];
    },
  };
}

function errorPosition(lc: LineCounter, offset: number | undefined): { line: number; column: number } {
  if (offset === undefined) return { line: 1, column: 1 };
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

/**
 * Characters go-yaml refuses anywhere in a stream (C0/C1 controls other than tab, LF, CR and NEL; DEL;
 * U+FFFE, U+FFFF). A NUL usually means a binary file was passed where YAML was expected. A regular
 * expression scans a file several times faster than a loop over its characters.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

function controlCharacterIssue(text: string, file: string): IoDiagnostic | undefined {
  const offset = text.search(FORBIDDEN);
  if (offset < 0) return undefined;
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const cp = text.charCodeAt(offset).toString(16).toUpperCase().padStart(4, '0');
  const binary = text.charCodeAt(offset) === 0 ? ' (is this a binary file?)' : '';
  return ioDiagnostic('yaml/syntax-error', `control character U+${cp} is not allowed in YAML${binary}`, {
    file,
    line,
    column: offset - lineStart + 1,
  });
}

/** Only collections can hold keys: scalars are not walked (a path array per scalar was most of the cost). */
function isCollection(node: unknown): boolean {
  return isMap(node) || isSeq(node);
}

/** `yaml/duplicate-key` diagnostics for keys repeated within one mapping (walked without recursion). */
function duplicateKeyIssues(
  doc: Document.Parsed,
  lc: LineCounter,
  file: string,
  index: number,
  severity: 'warning' | 'error',
): IoDiagnostic[] {
  const out: IoDiagnostic[] = [];
  const stack: [unknown, (string | number)[]][] = [[doc.contents, []]];
  while (stack.length > 0 && out.length < MAX_SYNTAX_ISSUES) {
    const [node, path] = stack.pop()!;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && key !== '<<') {
          if (seen.has(key)) {
            const keyNode = pair.key as { range?: [number, number, number] };
            out.push(
              ioDiagnostic(
                'yaml/duplicate-key',
                `mapping key "${key}" already defined${severity === 'warning' ? '; the last value is used' : ''}`,
                {
                  file,
                  document: index,
                  severity,
                  path: [...path, key],
                  ...errorPosition(lc, keyNode.range?.[0]),
                },
              ),
            );
          }
          seen.add(key);
        }
        if (isCollection(pair.value)) stack.push([pair.value, key !== undefined ? [...path, key] : path]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (isCollection(item)) stack.push([item, [...path, i]]);
      });
    }
  }
  return out;
}

/**
 * Parses every document of `text`. Never throws: syntax errors and exceeded bounds come back as
 * diagnostics with file, line and column. Empty documents are dropped; `kind: List` items are expanded
 * when `expandLists` is set.
 */
export function loadDocuments(text: string, file: string, options: LoadOptions = {}): LoadedFile {
  const documents: LoadedDocument[] = [];
  const stream = streamDocuments(text, file, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return { documents, issues: step.value };
    documents.push(step.value);
  }
}

/**
 * `loadDocuments` one document at a time: each is decoded when the consumer asks for the next, and
 * the generator's return value is the file's diagnostics (the same as `loadDocuments`'). While a
 * document is the current one, placing a path in it reuses the events it was decoded from.
 *
 * The fast path reads the file; the documents it gives up on are read one by one by the full loader
 * (a duplicate key, an anchor). When the whole file must be read fully (a document has a syntax
 * error or exceeds a bound: the full loader counts those per file), the documents not yet given
 * come from the full loader and the file's diagnostics are the full loader's alone; the documents
 * given before are the ones it would have given (the tests hold both paths to the same values).
 */
export function* streamDocuments(
  text: string,
  file: string,
  options: LoadOptions = {},
): Generator<LoadedDocument, readonly IoDiagnostic[], void> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const guard = guardIssue(text, file, limits);
  if (guard !== undefined) return [guard];
  const fast = fastDocuments(text, limits);
  if (fast === undefined) return yield* fullyFrom(text, file, options, limits, 0);
  const end = yield* fastStream(fast, file, options, limits);
  // A refused document is an error: the file is read once, fully (not once per document and again).
  if (end.refusedAt !== undefined) return yield* fullyFrom(text, file, options, limits, end.refusedAt);
  return end.issues;
}

/** The full loader's documents from `index` on, and all of its diagnostics. */
function* fullyFrom(
  text: string,
  file: string,
  options: LoadOptions,
  limits: InputLimits,
  from: number,
): Generator<LoadedDocument, readonly IoDiagnostic[], void> {
  const full = loadFully(text, file, options, limits);
  for (const d of full.documents) if (d.index >= from) yield d;
  return full.issues;
}

/** The size and control-character guards every file passes before it is parsed, or the problem. */
function guardIssue(text: string, file: string, limits: InputLimits): IoDiagnostic | undefined {
  if (Buffer.byteLength(text, 'utf8') > limits.maxFileBytes)
    return ioDiagnostic('limits/exceeded', `input is larger than ${limits.maxFileBytes} bytes`, { file });
  return controlCharacterIssue(text, file);
}

/** How a fast stream ended: its diagnostics, or the first document only the whole file's full load reports. */
export interface FastStreamEnd {
  readonly issues: IoDiagnostic[];
  readonly refusedAt?: number;
}

/** The fast path's documents; those it gives up on are read one by one by the full loader. */
function* fastStream(
  fast: NonNullable<ReturnType<typeof fastDocuments>>,
  file: string,
  options: LoadOptions,
  limits: InputLimits,
): Generator<LoadedDocument, FastStreamEnd, void> {
  const issues: IoDiagnostic[] = [];
  for (const { index, value, positions, fullLoad } of fast.documents) {
    if (fullLoad === undefined) {
      if (value !== null && value !== undefined) yield* expanded(options, { file, index, value, positions });
      continue;
    }
    if (fullLoad.refused) return { issues, refusedAt: index };
    const one = loadFully(fullLoad.text, file, { ...options, expandLists: false }, limits);
    if (one.documents.length > 1 || one.issues.some((d) => d.severity === 'error'))
      return { issues, refusedAt: index };
    // The document starts a line, so only lines and the document index move.
    const lines = fast.file.lineCounter().linePos(fullLoad.start).line - 1;
    for (const d of one.issues) {
      const at = d.source;
      issues.push(
        at === undefined
          ? d
          : { ...d, source: { ...at, document: at.document + index, line: at.line + lines } },
      );
    }
    for (const d of one.documents) yield* expanded(options, { file, index, value: d.value, positions });
  }
  return { issues };
}

/**
 * A piece of a file of whole documents (`documentChunks`), read elsewhere (a worker thread) exactly
 * as `streamDocuments` reads those documents of the whole file: same values, indexes, lines and
 * columns. The whole file is still the unit of a refusal: `refusedAt` names the document from which
 * on the file must be read by `streamDocuments` itself.
 */
export interface DocumentChunk {
  readonly file: string;
  readonly text: string;
  readonly place: TextPlace;
}

/**
 * `text` cut into pieces of about `documents` documents each, or undefined when the file must be read
 * whole (it fails a guard, the fast path cannot split it, a piece would not start after a LF, or it
 * has fewer than `minDocuments` documents).
 */
export function documentChunks(
  text: string,
  file: string,
  split: { readonly documents: number; readonly minDocuments: number },
  limits: InputLimits = DEFAULT_LIMITS,
): DocumentChunk[] | undefined {
  if (guardIssue(text, file, limits) !== undefined) return undefined;
  const ranges = documentRanges(text);
  if (ranges === undefined || ranges.length < split.minDocuments) return undefined;
  const chunks: DocumentChunk[] = [];
  let linesBefore = 0;
  let counted = 0;
  for (let first = 0; first < ranges.length; first += split.documents) {
    const start = ranges[first]!.start;
    const end = ranges[Math.min(first + split.documents, ranges.length) - 1]!.end;
    if (start > 0 && text.charCodeAt(start - 1) !== 0x0a) return undefined;
    for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < start; nl = text.indexOf('\n', nl + 1))
      linesBefore++;
    counted = start;
    chunks.push({ file, text: text.slice(start, end), place: { firstIndex: first, linesBefore } });
  }
  return chunks;
}

/** `streamDocuments` over one piece of a file (`documentChunks`); it stops at a refused document. */
export function* streamChunkDocuments(
  chunk: DocumentChunk,
  options: LoadOptions = {},
): Generator<LoadedDocument, FastStreamEnd, void> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const fast = fastDocuments(chunk.text, limits, chunk.place);
  if (fast === undefined) return { issues: [], refusedAt: chunk.place.firstIndex };
  return yield* fastStream(fast, chunk.file, options, limits);
}

/** A decoded document, or the items of a `kind: List` when `expandLists` is set. */
function* expanded(options: LoadOptions, doc: Omit<LoadedDocument, 'basePath'>): Generator<LoadedDocument> {
  const { value } = doc;
  if (options.expandLists === true && isList(value)) {
    for (const [i, item] of value.items.entries()) yield { ...doc, value: item, basePath: ['items', i] };
    return;
  }
  yield { ...doc, basePath: [] };
}

/** A decoded document, or the items of a `kind: List` when `expandLists` is set. */
function addDocument(
  into: LoadedDocument[],
  options: LoadOptions,
  doc: Omit<LoadedDocument, 'basePath'>,
): void {
  const { value } = doc;
  if (options.expandLists === true && isList(value)) {
    value.items.forEach((item, i) => {
      into.push({ ...doc, value: item, basePath: ['items', i] });
    });
    return;
  }
  into.push({ ...doc, basePath: [] });
}

/**
 * The full loader: every document composed into a yaml syntax tree with positions, checked for
 * duplicate keys, alias bombs and nesting, its position index built. Reads what the fast path gives up on
 * (exported for the tests that hold both paths to the same results; the size and control-character
 * guards of `loadDocuments` run before it).
 */
export function loadFully(
  text: string,
  file: string,
  options: LoadOptions = {},
  limits: InputLimits = DEFAULT_LIMITS,
): LoadedFile {
  const issues: IoDiagnostic[] = [];
  const documents: LoadedDocument[] = [];
  const lineCounter = new LineCounter();
  const shared = fileText(text, lineCounter);
  let syntaxIssues = 0;
  let omitted = 0;
  const report = (d: IoDiagnostic): void => {
    if (syntaxIssues < MAX_SYNTAX_ISSUES) {
      issues.push(d);
      syntaxIssues++;
    } else omitted++;
  };
  const loadOne = (doc: Document.Parsed, index: number): void => {
    if (doc.errors.length > 0) {
      // One exhausted bound makes the parser repeat itself for every level below it: report it once.
      const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
      const errors = exhausted !== undefined ? [exhausted] : doc.errors;
      const seen = new Set<string>();
      for (const e of errors) {
        const pos = errorPosition(lineCounter, e.pos[0]);
        const code = e.code === 'RESOURCE_EXHAUSTION' ? 'limits/exceeded' : 'yaml/syntax-error';
        const message =
          code === 'limits/exceeded'
            ? `document nests too deeply to be parsed (limit ${limits.maxDepth})`
            : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        const key = `${pos.line}:${pos.column}:${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        report(ioDiagnostic(code, message, { file, document: index, ...pos }));
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      const failure = toJsFailure(doc, err, limits);
      issues.push(
        ioDiagnostic(failure.code, failure.message, {
          file,
          document: index,
          ...errorPosition(lineCounter, failure.offset),
        }),
      );
      return;
    }
    if (valueDepth(value, limits.maxDepth) > limits.maxDepth) {
      issues.push(
        ioDiagnostic('limits/exceeded', `document nests deeper than ${limits.maxDepth} levels`, {
          file,
          document: index,
          ...errorPosition(lineCounter, doc.range[0]),
        }),
      );
      return;
    }
    const severity = options.duplicateKeys ?? 'warning';
    const dups = duplicateKeyIssues(doc, lineCounter, file, index, severity);
    issues.push(...dups);
    if (severity === 'error' && dups.length > 0) return;
    if (value === null || value === undefined) return;
    const root = indexNode(doc.contents, shared.keyStrings);
    const start = doc.range[0];
    const positions: DocumentPositions = {
      file: shared,
      start: () => start,
      root: () => root,
      parsed: () => {
        const document = shared.document(index);
        return document === undefined ? undefined : { document, text, base: 0 };
      },
    };
    addDocument(documents, options, { file, index, value, positions });
  };
  let index = 0;
  try {
    for (const doc of composeDocuments(text, lineCounter)) loadOne(doc, index++);
  } catch (err) {
    return {
      documents: [],
      issues: [
        ioDiagnostic('limits/exceeded', `input could not be parsed safely: ${(err as Error).message}`, {
          file,
        }),
      ],
    };
  }
  if (omitted > 0)
    issues.push(ioDiagnostic('yaml/syntax-error', `${omitted} more syntax error(s) not shown`, { file }));
  return { documents, issues };
}

function isList(v: unknown): v is { items: unknown[] } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.kind === 'string' && o.kind.endsWith('List') && o.apiVersion === 'v1' && Array.isArray(o.items)
  );
}

/**
 * Why `toJS` failed: a bound (nesting, alias expansion) is `limits/exceeded`; an alias to an anchor
 * never set or a merge key (`<<`) of something other than maps is the author's mistake, a syntax
 * error placed on the alias or the merge value rather than on the document's first line.
 */
function toJsFailure(
  doc: Document.Parsed,
  err: unknown,
  limits: InputLimits,
): { code: 'limits/exceeded' | 'yaml/syntax-error'; message: string; offset: number } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError)
    return {
      code: 'limits/exceeded',
      message: `document nests too deeply (limit ${limits.maxDepth})`,
      offset: doc.range[0],
    };
  if (/excessive alias count/i.test(message))
    return {
      code: 'limits/exceeded',
      message: `too many alias references (limit ${limits.maxAliasCount}): ${message}`,
      offset: doc.range[0],
    };
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      offset = node.range?.[0];
      return visit.BREAK;
    },
    Pair(_, pair) {
      const source = (n: unknown): boolean => isMap(n) || (isAlias(n) && isMap(n.resolve(doc)));
      if (!isScalar(pair.key) || pair.key.source !== '<<') return undefined;
      if (source(pair.value) || (isSeq(pair.value) && pair.value.items.every(source))) return undefined;
      offset = (pair.value as { range?: [number, number, number] } | null)?.range?.[0];
      return visit.BREAK;
    },
  });
  return { code: 'yaml/syntax-error', message, offset: offset ?? doc.range[0] };
}
