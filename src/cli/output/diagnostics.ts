/** @module Diagnostics as `file:line:col: code: message` lines, sorted by location (pure). */
import { formatDiagnostic, type IoDiagnostic } from '../../io/codes.js';

export function sortDiagnostics(ds: readonly IoDiagnostic[]): IoDiagnostic[] {
  return [...ds].sort((a, b) => {
    const fa = a.source?.file ?? '';
    const fb = b.source?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.column ?? 0) - (b.source?.column ?? 0);
  });
}

export function renderDiagnostics(ds: readonly IoDiagnostic[]): string[] {
  return sortDiagnostics(ds).map(formatDiagnostic);
}
