/**
 * @module `--report FORMAT=FILE` (repeatable, `apply` and `test`): more report formats written to
 * files from the same run as stdout's, so a pipeline gets annotations, SARIF and a job summary from
 * one evaluation (the GitHub Action does). `FILE` `-` is stdout's turn and is refused.
 */
import { writeFileSync } from 'node:fs';
import type { FindingsReport, FormatOptions } from './findings.js';
import { isReportFormat, type ReportFormat, renderReport } from './render-report.js';

export interface ReportFile {
  readonly format: ReportFormat;
  readonly file: string;
}

export const REPORT_FLAG_HELP =
  'also write a report format to a file from the same run: junit | sarif | github | markdown,\n' +
  'e.g. --report sarif=palisade.sarif (repeatable)';

/** Parses the flag's values; an error names the bad one. */
export function parseReportFiles(
  values: readonly string[],
): { ok: true; files: ReportFile[] } | { ok: false; error: string } {
  const files: ReportFile[] = [];
  for (const v of values) {
    const eq = v.indexOf('=');
    const format = eq > 0 ? v.slice(0, eq) : '';
    const file = eq > 0 ? v.slice(eq + 1) : '';
    if (!isReportFormat(format) || file === '' || file === '-')
      return {
        ok: false,
        error: `--report takes FORMAT=FILE with a format of junit, sarif, github or markdown and a file name, got "${v}"`,
      };
    files.push({ format, file });
  }
  return { ok: true, files };
}

/** Writes each report file; returns one error line per file that could not be written. */
export function writeReportFiles(
  files: readonly ReportFile[],
  report: FindingsReport,
  options: FormatOptions,
): string[] {
  const errors: string[] = [];
  for (const { format, file } of files) {
    try {
      writeFileSync(file, `${renderReport(format, report, options)}\n`);
    } catch (err) {
      errors.push(`Error: cannot write the ${format} report to ${file}: ${(err as Error).message}`);
    }
  }
  return errors;
}
