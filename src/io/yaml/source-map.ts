/**
 * @module FieldPath → {file, document, line, column}, from the YAML node tree (Spectral's
 * getRangeForJsonPath idea). A path that leaves the tree maps to the deepest node that exists.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FieldPath, SourceRef } from '../../engine/index.js';
import type { IoDiagnostic } from '../codes.js';
import type { LoadedDocument } from './load-documents.js';

function child(node: unknown, seg: string | number, last: boolean): unknown {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      // The last segment points at its key (`field:`), where an editor would put the cursor.
      if (String(key) === String(seg)) return last ? pair.key : (pair.value ?? pair.key);
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') return node.items[seg];
  return undefined;
}

/** Where `path` (relative to the document's value) sits in the file. */
export function locate(loaded: LoadedDocument, path: FieldPath): SourceRef {
  let node: unknown = loaded.doc.contents;
  let best = node as Node | null;
  const segs = [...loaded.basePath, ...path];
  for (const [i, seg] of segs.entries()) {
    node = child(node, seg, i === segs.length - 1);
    if (node === undefined || node === null) break;
    best = node as Node;
  }
  const offset = best?.range?.[0] ?? loaded.doc.range[0];
  const pos = loaded.lineCounter.linePos(offset);
  return { file: loaded.file, document: loaded.index, line: pos.line, column: pos.col };
}

/** Fills in `source` of a diagnostic from its path, unless it already has one. */
export function attachSource(d: IoDiagnostic, loaded: LoadedDocument): IoDiagnostic {
  if (d.source !== undefined) return d;
  return { ...d, source: locate(loaded, d.path) };
}
