/**
 * @module A piece's violations as they cross from a worker to the command (Kyverno's text output):
 * each distinct string once, the rows as numbers. A structured clone writes a string at every use,
 * and a piece's ~600 violations repeat a few dozen messages of hundreds of characters: ~500 KB to
 * serialize and deserialize per piece. Unpacked, the rows of a piece share one string per message,
 * which `ViolationBlocks`' comparisons with the recent ids then match by identity, not by content.
 */
import type { BlockRow } from '../output/violation-blocks.js';

/** Numbers per row: policy, rule, status, message, auditWarning, label, file, document, line, column. */
const WORDS = 10;
/** `file` of a row without a location. */
const NONE = -1;
/** The keys of `violationRow`'s rows, in its order. */
const KEYS = 'policy,rule,status,message,auditWarning,label';
const LOCATED_KEYS = `${KEYS},location`;

export interface PackedViolations {
  /** Every distinct string of the rows, in the order first seen. */
  readonly strings: readonly string[];
  /** `WORDS` per row: strings by their index; auditWarning 0/1; -1 for no location. */
  readonly words: Int32Array;
}

/** A position as a 32-bit word, or undefined when it is not one (the rows then cross as they are). */
function word(n: unknown): number | undefined {
  return typeof n === 'number' && (n | 0) === n && !Object.is(n, -0) ? n : undefined;
}

/**
 * The rows packed, or undefined when one is not of the shape `violationRow` makes (a label, not a
 * resource; a boolean audit flag; a settled location of four fields with 32-bit positions): those
 * pieces cross unpacked, so unpacking always gives back rows equal to these, key order included.
 */
export function packViolations(rows: readonly BlockRow[]): PackedViolations | undefined {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const id = (s: string): number => {
    let i = ids.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      ids.set(s, i);
    }
    return i;
  };
  const words = new Int32Array(rows.length * WORDS);
  let o = 0;
  for (const r of rows) {
    if (!('label' in r) || typeof r.auditWarning !== 'boolean') return undefined;
    const at = r.location;
    if (Object.keys(r).join() !== (at !== undefined ? LOCATED_KEYS : KEYS)) return undefined;
    words[o] = id(r.policy);
    words[o + 1] = id(r.rule);
    words[o + 2] = id(r.status);
    words[o + 3] = id(r.message);
    words[o + 4] = r.auditWarning ? 1 : 0;
    words[o + 5] = id(r.label);
    if (at === undefined) words[o + 6] = NONE;
    else {
      const document = word(at.document);
      const line = word(at.line);
      const column = word(at.column);
      if (
        typeof at.file !== 'string' ||
        document === undefined ||
        line === undefined ||
        column === undefined ||
        Object.keys(at).join() !== 'file,document,line,column'
      )
        return undefined;
      words[o + 6] = id(at.file);
      words[o + 7] = document;
      words[o + 8] = line;
      words[o + 9] = column;
    }
    o += WORDS;
  }
  return { strings, words };
}

/** The rows `packViolations` was given, with the same keys in the same order. */
export function unpackViolations(p: PackedViolations): BlockRow[] {
  const { strings: s, words: w } = p;
  const rows: BlockRow[] = [];
  for (let o = 0; o < w.length; o += WORDS) {
    const policy = s[w[o]!]!;
    const rule = s[w[o + 1]!]!;
    const status = s[w[o + 2]!]! as BlockRow['status'];
    const message = s[w[o + 3]!]!;
    const auditWarning = w[o + 4] === 1;
    const label = s[w[o + 5]!]!;
    const file = w[o + 6]!;
    // Literals, not a spread of the first into the second (V8's slow clone path, per row).
    rows.push(
      file === NONE
        ? { policy, rule, status, message, auditWarning, label }
        : {
            policy,
            rule,
            status,
            message,
            auditWarning,
            label,
            location: { file: s[file]!, document: w[o + 7]!, line: w[o + 8]!, column: w[o + 9]! },
          },
    );
  }
  return rows;
}
