/** @module `palisade apply` output once every resource is evaluated: reports, json/yaml or Kyverno's text (pure). */

import { buildPolicyReports, type ReportSummary } from '../../io/report/report-result.js';
import type { ApplyArgs } from '../commands/apply-args.js';
import {
  type ApplyResultRow,
  ApplyTable,
  type JsonResults,
  renderApplyTable,
  renderReports,
  renderStructured,
  renderViolations,
  structuredJsonLines,
  summaryLine,
  YamlResults,
} from './apply-report.js';
import type { InputProblem } from './findings.js';
import { GithubCommands } from './github.js';
import type { GroupedTextOptions } from './grouped-text.js';
import { JunitReport } from './junit.js';
import { MarkdownSummary } from './markdown.js';
import {
  type GeneratedResource,
  type MutatedResource,
  renderGeneratedText,
  renderMutatedText,
} from './mutated-output.js';
import { PolicyReportStream } from './policy-reports.js';
import { renderReport } from './render-report.js';
import { SarifLog } from './sarif.js';
import { applyFinding, applyFindings } from './to-findings.js';

export interface ApplyRun {
  readonly rows: readonly ApplyResultRow[];
  /** The text's violation blocks, built as rows came (`ViolationBlocks`); else rendered from `rows`. */
  readonly violations?: Iterable<string>;
  /** `-o json`'s results, made as rows came (`writesOnlyJson`); else made from `rows`. */
  readonly results?: JsonResults;
  /** The output, made as rows came (`streamedOutput`); else made from `rows`. */
  readonly streamed?: StreamedOutput;
  /** The table of `--table`, made as rows came (`streamedTable`); else made from `rows`. */
  readonly table?: ApplyTable;
  readonly summary: ReportSummary;
  readonly mutated: readonly MutatedResource[];
  readonly generated: readonly GeneratedResource[];
  /** Names of the policies that did not compile. */
  readonly invalid: readonly string[];
  readonly ruleCount: number;
  readonly resourceCount: number;
  readonly exceptionCount: number;
  /** Load problems (errors and notices), shown by every machine-readable format. */
  readonly inputProblems?: readonly InputProblem[];
}

/** Whether the output is Kyverno's text, which prints only violations (and the summary): no row is kept for it. */
export function printsOnlyViolations(
  args: Pick<ApplyArgs, 'reportFiles' | 'reportFormat' | 'policyReport' | 'structured' | 'table'>,
): boolean {
  return (
    args.reportFiles.length === 0 &&
    args.reportFormat === undefined &&
    !args.policyReport &&
    args.structured === undefined &&
    !args.table
  );
}

/** Whether the output is `-o json` and nothing else reads the rows (no report file or format): only its results' text is kept. */
export function writesOnlyJson(
  args: Pick<ApplyArgs, 'reportFiles' | 'reportFormat' | 'policyReport' | 'structured'>,
): boolean {
  return (
    args.structured === 'json' &&
    !args.policyReport &&
    args.reportFiles.length === 0 &&
    (args.reportFormat === undefined || args.reportFormat === 'table')
  );
}

/** An output made as rows come, whose rows need not be kept (their texts are, spilled past a bound). */
export interface StreamedOutput {
  add(row: ApplyResultRow): void;
  lines(summary: ReportSummary, inputProblems: readonly InputProblem[]): Iterable<string>;
}

/**
 * The output `renderApplyRun` would render from rows, made as rows come instead, when nothing else
 * reads the rows (no report file, no table): `--policy-report`, `-o yaml`, `-o sarif`, `-o junit`.
 * Undefined for the outputs that keep rows (or need none: text and `-o json` have their own).
 */
export function streamedOutput(
  args: ApplyArgs,
  options: GroupedTextOptions & { readonly toolVersion: string },
): StreamedOutput | undefined {
  if (args.reportFiles.length > 0) return undefined;
  if (args.reportFormat === 'sarif') {
    const log = new SarifLog('apply', options);
    return {
      add: (r) => log.add(applyFinding(r)),
      lines: (_, problems) => log.lines(problems, { toolVersion: options.toolVersion }),
    };
  }
  if (args.reportFormat === 'junit') {
    const junit = new JunitReport('apply', options);
    return { add: (r) => junit.add(applyFinding(r)), lines: (_, problems) => junit.lines(problems) };
  }
  if (args.reportFormat === 'github') {
    const github = new GithubCommands('apply', options);
    return { add: (r) => github.add(applyFinding(r)), lines: (_, problems) => github.lines(problems) };
  }
  if (args.reportFormat === 'markdown') {
    const md = new MarkdownSummary('apply');
    return { add: (r) => md.add(applyFinding(r)), lines: (_, problems) => md.lines(problems) };
  }
  if (args.reportFormat !== undefined) return undefined;
  if (args.policyReport) {
    const reports = new PolicyReportStream(args.structured === 'json' ? 'json' : 'yaml', options);
    return { add: (r) => reports.add(r.policyNamespace, r.report), lines: () => reports.lines() };
  }
  if (args.structured === 'yaml') {
    const results = new YamlResults(options);
    return { add: (r) => results.add(r), lines: (summary, problems) => results.lines(summary, problems) };
  }
  return undefined;
}

