/** @module One line per diagnostic, as every command prints them. */
import { formatFieldPath } from '../../engine/index.js';
import type { IoDiagnostic } from '../../io/codes.js';

/**
 * Renders `file:line:col: code: message (at field.path) (hint)`; the document number is shown for
 * multi-document files, and the position is left out when the source is unknown.
 */
export function formatDiagnostic(d: IoDiagnostic): string {
  const doc = d.source !== undefined && d.source.document > 0 ? ` (document ${d.source.document + 1})` : '';
  const where = d.source !== undefined ? `${d.source.file}:${d.source.line}:${d.source.column}${doc}: ` : '';
  const sev = d.severity === 'warning' ? 'warning ' : '';
  const at = d.path.length > 0 ? ` (at ${formatFieldPath(d.path)})` : '';
  const hint = d.hint !== undefined ? ` (${d.hint})` : '';
  // One diagnostic, one line: a multi-line message (an expression quoted from a block scalar) is folded.
  const message = d.message.replace(/\r?\n(?!$)/g, '\\n').replace(/\r?\n$/, '');
  return `${where}${sev}${d.code}: ${message}${at}${hint}`;
}
