/**
 * @module The fast path of YAML loading: plain values only, from js-yaml's event parser, one `---`
 * document at a time. Positions are not built here: each document keeps its place in the file and is
 * parsed again with the positioned parser only when a position is asked for (a finding, a diagnostic).
 * Anything this path does not decode exactly as the full loader would (anchors, aliases, tags, merge
 * and non-string keys, duplicate keys, directives, any syntax error, deep nesting) makes it give up
 * on the file, and the full loader reads it: its diagnostics and guards are the only ones.
 */
import { EVENT_ID, type Event, getScalarValue, parseEvents, SCALAR_STYLE } from 'js-yaml';
import { composeDocuments } from './compose.js';
import type { InputLimits } from './limits.js';
import { MERGE, plainScalar } from './plain-scalar.js';
import {
  type DocumentPositions,
  deepestStart,
  type FileText,
  indexNode,
  type LinePositions,
  type NodePositions,
  type ParsedDocument,
} from './positions.js';

/** One document decoded by the fast path, with its place in the file. */
export interface FastDocument {
  /** 0-based index of the document in the file, as the full loader counts them. */
  readonly index: number;
  /** The decoded value (undefined when `fullLoad` is set). */
  readonly value: unknown;
  readonly positions: DocumentPositions;
  /** Set when the fast path gave up on this document: its text, and where it starts in the file. */
  readonly fullLoad?: {
    readonly text: string;
    readonly start: number;
    /** js-yaml refused it, or it nests past the bound: the full loader reports it, reading the whole file. */
    readonly refused: boolean;
  };
}

/**
 * Where a piece of a file starts: the index of its first document and the number of line ends (LF)
 * before it. A piece always starts a line, so columns in it are the file's.
 */
export interface TextPlace {
  readonly firstIndex: number;
  readonly linesBefore: number;
}

const FILE_START: TextPlace = { firstIndex: 0, linesBefore: 0 };

/** The file's text (or a piece of it, at `place`) with its line index built on first use. */
export function lazyFileText(text: string, place: TextPlace = FILE_START): FileText {
  let lines: LinePositions | undefined;
  return {
    text,
    keyStrings: new Map(),
    lineCounter: () => {
      lines ??= shiftedLines(sparseLines(text), place.linesBefore);
      return lines;
    },
  };
}

function shiftedLines(lines: LinePositions, by: number): LinePositions {
  if (by === 0) return lines;
  return {
    linePos: (offset) => {
      const p = lines.linePos(offset);
      return { line: p.line + by, col: p.col };
    },
  };
}

/**
 * Characters per entry of `sparseLines`' index: a position scans at most this many characters (most
 * findings of a run are placed, so the scan is paid per finding); 16 bytes per KB of text.
 */
const LINE_CHUNK = 256;

/**
 * `LineCounter.linePos` over `text` (lines end at LF), from a sparse index: the number of line ends
 * before every 256th character, and a scan of at most that many characters per position. A full
 * index holds a number per line (8 MB for a file of 10,000 workloads), this one 16 bytes per KB.
 */
export function sparseLines(text: string): LinePositions {
  const before = new Int32Array(Math.floor(text.length / LINE_CHUNK) + 1);
  let n = 0;
  let k = 1;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    while (k < before.length && nl >= k * LINE_CHUNK) before[k++] = n;
    n++;
  }
  while (k < before.length) before[k++] = n;
  return {
    linePos: (offset) => {
      const k = Math.min(Math.floor(offset / LINE_CHUNK), before.length - 1);
      let line = before[k]!;
      // The line starts after the last LF the scan passes; when it passes none, look further back.
      let start = -1;
      for (
        let nl = text.indexOf('\n', k * LINE_CHUNK);
        nl >= 0 && nl < offset;
        nl = text.indexOf('\n', nl + 1)
      ) {
        line++;
        start = nl + 1;
      }
      if (start < 0) start = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
      return { line: line + 1, col: offset - start + 1 };
    },
  };
}

