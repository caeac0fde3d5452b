/**
 * @module `--stdin-name`: the file name findings and diagnostics from standard input carry, so a
 * pipeline that pipes a repository file (`cat deploy.yaml | palisade apply … -r -`) gets annotations
 * on that file. Line numbers are unchanged: they are stdin's own. Pure.
 */
import type { SourceRef } from '../../engine/index.js';
import { STDIN_FILE } from './findings.js';

function onStdin(ref: SourceRef | undefined): ref is SourceRef {
  return ref !== undefined && ref.file === STDIN_FILE;
}

/** The same position under another file name; line and column stay lazy (they may parse again). */
function moved(ref: SourceRef, file: string): SourceRef {
  return {
    file,
    document: ref.document,
    get line() {
      return ref.line;
    },
    get column() {
      return ref.column;
    },
  };
}

/** Items whose `location` is on stdin, moved to `name`. */
export function renameStdinLocations<T extends { readonly location?: SourceRef }>(
  items: readonly T[],
  name: string | undefined,
): readonly T[] {
  if (name === undefined) return items;
  return items.map((x) => (onStdin(x.location) ? { ...x, location: moved(x.location, name) } : x));
}

/** Diagnostics whose `source` is on stdin, moved to `name`. */
export function renameStdinDiagnostics<T extends { readonly source?: SourceRef }>(
  diagnostics: readonly T[],
  name: string | undefined,
): T[] {
  if (name === undefined) return [...diagnostics];
  return diagnostics.map((d) => (onStdin(d.source) ? { ...d, source: moved(d.source, name) } : d));
}
