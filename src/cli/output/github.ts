/**
 * @module GitHub Actions workflow commands (pure): one `::error` / `::warning` line per problem,
 * which GitHub shows as an annotation on the file and line. Escaping follows the runner's rules
 * (actions/toolkit `command.ts`): in the message `%`, CR and LF are percent-encoded; in property
 * values `:` and `,` are too.
 */

import type { SourceRef } from '../../engine/index.js';
import {
  countByStatus,
  type Finding,
  type FindingsReport,
  type FormatOptions,
  fileLocation,
  type InputProblem,
  inputErrors,
  isProblem,
  locationText,
} from './findings.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Standard input has no file to annotate: its position (`<stdin>:30:11: `) leads the message, so
 * the annotation still says where in the piped stream the problem is.
 */
function stdinPosition(f: { readonly location?: SourceRef }): string {
  return f.location !== undefined && fileLocation(f) === undefined ? `${locationText(f)}: ` : '';
}

function annotation(f: Finding, command: FindingsReport['command']): string {
  const props: string[] = [];
  const where = fileLocation(f);
  if (where !== undefined) {
    props.push(`file=${escapeProperty(where.file)}`);
    props.push(`line=${where.line}`);
    props.push(`col=${where.column}`);
  }
  const title =
    f.policyInfo?.title !== undefined ? `${f.policyInfo.title} (${f.rule})` : `${f.policy}/${f.rule}`;
  props.push(`title=${escapeProperty(title)}`);
  const cmd = f.status === 'warn' ? 'warning' : 'error';
  const prefix = command === 'test' ? `${f.reason ?? 'Fail'}: ` : '';
  const message = `${stdinPosition(f)}${prefix}${f.resource}: ${f.message.trim() !== '' ? f.message.trim() : f.status}`;
  return `::${cmd} ${props.join(',')}::${escapeData(message)}`;
}

function inputAnnotation(p: InputProblem): string {
  const props: string[] = [];
  const where = fileLocation(p);
  if (where !== undefined)
    props.push(`file=${escapeProperty(where.file)}`, `line=${where.line}`, `col=${where.column}`);
  props.push(`title=${escapeProperty(p.code)}`);
  return `::${p.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(`${stdinPosition(p)}${p.message}`)}`;
}

function inputSummary(report: FindingsReport): string {
  const n = inputErrors(report).length;
  return n > 0 ? `, inputs not loaded: ${n}` : '';
}

export function renderGithub(report: FindingsReport, _options: FormatOptions): string {
  const lines = [
    ...(report.inputProblems ?? []).map(inputAnnotation),
    ...report.findings.filter(isProblem).map((f) => annotation(f, report.command)),
  ];
  const c = countByStatus(report.findings);
  lines.push(
    `palisade ${report.command}: pass: ${c.pass}, fail: ${c.fail}, warn: ${c.warn}, error: ${c.error}, skip: ${c.skip}${inputSummary(report)}`,
  );
  return lines.join('\n');
}