/** Offsets where `prefix` starts a line (at 0, or after LF or CR). */
function lineStartsWith(text: string, prefix: string, from = 0): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(prefix, from); i >= 0; i = text.indexOf(prefix, i + 1)) {
    const before = i === 0 ? '\n' : text[i - 1];
    if (before === '\n' || before === '\r') out.push(i);
  }
  return out;
}

function isMarkerEnd(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Whether `text` holds anything other than blank and comment lines. */
function hasContent(text: string): boolean {
  for (const line of text.split(/\r?\n|\r/)) {
    const t = line.replace(/^[ \t]+/, '');
    if (t !== '' && t[0] !== '#') return true;
  }
  return false;
}

/**
 * The `[start, end)` ranges of the file's documents, as the full parser counts them (a first piece of
 * only comments before a `---` is not a document), or undefined when the file has what only the full
 * parser should split: directives (`%`), document end markers (`...`), a byte-order mark, or line
 * separators a regular expression could take for line ends.
 */
export function documentRanges(text: string): { start: number; end: number }[] | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  if (lineStartsWith(text, '%').length > 0 || lineStartsWith(text, '...').length > 0) return undefined;
  if (text.includes('\u2028') || text.includes('\u2029')) return undefined;
  const markers = lineStartsWith(text, '---').filter((i) => isMarkerEnd(text[i + 3]));
  const out: { start: number; end: number }[] = [];
  const first = markers[0] ?? text.length;
  if (markers.length === 0 || hasContent(text.slice(0, first))) out.push({ start: 0, end: first });
  markers.forEach((m, i) => {
    out.push({ start: m, end: markers[i + 1] ?? text.length });
  });
  return out;
}

/** Marks a construct only the full loader decodes (and reports) exactly. */
const GIVE_UP = Symbol('give up');
/** Nesting past the bound: the full loader refuses the document. */
const TOO_DEEP = Symbol('too deep');

/**
 * A key the full parser surely takes as written: on one line and well within the 1,024 characters
 * YAML allows an implicit key (js-yaml does not enforce that bound).
 */
function isShortKey(src: string, e: Extract<Event, { type: 4 }>): boolean {
  if (e.valueStart === -1) return true;
  if (e.valueEnd - e.valueStart > 1000) return false;
  for (let i = e.valueStart; i < e.valueEnd; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return false;
  }
  return true;
}

function scalarValue(src: string, e: Extract<Event, { type: 4 }>): unknown {
  const text = getScalarValue(src, e);
  return e.style === SCALAR_STYLE.PLAIN ? plainScalar(text) : text;
}

/**
 * The value of the one document in `events` (null when empty), or GIVE_UP. Object keys are set as
 * the full loader sets them: a plain key that decodes to a number or boolean is its string form.
 * The open collections are a stack of values with, for maps, the key waiting for its value (null
 * when none, undefined for a sequence): no frame object and no closure per collection.
 */
