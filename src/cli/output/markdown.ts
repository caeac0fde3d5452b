/**
 * @module A Markdown summary for `$GITHUB_STEP_SUMMARY`, GitLab job summaries or a pull-request
 * comment (pure): counts, then one table row per problem with its file position.
 */
import {
  countByStatus,
  type Finding,
  type FindingsReport,
  type FormatOptions,
  inputErrors,
  isProblem,
  locationText,
  STATUSES,
} from './findings.js';

/** A table cell: no pipes or newlines, and no raw HTML from policy messages. */
export function mdCell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>')
    .trim();
}

function code(s: string): string {
  return s === '' ? '' : `\`${s.replace(/`/g, "'")}\``;
}

const ICON: Readonly<Record<string, string>> = { fail: '❌', error: '💥', warn: '⚠️' };

function row(f: Finding, command: FindingsReport['command']): string {
  const cells = [
    `${ICON[f.status] ?? ''} ${f.status}`.trim(),
    mdCell(f.policy),
    mdCell(f.rule),
    mdCell(f.resource),
    ...(command === 'test' ? [mdCell(f.reason ?? '')] : []),
    code(locationText(f)),
    mdCell(f.message),
  ];
  return `| ${cells.join(' | ')} |`;
}

export function renderMarkdown(report: FindingsReport, _options: FormatOptions): string {
  const c = countByStatus(report.findings);
  const problems = report.findings.filter(isProblem);
  const noun = report.command === 'test' ? 'test' : 'apply';
  const broken = inputErrors(report);
  const verdict =
    broken.length > 0
      ? `❌ ${broken.length} input(s) could not be loaded`
      : problems.length === 0
        ? '✅ no problems'
        : `❌ ${problems.length} problem(s)`;
  const out = [
    `### Palisade ${noun}: ${verdict}`,
    '',
    `| ${STATUSES.join(' | ')} |`,
    `|${STATUSES.map(() => '---:').join('|')}|`,
    `| ${STATUSES.map((s) => String(c[s])).join(' | ')} |`,
  ];
  const notices = report.inputProblems ?? [];
  if (notices.length > 0) {
    out.push('', '#### Input problems', '', '| Severity | Code | Location | Message |', '|---|---|---|---|');
    for (const p of notices)
      out.push(`| ${p.severity} | ${code(p.code)} | ${code(locationText(p))} | ${mdCell(p.message)} |`);
  }
  if (problems.length > 0) {
    const headers = [
      'Result',
      'Policy',
      'Rule',
      'Resource',
      ...(report.command === 'test' ? ['Reason'] : []),
      'Location',
      'Message',
    ];
    out.push('', `| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`);
    // GitHub refuses a job summary over 1 MiB: rows stop at a budget, and a line says how many are left out.
    let size = out.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    let shown = 0;
    for (const f of problems) {
      const line = row(f, report.command);
      size += Buffer.byteLength(line) + 1;
      if (shown >= MAX_ROWS || size > MAX_BYTES) break;
      out.push(line);
      shown++;
    }
    if (shown < problems.length)
      out.push(
        '',
        `${problems.length - shown} more problem(s) not shown (a job summary holds at most 1 MiB); SARIF, JUnit and \`-o json\` list them all.`,
      );
  }
  return out.join('\n');
}

/** Rows and bytes of the problems table: well under GitHub's 1 MiB job-summary limit. */
export const MAX_ROWS = 1000;
export const MAX_BYTES = 900 * 1024;
