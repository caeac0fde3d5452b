/** @module The │-bordered table Kyverno's CLI prints (pure: rows in, text out). */
import { visibleLength } from './color.js';

function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - visibleLength(cell)));
}

/** Renders a table; every cell is padded to its column's widest value. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  // A loop, not Math.max(...): a spread of every row's width overflows the stack past ~100,000 rows.
  const widths = headers.map((h) => h.length);
  for (const r of rows) widen(widths, r);
  return [...tableLines(headers, widths, rows)].join('\n');
}

/** Widens `widths` (one per column, from the headers' lengths) to a row's cells. */
export function widen(widths: number[], cells: readonly string[]): void {
  for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, visibleLength(cells[i] ?? ''));
}

/** A table's lines once its columns' widths are known (rows read once: a long table is made as written). */
export function* tableLines(
  headers: readonly string[],
  widths: readonly number[],
  rows: Iterable<readonly string[]>,
): Generator<string> {
  const rule = `│${widths.map((w) => '─'.repeat(w + 2)).join('│')}│`;
  const line = (cells: readonly string[]): string =>
    `│${widths.map((w, i) => ` ${pad(cells[i] ?? '', w)} `).join('│')}│`;
  yield rule;
  yield line(headers);
  yield rule;
  for (const r of rows) yield line(r);
  yield rule;
}
