/** @module Diagnostics as `file:line:col: code: message` lines, sorted by location (pure). */
import type { IoDiagnostic } from '../../io/codes.js';
import type { InputProblem } from './findings.js';
import { formatDiagnostic } from './format-diagnostic.js';

/** Lines printed at most: hostile input (thousands of unknown fields) must not flood a terminal or a CI log. */
export const MAX_DIAGNOSTIC_LINES = 200;

export function sortDiagnostics(ds: readonly IoDiagnostic[]): IoDiagnostic[] {
  return [...ds].sort((a, b) => {
    const fa = a.source?.file ?? '';
    const fb = b.source?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.column ?? 0) - (b.source?.column ?? 0);
  });
}

export function renderDiagnostics(ds: readonly IoDiagnostic[], max = MAX_DIAGNOSTIC_LINES): string[] {
  const sorted = sortDiagnostics(ds);
  const lines = sorted.slice(0, max).map(formatDiagnostic);
  if (sorted.length > max) {
    const errors = sorted.slice(max).filter((d) => d.severity === 'error').length;
    lines.push(`... ${sorted.length - max} more diagnostics not shown (${errors} of them errors)`);
  }
  return lines;
}

/**
 * Diagnostics as report input problems, sorted and capped like the text lines; a notice says how many
 * were left out so a truncated report never looks complete.
 */
export function inputProblems(ds: readonly IoDiagnostic[], max = MAX_DIAGNOSTIC_LINES): InputProblem[] {
  const sorted = sortDiagnostics(ds);
  const shown = sorted.slice(0, max).map(
    (d): InputProblem => ({
      code: d.code,
      severity: d.severity,
      message: d.hint !== undefined ? `${d.message} (${d.hint})` : d.message,
      ...(d.source !== undefined ? { location: d.source } : {}),
      ...(d.path.length > 0 ? { path: d.path } : {}),
    }),
  );
  if (sorted.length > max) {
    const errors = sorted.slice(max).filter((d) => d.severity === 'error').length;
    shown.push({
      code: 'input/truncated',
      severity: errors > 0 ? 'error' : 'warning',
      message: `${sorted.length - max} more diagnostics not shown (${errors} of them errors)`,
    });
  }
  return shown;
}
