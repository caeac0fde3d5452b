/**
 * @module Where a loaded document's nodes start in its file, kept instead of the yaml `Document`: a
 * parsed Document costs many times the decoded value in memory (10,000 Pods held 1.4 GB), while
 * mapping a data path to a line only needs each node's start offset and each mapping's keys.
 */
import { type Document, isMap, isScalar, isSeq, type LineCounter } from 'yaml';

/** A node's start offset (scalars, aliases), or a collection with its children's positions. */
export type NodePositions = number | MapPositions | SeqPositions;

export interface MapPositions {
  readonly start: number;
  /** Each pair's key as `locate` compares it (`String` of the key's value), in source order. */
  readonly keys: readonly string[];
  /** The key nodes themselves (null: a pair without a key node). */
  readonly keyNodes: readonly (NodePositions | null)[];
  /** The value nodes (null: a pair without a value node). */
  readonly values: readonly (NodePositions | null)[];
}

export interface SeqPositions {
  readonly start: number;
  readonly items: readonly (NodePositions | null)[];
}

/** Line and column (1-based) of an offset, as yaml's `LineCounter` gives them. */
export type LinePositions = Pick<LineCounter, 'linePos'>;

/** One file's text, shared by all of its documents. */
export interface FileText {
  readonly text: string;
  /** Where the file's lines start (built on first use when the fast loader read the file). */
  readonly lineCounter: () => LinePositions;
  /** Key strings of the position indexes, one copy per file. */
  readonly keyStrings: Map<string, string>;
}

/** A document's yaml node tree; its ranges are offsets in `text`, which starts at `base` in the file. */
export interface ParsedDocument {
  readonly document: Document.Parsed;
  readonly text: string;
  readonly base: number;
}

/**
 * Where a document's nodes are, computed when first asked for: the fast loader keeps only the
 * document's place in its file and parses it again, with positions, for the few documents that
 * have findings.
 */
export interface DocumentPositions {
  readonly file: FileText;
  /** Where the document starts: the position of a path when even its root is missing. */
  readonly start: () => number;
  /** The index of node offsets (in the file). */
  readonly root: () => NodePositions | null;
  /**
   * A cheaper index (from the event parser, for documents the fast loader read), whose nodes may
   * start at -2: not placed, ask `root`.
   */
  readonly quickRoot?: () => NodePositions | null;
  /**
   * `deepestStart` of `quickRoot` for a path, read straight from the event parser's events while the
   * document is the stream's current one (no index is built), else from `quickRoot`.
   */
  readonly quickStart?: (segs: readonly (string | number)[]) => number;
  /**
   * The yaml Document, parsed again on each call (never kept: a parsed Document costs many times
   * its value): only a position inside a string value needs the scalar's quoting and folding.
   */
  readonly parsed: () => ParsedDocument | undefined;
}

export function isMapPositions(p: NodePositions | null | undefined): p is MapPositions {
  return typeof p === 'object' && p !== null && 'keys' in p;
}

export function isSeqPositions(p: NodePositions | null | undefined): p is SeqPositions {
  return typeof p === 'object' && p !== null && 'items' in p;
}

export function startOf(p: NodePositions): number {
  return typeof p === 'number' ? p : p.start;
}

/**
 * The positions of `node` and everything below it. Recursive: the loader calls it only on documents
 * whose value nests at most `maxDepth` (1,000) levels, and a node tree is never deeper than its value.
 * `keyStrings` interns key strings; pass one map for all documents of a file.
 */
/** The positions of the child `seg` of `node` (mirrors `child` over the yaml node tree). */
function childPositions(
  node: NodePositions | null | undefined,
  seg: string | number,
  keyOfLast: boolean,
): NodePositions | null | undefined {
  if (isMapPositions(node)) {
    const i = node.keys.indexOf(String(seg));
    if (i < 0) return undefined;
    return keyOfLast ? node.keyNodes[i] : (node.values[i] ?? node.keyNodes[i]);
  }
  if (isSeqPositions(node) && typeof seg === 'number') return node.items[seg];
  return undefined;
}

/** Where the deepest node of `segs` that exists starts (-1: none; UNPLACED: ask the yaml tree). */
export function deepestStart(root: NodePositions | null, segs: readonly (string | number)[]): number {
  let node: NodePositions | null | undefined = root;
  let best = node;
  for (const [i, seg] of segs.entries()) {
    node = childPositions(node, seg, i === segs.length - 1);
    if (node === undefined || node === null) break;
    best = node;
  }
  return best === null ? -1 : startOf(best);
}

export function indexNode(
  node: unknown,
  keyStrings: Map<string, string> = new Map(),
  base = 0,
): NodePositions | null {
  const index = (n: unknown): NodePositions | null => indexNode(n, keyStrings, base);
  if (isMap(node)) {
    // `map` allocates each array at its exact size (`push` would reserve room for 17 entries).
    return {
      start: rangeStart(node, base),
      keys: node.items.map((pair) =>
        intern(keyStrings, String(isScalar(pair.key) ? pair.key.value : pair.key)),
      ),
      keyNodes: node.items.map((pair) => index(pair.key)),
      values: node.items.map((pair) => index(pair.value)),
    };
  }
  if (isSeq(node)) return { start: rangeStart(node, base), items: node.items.map(index) };
  if (node === null || typeof node !== 'object') return null;
  return rangeStart(node, base);
}

/** One copy of each key string: the same few keys repeat in every document of a file. */
function intern(strings: Map<string, string>, s: string): string {
  const known = strings.get(s);
  if (known !== undefined) return known;
  strings.set(s, s);
  return s;
}

function rangeStart(node: object, base: number): number {
  const start = (node as { range?: readonly number[] | null }).range?.[0];
  return start === undefined ? -1 : start + base;
}
