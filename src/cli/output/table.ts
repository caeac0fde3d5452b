/** @module The │-bordered table Kyverno's CLI prints (pure: rows in, text out). */
import { visibleLength } from './color.js';

function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - visibleLength(cell)));
}

/** Renders a table; every cell is padded to its column's widest value. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const rule = `│${widths.map((w) => '─'.repeat(w + 2)).join('│')}│`;
  const line = (cells: readonly string[]): string =>
    `│${widths.map((w, i) => ` ${pad(cells[i] ?? '', w)} `).join('│')}│`;
  const out = [rule, line(headers), rule];
  for (const r of rows) out.push(line(r));
  out.push(rule);
  return out.join('\n');
}