export function documentValue(events: readonly Event[], src: string, maxDepth: number): unknown {
  const values: (Record<string, unknown> | unknown[])[] = [];
  const keys: (string | null | undefined)[] = [];
  let depth = 0;
  let root: unknown = null;
  let documents = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const type = e.type;
    if (type === EVENT_ID.SCALAR) {
      if (e.anchorStart !== -1 || e.tagStart !== -1) return GIVE_UP;
      if (depth === 0) {
        const v = scalarValue(src, e);
        root = v === MERGE ? '<<' : v;
        continue;
      }
      const key = keys[depth - 1];
      if (key === undefined) {
        const v = scalarValue(src, e);
        (values[depth - 1] as unknown[]).push(v === MERGE ? '<<' : v);
      } else if (key === null) {
        if (!isShortKey(src, e)) return GIVE_UP;
        const k = scalarValue(src, e);
        if (k === null || k === MERGE) return GIVE_UP;
        const name = typeof k === 'string' ? k : String(k);
        if (name === '__proto__' || Object.hasOwn(values[depth - 1]!, name)) return GIVE_UP;
        keys[depth - 1] = name;
      } else {
        const v = scalarValue(src, e);
        (values[depth - 1] as Record<string, unknown>)[key] = v === MERGE ? '<<' : v;
        keys[depth - 1] = null;
      }
    } else if (type === EVENT_ID.POP) {
      // The last POP closes the document itself.
      if (depth > 0) depth--;
    } else if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE) {
      if (depth >= maxDepth) return TOO_DEEP;
      if (e.anchorStart !== -1 || e.tagStart !== -1) return GIVE_UP;
      const v = type === EVENT_ID.MAPPING ? {} : [];
      if (depth === 0) root = v;
      else {
        const key = keys[depth - 1];
        if (key === undefined) (values[depth - 1] as unknown[]).push(v);
        else if (key === null)
          return GIVE_UP; // a collection as a key
        else {
          (values[depth - 1] as Record<string, unknown>)[key] = v;
          keys[depth - 1] = null;
        }
      }
      values[depth] = v;
      keys[depth] = type === EVENT_ID.MAPPING ? null : undefined;
      depth++;
    } else if (type === EVENT_ID.DOCUMENT) {
      if (++documents > 1) return GIVE_UP;
    } else return GIVE_UP; // an alias
  }
  return root;
}

/** The start of a node the event parser does not place where yaml does (block scalars, empty values). */
export const UNPLACED = -2;

interface MapIndex {
  readonly start: number;
  readonly keys: string[];
  readonly keyNodes: (NodePositions | null)[];
  readonly values: (NodePositions | null)[];
}

interface SeqIndex {
  readonly start: number;
  readonly items: (NodePositions | null)[];
}

/**
 * The position index of the one document in `events`, offsets in the file (`base` + offset in `src`):
 * collections and plain scalars start where yaml's nodes start, quoted scalars one character earlier
 * (their quote); block scalars and empty values are UNPLACED, for `locate` to ask yaml.
 */
function eventIndex(events: readonly Event[], src: string, base: number, keys: Map<string, string>) {
  // The open collections, with for each whether it is a map: no `in` test of shapes per event.
  const open: (MapIndex | SeqIndex)[] = [];
  const isMap: boolean[] = [];
  let depth = 0;
  let root: NodePositions | null = null;
  let pendingKey = false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const type = e.type;
    let n: NodePositions;
    if (type === EVENT_ID.SCALAR) {
      const style = e.style;
      n =
        e.valueStart === -1
          ? UNPLACED
          : style === SCALAR_STYLE.PLAIN
            ? e.valueStart + base
            : style === SCALAR_STYLE.SINGLE_QUOTED || style === SCALAR_STYLE.DOUBLE_QUOTED
              ? e.valueStart - 1 + base
              : UNPLACED;
      if (depth > 0 && isMap[depth - 1] && !pendingKey) {
        const top = open[depth - 1] as MapIndex;
        const v = scalarValue(src, e);
        const k = typeof v === 'string' ? v : String(v);
        const known = keys.get(k);
        if (known === undefined) keys.set(k, k);
        top.keys.push(known ?? k);
        top.keyNodes.push(n);
        pendingKey = true;
        continue;
      }
    } else if (type === EVENT_ID.MAPPING) {
      n = { start: e.start + base, keys: [], keyNodes: [], values: [] };
    } else if (type === EVENT_ID.SEQUENCE) {
      n = { start: e.start + base, items: [] };
    } else {
      if (type === EVENT_ID.POP) {
        if (depth > 0) depth--;
        pendingKey = false;
      }
      continue;
    }
    // Attach n to the open collection (or make it the root).
    if (depth === 0) root = n;
    else if (!isMap[depth - 1]) (open[depth - 1] as SeqIndex).items.push(n);
    else if (pendingKey) {
      (open[depth - 1] as MapIndex).values.push(n);
      pendingKey = false;
    }
    if (typeof n === 'object') {
      open[depth] = n as MapIndex | SeqIndex;
      isMap[depth] = type === EVENT_ID.MAPPING;
      depth++;
    }
  }
  return root as NodePositions | null;
}

