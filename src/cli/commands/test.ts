/** @module `palisade test`: runs kyverno-test.yaml suites (Kyverno's `kyverno test` contract, reference §8.3). */
import type { IoDiagnostic } from '../../io/codes.js';
import { getPolicyDecoder } from '../../io/files/policy-decoder.js';
import { discoverTests, loadTests } from '../../io/files/test-suite.js';
import { expandPaths } from '../../io/files/walk.js';
import { parseCommandArgs, str, strs } from '../../io/flags/args.js';
import { LIMIT_OPTIONS, limitFlagsHelp, parseLimitFlags } from '../../io/flags/limits-flags.js';
import { type CommandContext, type CommandResult, Output } from '../command.js';
import { EXIT_FAILURE, EXIT_INPUT, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { inputProblems, renderDiagnostics } from '../output/diagnostics.js';
import type { FindingsReport } from '../output/findings.js';
import { isReportFormat, renderReport } from '../output/render-report.js';
import { parseReportFiles, writeReportFiles } from '../output/report-files.js';
import {
  errorRecords,
  renderRecords,
  renderResultTable,
  type TestOutputFormat,
  type TestRowRecord,
  toRecords,
} from '../output/test-report.js';
import { testFindings } from '../output/to-findings.js';
import type { CheckedRow } from '../run/check-results.js';
import { runTestCase } from '../run/run-test-case.js';
import { parseSelector, selectRow } from '../run/test-case-selector.js';
import { readPackage } from './version.js';

export const TEST_HELP = `Run tests from a local folder: every kyverno-test.yaml below the given paths.

Usage:
  palisade test <folder|file>... [flags]

Examples:
  # run every test below the current folder
  palisade test .

  # run only the rows of one policy, with messages
  palisade test ./policies --test-case-selector "policy=disallow-latest-tag" --detailed-results

Flags:
  -f, --file-name string            test file name (default "kyverno-test.yaml")
  -t, --test-case-selector string   filter rows (default "policy=*,rule=*,resource=*")
  -o, --output-format string        table | json | yaml | junit | sarif | github | markdown
                                    (default: table; --output is the same flag)
      --report format=file          also write junit | sarif | github | markdown to a file
                                    from the same run (repeatable)
      --detailed-results            add a MESSAGE column
      --fail-only                   print only failed rows
      --require-tests               fail when no test file is found
      --strict                      fail when a result row names a policy, rule or resource
                                    the test does not load (default: a warning)
      --remove-color                accepted for compatibility (output is never colored)
${limitFlagsHelp(36)}
  -h, --help                        help for test`;

const OPTIONS = {
  'file-name': { type: 'string', short: 'f' },
  'test-case-selector': { type: 'string', short: 't' },
  'output-format': { type: 'string', short: 'o' },
  output: { type: 'string' },
  'detailed-results': { type: 'boolean' },
  'fail-only': { type: 'boolean' },
  'require-tests': { type: 'boolean' },
  strict: { type: 'boolean' },
  report: { type: 'string', multiple: true },
  'remove-color': { type: 'boolean' },
  registry: { type: 'boolean' },
  'git-branch': { type: 'string', short: 'b' },
  ...LIMIT_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

const FORMATS = new Set(['table', 'json', 'yaml', 'markdown', 'junit', 'sarif', 'github']);

export async function testCommand(argv: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const out = new Output();
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) {
    out.error(`Error: ${parsed.error}`);
    out.error("Run 'palisade test --help' for usage.");
    return out.result(EXIT_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    out.line(TEST_HELP);
    return out.result(EXIT_OK);
  }
  if (positionals.length === 0) {
    out.error('Error: a folder or test file is required');
    out.error("Run 'palisade test --help' for usage.");
    return out.result(EXIT_USAGE);
  }
  const format = str(values['output-format']) ?? str(values.output);
  if (format !== undefined && !FORMATS.has(format)) {
    out.error(`Error: unknown output format "${format}" (${[...FORMATS].join(', ')})`);
    return out.result(EXIT_USAGE);
  }
  const reportFormat = isReportFormat(format) ? format : undefined;
  const outputFormat = (
    format === undefined || format === 'table' || reportFormat !== undefined ? 'text' : format
  ) as TestOutputFormat;
  const text = outputFormat === 'text' && reportFormat === undefined;
  const detailed = values['detailed-results'] === true;
  const failOnly = values['fail-only'] === true;
  const strict = values.strict === true;
  const sel = parseSelector(str(values['test-case-selector']) ?? 'policy=*,rule=*,resource=*');
  if (sel.errors.length > 0) {
    for (const e of sel.errors) out.error(`Error: ${e}`);
    return out.result(EXIT_USAGE);
  }
  const reportFiles = parseReportFiles(strs(values.report));
  if (!reportFiles.ok) {
    out.error(`Error: ${reportFiles.error}`);
    return out.result(EXIT_USAGE);
  }
  const limitFlags = parseLimitFlags(values);
  if (!limitFlags.ok) {
    out.error(`Error: ${limitFlags.error}`);
    return out.result(EXIT_USAGE);
  }
  const discovered = discoverTests(positionals, str(values['file-name']) ?? 'kyverno-test.yaml');
  let loadFailed = discovered.issues.some((d) => d.severity === 'error');
  // Every diagnostic, also for the machine-readable formats: a broken suite never renders as a clean run.
  const issues: IoDiagnostic[] = [...discovered.issues];
  for (const d of renderDiagnostics(discovered.issues)) out.error(d);
  const toolVersion = readPackage().version;
  const writeReports = (report: FindingsReport): boolean => {
    const errors = writeReportFiles(reportFiles.files, report, { toolVersion });
    for (const e of errors) out.error(e);
    return errors.length === 0;
  };
  const renderLoadOnly = (): void => {
    writeReports({ ...testFindings([]), inputProblems: inputProblems(issues) });
    if (reportFormat !== undefined)
      out.line(
        renderReport(
          reportFormat,
          { ...testFindings([]), inputProblems: inputProblems(issues) },
          { toolVersion },
        ),
      );
    else if (!text)
      out.line(
        renderRecords(
          errorRecords(inputProblems(issues)),
          outputFormat as Exclude<TestOutputFormat, 'text'>,
          detailed,
        ),
      );
  };
  if (discovered.files.length === 0) {
    // No YAML at all (not merely no test file) is a wrong path, not an empty test run.
    const yaml = loadFailed ? [] : expandPaths(positionals).files;
    if (!loadFailed && yaml.length === 0 && values['allow-empty'] !== true) {
      out.error(`Error: no YAML files in ${positionals.join(', ')} (use --allow-empty to accept that)`);
      return out.result(EXIT_INPUT);
    }
    if (text) out.line('\nNo test yamls available');
    if (loadFailed) renderLoadOnly();
    else writeReports({ ...testFindings([]), inputProblems: inputProblems(issues) });
    if (values['require-tests'] === true) {
      out.error('Error: no test file found');
      return out.result(loadFailed ? EXIT_INPUT : EXIT_FAILURE);
    }
    return out.result(loadFailed ? EXIT_INPUT : EXIT_OK);
  }
  const decoder = await getPolicyDecoder();
  const counts = { pass: 0, fail: 0, skip: 0 };
  // Result rows naming nothing the test loads (warnings; with --strict they fail the run).
  let unmatched = 0;
  const failed: CheckedRow[] = [];
  const records: TestRowRecord[] = [];
  const shownRows: CheckedRow[] = [];
  for (const [index, file] of discovered.files.entries()) {
    ctx.progress?.(index, discovered.files.length, 'tests');
    for (const test of loadTests(file)) {
      issues.push(...test.issues);
      for (const d of renderDiagnostics(test.issues)) out.error(d);
      if (test.test === undefined) {
        loadFailed = true;
        continue;
      }
      // A test without `results` checks nothing; Kyverno skips it the same way (and the run passes).
      const rows = (test.test.results ?? []).filter((r) => selectRow(sel.selector, r));
      if (rows.length === 0) continue;
      const run = await runTestCase(test, rows, decoder, limitFlags.limits, strict);
      if (text) for (const l of run.progress) out.line(l);
      issues.push(...run.issues);
      for (const d of renderDiagnostics(run.issues)) out.error(d);
      if (run.rows === undefined || run.counts === undefined) {
        loadFailed = true;
        out.error(`Error: failed to load test ${file}`);
        continue;
      }
      unmatched += run.issues.filter((d) => d.code === 'test/unmatched-row').length;
      counts.pass += run.counts.pass;
      counts.fail += run.counts.fail;
      counts.skip += run.counts.skip;
      const fails = run.rows.filter((r) => r.result === 'Fail');
      failed.push(...fails);
      const shown = failOnly ? fails : run.rows;
      records.push(...toRecords(file, shown, detailed));
      shownRows.push(...shown);
      if (text) {
        out.line();
        out.line(renderResultTable(shown, detailed, ctx.color === true));
        out.line();
        const notes = new Set(run.rows.flatMap((r) => (r.note !== undefined ? [r.note] : [])));
        for (const n of notes) out.line(`  note: ${n}`);
      }
    }
  }
  ctx.progress?.(discovered.files.length, discovered.files.length, 'tests');
  if (text) {
    if (failOnly)
      out.line(
        `\nTest Summary: ${counts.fail} out of ${counts.pass + counts.skip + counts.fail} tests failed`,
      );
    else
      out.line(`\nTest Summary: ${counts.pass + counts.skip} tests passed and ${counts.fail} tests failed`);
    out.line();
    if (counts.fail > 0 && !failOnly) {
      out.line('Aggregated Failed Test Cases : ');
      out.line(
        renderResultTable(
          failed.map((r, i) => ({ ...r, id: i + 1 })),
          detailed,
        ),
      );
    }
  } else if (reportFormat !== undefined) {
    const report = { ...testFindings(shownRows), inputProblems: inputProblems(issues) };
    out.line(renderReport(reportFormat, report, { toolVersion }));
  } else {
    const all = [...records, ...errorRecords(inputProblems(issues))];
    out.line(renderRecords(all, outputFormat as Exclude<TestOutputFormat, 'text'>, detailed));
  }
  const reportsWritten = writeReports({ ...testFindings(shownRows), inputProblems: inputProblems(issues) });
  if (counts.fail > 0) out.error(`Error: ${counts.fail} tests failed`);
  if (loadFailed && counts.fail === 0) out.error('Error: some tests could not be loaded');
  const strictFailures = strict ? unmatched : 0;
  if (strictFailures > 0)
    out.error(
      `Error: ${strictFailures} result row(s) name a policy, rule or resource the test does not load (--strict)`,
    );
  if (loadFailed || !reportsWritten) return out.result(EXIT_INPUT);
  return out.result(counts.fail > 0 || strictFailures > 0 ? EXIT_FAILURE : EXIT_OK);
}
