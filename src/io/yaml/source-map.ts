/**
 * @module FieldPath → {file, document, line, column}, from the YAML node tree (Spectral's
 * getRangeForJsonPath idea). A path that leaves the tree maps to the deepest node that exists. A
 * position inside a string value (the bad character of a CEL expression) is mapped through the
 * scalar's quoting, escapes, block indentation and folding; when that is not certain, the scalar's start.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { FieldPath, SourceRef } from '../../engine/index.js';
import type { IoDiagnostic } from '../codes.js';
import { UNPLACED } from './fast-load.js';
import type { LoadedDocument } from './load-documents.js';
import { deepestStart } from './positions.js';

/** What placing a path needs of a loaded document: not its value. */
type DocumentPlace = Pick<LoadedDocument, 'file' | 'index' | 'positions' | 'basePath'>;

/** 1-based line and column inside a string value. */
export interface ValuePosition {
  readonly line: number;
  readonly column: number;
}

function child(node: unknown, seg: string | number, keyOfLast: boolean): unknown {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      // The last segment points at its key (`field:`), where an editor would put the cursor.
      if (String(key) === String(seg)) return keyOfLast ? pair.key : (pair.value ?? pair.key);
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') return node.items[seg];
  return undefined;
}

/** Character offset in `value` of a 1-based line/column, or undefined when it lies outside. */
function valueOffset(value: string, pos: ValuePosition): number | undefined {
  const lines = value.split('\n');
  if (pos.line < 1 || pos.line > lines.length || pos.column < 1) return undefined;
  let offset = 0;
  for (let i = 0; i < pos.line - 1; i++) offset += lines[i]!.length + 1;
  const col = Math.min(pos.column - 1, lines[pos.line - 1]!.length);
  return offset + col;
}

/** Offset in the file of `target` (an offset in a one-line quoted scalar's value), or undefined. */
function quotedOffset(src: string, start: number, target: number, double: boolean): number | undefined {
  if (src.includes('\n') || src.includes('\r')) return undefined;
  let i = 1;
  let v = 0;
  const end = src.length - 1;
  while (v < target && i < end) {
    if (!double && src[i] === "'" && src[i + 1] === "'") {
      i += 2;
      v++;
    } else if (double && src[i] === '\\') {
      const e = src[i + 1];
      if (e === 'x') i += 4;
      else if (e === 'u') i += 6;
      else if (e === 'U') {
        const cp = Number.parseInt(src.slice(i + 2, i + 10), 16);
        v += Number.isFinite(cp) && cp > 0xffff ? 1 : 0;
        i += 10;
      } else i += 2;
      v++;
    } else {
      i++;
      v++;
    }
  }
  return v === target && i <= end ? start + i : undefined;
}

/**
 * Offset in the file of `target` in a multi-line plain or block scalar. Each source line's text
 * appears in the value in order, separated by the newlines or spaces folding made of the line breaks.
 */
