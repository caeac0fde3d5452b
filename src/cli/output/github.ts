/**
 * @module GitHub Actions workflow commands (pure): one `::error` / `::warning` line per problem,
 * which GitHub shows as an annotation on the file and line. Escaping follows the runner's rules
 * (actions/toolkit `command.ts`): in the message `%`, CR and LF are percent-encoded; in property
 * values `:` and `,` are too.
 */

import type { SourceRef } from '../../engine/index.js';
import {
  type Finding,
  type FindingStatus,
  type FindingsReport,
  type FormatOptions,
  fileLocation,
  type InputProblem,
  isProblem,
  locationText,
} from './findings.js';
import { GroupedText, type GroupedTextOptions } from './grouped-text.js';

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

function inputSummary(inputProblems: readonly InputProblem[]): string {
  const n = inputProblems.filter((p) => p.severity === 'error').length;
  return n > 0 ? `, inputs not loaded: ${n}` : '';
}

/**
 * GitHub shows at most 10 error and 10 warning annotations of a step (and 50 of a job); the rest of
 * the workflow commands would vanish. Past the cap each problem is a plain log line instead, and a
 * notice says how many were not annotated.
 */
export const ANNOTATIONS_PER_LEVEL = 10;

function* capAnnotations(commands: Iterable<string>, max: number): Generator<string> {
  const shown: Record<string, number> = {};
  let plain = 0;
  for (const c of commands) {
    const level = c.slice(2, c.indexOf(' '));
    shown[level] = (shown[level] ?? 0) + 1;
    if (shown[level]! <= max) yield c;
    else {
      // `::error file=a,line=3,...::msg` → `error: a:3: msg` (no workflow command, so it stays in the log).
      const props = Object.fromEntries(
        c
          .slice(c.indexOf(' ') + 1, c.indexOf('::', 2))
          .split(',')
          .map((kv) => [kv.slice(0, kv.indexOf('=')), decodeURIComponent(kv.slice(kv.indexOf('=') + 1))]),
      );
      const where = props.file !== undefined ? `${props.file}:${props.line}:${props.col}: ` : '';
      const message = decodeURIComponent(c.slice(c.indexOf('::', 2) + 2));
      yield `${level}: ${where}${props.title ?? ''}: ${message}`.replace(/[\r\n]+/g, ' ');
      plain++;
    }
  }
  if (plain > 0)
    yield `::notice title=palisade::${plain} more problem(s) are listed in the log without an annotation (GitHub shows ${max} error and ${max} warning annotations per step); the job summary and SARIF hold them all`;
}

/**
 * GitHub's commands made a finding at a time: each problem's command is kept as text (`GroupedText`,
 * spilled to a temporary file past a bound) with the counts; the cap, which counts the input
 * problems' commands first, is applied when the lines are written.
 */
export class GithubCommands {
  readonly #command: FindingsReport['command'];
  readonly #commands: GroupedText;
  readonly #counts: Record<FindingStatus, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };

  constructor(command: FindingsReport['command'], options: GroupedTextOptions = {}) {
    this.#command = command;
    this.#commands = new GroupedText(options);
  }

  add(f: Finding): void {
    this.#counts[f.status]++;
    if (isProblem(f)) this.#commands.add(0, annotation(f, this.#command));
  }

  /** The lines; once (the kept commands are freed at the end). */
  *lines(inputProblems: readonly InputProblem[]): Generator<string> {
    const commands = this.#commands;
    const all = function* (): Generator<string> {
      for (const p of inputProblems) yield inputAnnotation(p);
      yield* commands.texts(0);
    };
    try {
      yield* capAnnotations(all(), ANNOTATIONS_PER_LEVEL);
    } finally {
      commands.close();
    }
    const c = this.#counts;
    yield `palisade ${this.#command}: pass: ${c.pass}, fail: ${c.fail}, warn: ${c.warn}, error: ${c.error}, skip: ${c.skip}${inputSummary(inputProblems)}`;
  }
}

export function renderGithub(report: FindingsReport, _options: FormatOptions): string {
  const github = new GithubCommands(report.command);
  for (const f of report.findings) github.add(f);
  return [...github.lines(report.inputProblems ?? [])].join('\n');
}