/** The index just past the node whose event is at `i` (a scalar, or a collection up to its POP). */
function skipNode(events: readonly Event[], i: number): number {
  const type = events[i]!.type;
  if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE) return i + 1;
  let depth = 0;
  do {
    const t = events[i++]!.type;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) depth++;
    else if (t === EVENT_ID.POP) depth--;
  } while (depth > 0);
  return i;
}

/** Where `eventIndex` places the node of event `e` (offsets in the file). */
function eventStart(e: Event, base: number): number {
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) return e.start + base;
  if (e.type !== EVENT_ID.SCALAR || e.valueStart === -1) return UNPLACED;
  const style = e.style;
  if (style === SCALAR_STYLE.PLAIN) return e.valueStart + base;
  if (style === SCALAR_STYLE.SINGLE_QUOTED || style === SCALAR_STYLE.DOUBLE_QUOTED)
    return e.valueStart - 1 + base;
  return UNPLACED;
}

/**
 * `deepestStart(eventIndex(events, src, base), segs)` without the index: walks the one document of
 * `events` down `segs`, skipping the subtrees it does not enter and decoding only the keys of the maps
 * it enters. A finding asks for a path or two of a document, and building the index cost more than
 * the walk (it decodes every key and allocates a node per collection). Events of a document the fast
 * path decoded: keys are scalars and unique as `String` of their value, every key has a value.
 */
export function eventStartOf(
  events: readonly Event[],
  src: string,
  base: number,
  segs: readonly (string | number)[],
): number {
  let i = 0;
  while (i < events.length && events[i]!.type === EVENT_ID.DOCUMENT) i++;
  const root = events[i];
  if (root === undefined || root.type === EVENT_ID.POP) return -1;
  let best = eventStart(root, base);
  for (let s = 0; s < segs.length; s++) {
    const seg = segs[s]!;
    const type = events[i]!.type;
    let j = i + 1;
    if (type === EVENT_ID.MAPPING) {
      const want = String(seg);
      let found = false;
      while (events[j]!.type !== EVENT_ID.POP) {
        const v = scalarValue(src, events[j] as Extract<Event, { type: 4 }>);
        if ((typeof v === 'string' ? v : String(v)) === want) {
          found = true;
          break;
        }
        j = skipNode(events, j + 1);
      }
      if (!found) break;
      // The last segment is placed at its key (as `childPositions`), any other at its value.
      if (s < segs.length - 1) j++;
    } else if (type === EVENT_ID.SEQUENCE && typeof seg === 'number' && Number.isInteger(seg) && seg >= 0) {
      for (let n = 0; n < seg && events[j]!.type !== EVENT_ID.POP; n++) j = skipNode(events, j);
      if (events[j]!.type === EVENT_ID.POP) break;
    } else break;
    i = j;
    best = eventStart(events[i]!, base);
  }
  return best;
}

/** The document parsed last: locating several paths in one document parses it once. */
let lastParsed: { file: FileText; start: number; parsed: ParsedDocument | undefined } | undefined;

