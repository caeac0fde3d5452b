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
    for (const f of problems) out.push(row(f, report.command));
  }
  return out.join('\n');
}