/** `--table` made as rows come when nothing else reads the rows (Kyverno's text with a table, no report file). */
export function streamedTable(
  args: ApplyArgs,
  options: GroupedTextOptions & { readonly color: boolean },
): ApplyTable | undefined {
  if (args.reportFiles.length > 0) return undefined;
  if (args.reportFormat !== undefined && args.reportFormat !== 'table') return undefined;
  if (args.policyReport || args.structured !== undefined) return undefined;
  if (!args.table && args.reportFormat !== 'table') return undefined;
  return new ApplyTable(args.detailed, options.color, options);
}

const DIVIDER = '----------------------------------------------------------------------';

/** The lines `apply` prints on stdout, made as they are read (a long run's text is written as it is made). */
export function* renderApplyRun(
  run: ApplyRun,
  args: ApplyArgs,
  options: { readonly color: boolean; readonly toolVersion: string },
): Generator<string> {
  const { rows, summary } = run;
  const format = args.structured === 'json' ? 'json' : 'yaml';
  const inputProblems = run.inputProblems ?? [];
  if (run.streamed !== undefined) {
    yield* run.streamed.lines(summary, inputProblems);
    return;
  }
  if (args.reportFormat !== undefined && args.reportFormat !== 'table') {
    yield renderReport(
      args.reportFormat,
      { ...applyFindings(rows), inputProblems },
      { toolVersion: options.toolVersion },
    );
    return;
  }
  if (args.policyReport) {
    const results = rows.map((x) => ({
      ...(x.policyNamespace !== undefined ? { namespace: x.policyNamespace } : {}),
      result: x.report,
    }));
    yield renderReports(buildPolicyReports(results), format);
    return;
  }
  if (args.structured !== undefined) {
    // JSON a result at a time: the whole text of a large run is hundreds of MB.
    if (format === 'json') yield* structuredJsonLines(run.results ?? rows, summary, inputProblems);
    else yield renderStructured(rows, summary, format, inputProblems);
    return;
  }
  const withExc = run.exceptionCount > 0 ? ` with ${run.exceptionCount} exception(s)` : '';
  yield `\nApplying ${run.ruleCount} policy rule(s) to ${run.resourceCount} resource(s)${withExc}...`;
  if (run.invalid.length > 0) {
    yield `${DIVIDER}\nPolicies Skipped (as required variables are not provided by the user or policies are invalid):`;
    for (const [i, name] of run.invalid.entries()) yield `${i + 1}. ${name}`;
    yield DIVIDER;
  }
  if (args.outputPath === undefined) yield* renderMutatedText(run.mutated);
  yield* renderGeneratedText(run.generated);
  if (run.table !== undefined) yield* run.table.lines();
  else if (args.table || args.reportFormat === 'table')
    yield renderApplyTable(rows, args.detailed, options.color);
  else yield* run.violations ?? renderViolations(rows);
  yield `\n${summaryLine(summary)}`;
}

/**
 * What `apply` prints on stdout when nothing could be evaluated: the report formats and `-o json|yaml`
 * get a document whose errors name each input; text prints nothing (the diagnostics are on stderr).
 */
export function renderLoadFailure(
  problems: readonly InputProblem[],
  args: ApplyArgs,
  options: { readonly toolVersion: string },
): string[] {
  if (args.reportFormat !== undefined && args.reportFormat !== 'table')
    return [
      renderReport(
        args.reportFormat,
        { command: 'apply', findings: [], inputProblems: problems },
        { toolVersion: options.toolVersion },
      ),
    ];
  if (args.structured !== undefined && !args.policyReport) {
    const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    return [renderStructured([], summary, args.structured, problems)];
  }
  return [];
}
