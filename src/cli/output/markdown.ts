/**
 * @module A Markdown summary for `$GITHUB_STEP_SUMMARY`, GitLab job summaries or a pull-request
 * comment (pure): counts, then one table row per problem with its file position.
 */
import {
  type Finding,
  type FindingStatus,
  type FindingsReport,
  type FormatOptions,
  type InputProblem,
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

/**
 * A Markdown summary made a finding at a time: counts, and the problems' rows only as far as the
 * table could ever show them (the first `MAX_ROWS`, within `MAX_BYTES`), so memory does not grow
 * with the input; the exact budget, which counts the lines above the table, is applied at the end.
 */
export class MarkdownSummary {
  readonly #command: FindingsReport['command'];
  readonly #counts: Record<FindingStatus, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  readonly #rows: string[] = [];
  #rowBytes = 0;
  #problems = 0;

  constructor(command: FindingsReport['command']) {
    this.#command = command;
  }

  add(f: Finding): void {
    this.#counts[f.status]++;
    if (!isProblem(f)) return;
    // Past a row that does not fit, no later row is shown (the table stops at the first).
    if (this.#problems++ === this.#rows.length && this.#rows.length < MAX_ROWS) {
      const line = row(f, this.#command);
      const bytes = Buffer.byteLength(line) + 1;
      if (this.#rowBytes + bytes <= MAX_BYTES) {
        this.#rows.push(line);
        this.#rowBytes += bytes;
      }
    }
  }

  lines(inputProblems: readonly InputProblem[]): string[] {
    const c = this.#counts;
    const problems = this.#problems;
    const noun = this.#command === 'test' ? 'test' : 'apply';
    const broken = inputProblems.filter((p) => p.severity === 'error');
    const verdict =
      broken.length > 0
        ? `❌ ${broken.length} input(s) could not be loaded`
        : problems === 0
          ? '✅ no problems'
          : `❌ ${problems} problem(s)`;
    const out = [
      `### Palisade ${noun}: ${verdict}`,
      '',
      `| ${STATUSES.join(' | ')} |`,
      `|${STATUSES.map(() => '---:').join('|')}|`,
      `| ${STATUSES.map((s) => String(c[s])).join(' | ')} |`,
    ];
    if (inputProblems.length > 0) {
      out.push(
        '',
        '#### Input problems',
        '',
        '| Severity | Code | Location | Message |',
        '|---|---|---|---|',
      );
      for (const p of inputProblems)
        out.push(`| ${p.severity} | ${code(p.code)} | ${code(locationText(p))} | ${mdCell(p.message)} |`);
    }
    if (problems > 0) {
      const headers = [
        'Result',
        'Policy',
        'Rule',
        'Resource',
        ...(this.#command === 'test' ? ['Reason'] : []),
        'Location',
        'Message',
      ];
      out.push('', `| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`);
      // GitHub refuses a job summary over 1 MiB: rows stop at a budget, and a line says how many are left out.
      let size = out.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      let shown = 0;
      for (const line of this.#rows) {
        size += Buffer.byteLength(line) + 1;
        if (shown >= MAX_ROWS || size > MAX_BYTES) break;
        out.push(line);
        shown++;
      }
      if (shown < problems)
        out.push(
          '',
          `${problems - shown} more problem(s) not shown (a job summary holds at most 1 MiB); SARIF, JUnit and \`-o json\` list them all.`,
        );
    }
    return out;
  }
}

export function renderMarkdown(report: FindingsReport, _options: FormatOptions): string {
  const md = new MarkdownSummary(report.command);
  for (const f of report.findings) md.add(f);
  return md.lines(report.inputProblems ?? []).join('\n');
}

/** Rows and bytes of the problems table: well under GitHub's 1 MiB job-summary limit. */
export const MAX_ROWS = 1000;
export const MAX_BYTES = 900 * 1024;
