/** @module The │-bordered table Kyverno's CLI prints (pure: rows in, text out). */
import { visibleLength } from './color.js';

function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - visibleLength(cell)));
}

/** Renders a table; every cell is padded to its column's widest value. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  // A loop, not Math.max(...): a spread of every row's width overflows the stack past ~100,000 rows.
  const widths = headers.map((h) => h.length);
  for (const r of rows)
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, visibleLength(r[i] ?? ''));
  const rule = `│${widths.map((w) => '─'.repeat(w + 2)).join('│')}│`;
  const line = (cells: readonly string[]): string =>
    `│${widths.map((w, i) => ` ${pad(cells[i] ?? '', w)} `).join('│')}│`;
  const out = [rule, line(headers), rule];
  for (const r of rows) out.push(line(r));
  out.push(rule);
  return out.join('\n');
}