/** Positions found again by parsing just this document with the positioned parser. */
function lazyPositions(
  file: FileText,
  start: number,
  end: number,
  quickly: boolean,
  seed?: EventSeed,
): DocumentPositions {
  let root: NodePositions | null | undefined;
  let docStart: number | undefined;
  const parsed = (): ParsedDocument | undefined => {
    if (lastParsed?.file === file && lastParsed.start === start) return lastParsed.parsed;
    const text = file.text.slice(start, end);
    let found: ParsedDocument | undefined;
    for (const document of composeDocuments(text)) {
      found = { document, text, base: start };
      break;
    }
    lastParsed = { file, start, parsed: found };
    return found;
  };
  const index = () => {
    const p = parsed();
    docStart = p === undefined ? start : p.document.range[0] + start;
    root = p === undefined ? null : indexNode(p.document.contents, file.keyStrings, start);
  };
  let quick: NodePositions | null | undefined;
  const positions: DocumentPositions = {
    file,
    start: () => {
      if (docStart === undefined) index();
      return docStart!;
    },
    root: () => {
      if (root === undefined) index();
      return root!;
    },
    quickRoot: () => {
      if (quick === undefined) {
        // The events of the load itself while the document is the current one, else a new parse.
        const kept = seed?.start === start ? seed : undefined;
        const src = kept?.src ?? file.text.slice(start, end);
        quick = eventIndex(
          kept?.events ?? parseEvents(src, { maxDepth: Number.MAX_SAFE_INTEGER }),
          src,
          start,
          file.keyStrings,
        );
      }
      return quick;
    },
    quickStart: (segs) => {
      // While the document is the stream's current one its events are walked; after, the index.
      if (quick === undefined && seed?.start === start && seed.events !== undefined)
        return eventStartOf(seed.events, seed.src, start, segs);
      return deepestStart(positions.quickRoot!(), segs);
    },
    parsed,
  };
  if (quickly) return positions;
  const { quickRoot: _, quickStart: __, ...exact } = positions;
  return exact;
}

/**
 * The events of the document a stream of `fastDocuments` is at: a consumer that places findings while
 * the document is current builds its index from them instead of parsing it again. Dropped when the
 * stream moves on, so documents kept after that hold no events.
 */
interface EventSeed {
  start: number;
  src: string;
  events: readonly Event[] | undefined;
}

/**
 * Every document of `text` (empty ones included, as null) with its index, decoded one at a time as
 * the result is iterated, or undefined when the full loader must read the whole file. A document the
 * fast path gives up on comes back with its text to be read by the full loader. The size and
 * control-character guards have run before.
 */
export function fastDocuments(
  text: string,
  limits: InputLimits,
  place: TextPlace = FILE_START,
): { readonly file: FileText; readonly documents: Iterable<FastDocument> } | undefined {
  const ranges = documentRanges(text);
  if (ranges === undefined) return undefined;
  const file = lazyFileText(text, place);
  return { file, documents: decodeRanges(text, ranges, file, limits, place.firstIndex) };
}

function* decodeRanges(
  text: string,
  ranges: readonly { start: number; end: number }[],
  file: FileText,
  limits: InputLimits,
  firstIndex: number,
): Generator<FastDocument> {
  const seed: EventSeed = { start: -1, src: '', events: undefined };
  try {
    for (const [i, { start, end }] of ranges.entries()) {
      const index = firstIndex + i;
      const src = text.slice(start, end);
      let value: unknown = TOO_DEEP;
      seed.start = -1;
      seed.events = undefined;
      try {
        // One level of slack: the full loader reports a document that nests too deeply.
        const events = parseEvents(src, { maxDepth: limits.maxDepth + 1 });
        value = documentValue(events, src, limits.maxDepth);
        seed.start = start;
        seed.src = src;
        seed.events = events;
      } catch {}
      if (value === GIVE_UP || value === TOO_DEEP) {
        const positions = lazyPositions(file, start, end, false);
        const fullLoad = { text: src, start, refused: value === TOO_DEEP };
        yield { index, value: undefined, positions, fullLoad };
      } else yield { index, value, positions: lazyPositions(file, start, end, true, seed) };
    }
  } finally {
    seed.events = undefined;
  }
}

/** `fastDocuments`, all decoded at once. */
export function fastLoad(
  text: string,
  limits: InputLimits,
): { readonly file: FileText; readonly documents: FastDocument[] } | undefined {
  const fast = fastDocuments(text, limits);
  return fast === undefined ? undefined : { file: fast.file, documents: [...fast.documents] };
}