function alignedOffset(text: string, node: Scalar, value: string, target: number): number | undefined {
  const [start, end] = node.range!;
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  let pos = start;
  if (block) {
    const headerEnd = text.indexOf('\n', start);
    if (headerEnd < 0 || headerEnd >= end) return undefined;
    // An explicit indentation indicator (`|2`) changes what is stripped: not worth guessing.
    if (/\d/.test(text.slice(start, headerEnd).replace(/#.*$/, ''))) return undefined;
    pos = headerEnd + 1;
  }
  const lines: { offset: number; content: string }[] = [];
  let indent: number | undefined;
  while (pos < end) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0 || eol > end) eol = end;
    const raw = text.slice(pos, eol).replace(/\r$/, '');
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() !== '') {
      if (block) {
        indent ??= lead;
        if (lead < indent) return undefined;
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
    while (p < value.length && !value.startsWith(l.content, p) && (value[p] === '\n' || value[p] === ' '))
      p++;
    if (!value.startsWith(l.content, p)) return undefined;
    if (target < p) return prevEnd;
    if (target < p + l.content.length) return l.offset + (target - p);
    p += l.content.length;
    prevEnd = l.offset + l.content.length;
  }
  return prevEnd;
}

/** Offset in the file of the character at `pos` inside a string scalar, or undefined when unsure. */
export function scalarCharOffset(text: string, node: Scalar, pos: ValuePosition): number | undefined {
  if (typeof node.value !== 'string' || node.range === undefined || node.range === null) return undefined;
  const value = node.value;
  const target = valueOffset(value, pos);
  if (target === undefined) return undefined;
  const [start, end] = node.range;
  const src = text.slice(start, end);
  switch (node.type) {
    case 'QUOTE_SINGLE':
      return quotedOffset(src, start, target, false);
    case 'QUOTE_DOUBLE':
      return quotedOffset(src, start, target, true);
    case 'PLAIN':
      if (!src.includes('\n')) return src === value ? start + target : undefined;
      return alignedOffset(text, node, value, target);
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return alignedOffset(text, node, value, target);
    default:
      return undefined;
  }
}

/**
 * Where `path` (relative to the document's value) sits in the file. With `within`, the position of
 * that character inside the string at `path` (falling back to where the string starts).
 */
export function locate(loaded: DocumentPlace, path: FieldPath, within?: ValuePosition): SourceRef {
  if (within !== undefined) return locateInDocument(loaded, path, within);
  const { positions } = loaded;
  const segs = loaded.basePath.length === 0 ? path : [...loaded.basePath, ...path];
  let start = positions.quickStart === undefined ? UNPLACED : positions.quickStart(segs);
  if (start === UNPLACED) start = deepestStart(positions.root(), segs);
  return sourceRef(loaded, start >= 0 ? start : positions.start());
}

/**
 * `locate`, deferred: file and document are known at once, line and column are computed when first
 * read (and then kept). A run reports positions for few of its rows, and finding one parses the
 * document again. A class, not an object literal with getters: `apply` makes one per row, and V8
 * builds a literal's accessors at run time (~0.7 µs each). Line and column are getters of the
 * prototype, so a spread or `Object.keys` sees file and document only: `settledSource` gives the
 * plain record, and JSON gets it from `toJSON`.
 */
class LazySourceRef implements SourceRef {
  readonly file: string;
  readonly document: number;
  // The document's place, not its value: a run that keeps the positions of its rows need not keep
  // its resources. Dropped once found.
  #positions: DocumentPlace['positions'] | undefined;
  #basePath: FieldPath;
  #path: FieldPath;
  #found: SourceRef | undefined = undefined;
  constructor(document: LoadedDocument, path: FieldPath) {
    this.file = document.file;
    this.document = document.index;
    this.#positions = document.positions;
    this.#basePath = document.basePath;
    this.#path = path;
  }
  #settled(): SourceRef {
    if (this.#found === undefined) {
      const place = {
        file: this.file,
        index: this.document,
        positions: this.#positions!,
        basePath: this.#basePath,
      };
      this.#found = locate(place, this.#path);
      this.#positions = undefined;
    }
    return this.#found;
  }
  get line(): number {
    return this.#settled().line;
  }
  get column(): number {
    return this.#settled().column;
  }
  toJSON(): SourceRef {
    return settledSource(this);
  }
}

export function locateLazily(document: LoadedDocument, path: FieldPath): SourceRef {
  return new LazySourceRef(document, path);
}

/** A position with its line and column computed now (a lazy one keeps its document's place until read). */
export function settledSource(ref: SourceRef): SourceRef {
  return { file: ref.file, document: ref.document, line: ref.line, column: ref.column };
}

/**
 * `locate` over the yaml node tree, which the document's text is parsed again for: a position inside
 * a string value needs the scalar's quoting and folding.
 */
export function locateInDocument(loaded: DocumentPlace, path: FieldPath, within?: ValuePosition): SourceRef {
  const parsed = loaded.positions.parsed();
  if (parsed === undefined) return sourceRef(loaded, loaded.positions.start());
  const { document: doc, base } = parsed;
  let node: unknown = doc.contents;
  let best = node as Node | null;
  const segs = [...loaded.basePath, ...path];
  let resolved = true;
  for (const [i, seg] of segs.entries()) {
    node = child(node, seg, within === undefined && i === segs.length - 1);
    if (node === undefined || node === null) {
      resolved = false;
      break;
    }
    best = node as Node;
  }
  let offset = best?.range?.[0] ?? doc.range[0];
  if (within !== undefined && resolved && isScalar(best)) {
    offset = scalarCharOffset(parsed.text, best, within) ?? offset;
  }
  return sourceRef(loaded, offset + base);
}

function sourceRef(loaded: DocumentPlace, offset: number): SourceRef {
  const pos = loaded.positions.file.lineCounter().linePos(offset);
  return { file: loaded.file, document: loaded.index, line: pos.line, column: pos.col };
}

/** Fills in `source` of a diagnostic from its path (and position in the value), unless it already has one. */
export function attachSource(d: IoDiagnostic, loaded: LoadedDocument): IoDiagnostic {
  if (d.source !== undefined) return d;
  return { ...d, path: documentPath(loaded, d.path), source: locate(loaded, d.path, d.valuePosition) };
}

/**
 * `path` (inside a decoded object) as a path from the top of its YAML document: an item of a
 * `kind: List` is named by its index (`items[3].kind`), so a message says which item is wrong.
 */
export function documentPath(loaded: LoadedDocument, path: FieldPath): FieldPath {
  return loaded.basePath.length === 0 ? path : [...loaded.basePath, ...path];
}
