/** @module The report formats shared by `apply` and `test`, by name (pure). */
import type { FindingsReport, FormatOptions } from './findings.js';
import { renderGithub } from './github.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';

export type ReportFormat = 'junit' | 'sarif' | 'github' | 'markdown';

const RENDERERS: Readonly<Record<ReportFormat, (r: FindingsReport, o: FormatOptions) => string>> = {
  junit: renderJunit,
  sarif: renderSarif,
  github: renderGithub,
  markdown: renderMarkdown,
};

export function isReportFormat(s: string | undefined): s is ReportFormat {
  return s !== undefined && Object.hasOwn(RENDERERS, s);
}

export function renderReport(format: ReportFormat, report: FindingsReport, options: FormatOptions): string {
  return RENDERERS[format](report, options);
}
