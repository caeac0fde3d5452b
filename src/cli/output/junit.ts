/**
 * @module JUnit XML for GitLab, Jenkins and other CI test reports (pure): one `<testsuite>` per
 * policy, one `<testcase>` per rule result (apply) or checked row (test). fail → `<failure>`,
 * error → `<error>`, skip → `<skipped/>`; a warning passes and says so in `<system-out>`.
 * GitLab reads `file` on a testcase; the position is repeated in the failure text for the rest.
 */
import {
  type Finding,
  type FindingsReport,
  type FormatOptions,
  type InputProblem,
  locationText,
} from './findings.js';
import { GroupedText, type GroupedTextOptions } from './grouped-text.js';

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold. */
export function xmlEscape(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function isFailure(f: Finding): boolean {
  return f.status === 'fail';
}

function details(f: Finding): string {
  const where = locationText(f);
  return [
    `Policy: ${f.policy}`,
    `Rule: ${f.rule}`,
    `Resource: ${f.resource}`,
    ...(where !== '' ? [`Location: ${where}`] : []),
    ...(f.expected !== undefined ? [`Expected: ${f.expected}`] : []),
    ...(f.reason !== undefined ? [`Reason: ${f.reason}`] : []),
    `Message: ${f.message}`,
  ].join('\n');
}

function testcase(f: Finding): string[] {
  const file = f.location !== undefined ? ` file="${xmlEscape(f.location.file)}"` : '';
  const open = `    <testcase classname="${xmlEscape(f.policy)}" name="${xmlEscape(`${f.rule} ${f.resource}`)}"${file}`;
  const summary = xmlEscape(f.reason ?? f.message.split('\n')[0] ?? '');
  switch (f.status) {
    case 'fail':
      return [
        `${open}>`,
        `      <failure message="${summary}" type="fail">${xmlEscape(details(f))}</failure>`,
        '    </testcase>',
      ];
    case 'error':
      return [
        `${open}>`,
        `      <error message="${summary}" type="error">${xmlEscape(details(f))}</error>`,
        '    </testcase>',
      ];
    case 'skip':
      return [`${open}>`, `      <skipped message="${summary}"/>`, '    </testcase>'];
    case 'warn':
      return [
        `${open}>`,
        `      <system-out>${xmlEscape(`warning: ${details(f)}`)}</system-out>`,
        '    </testcase>',
      ];
    default:
      return [`${open}/>`];
  }
}

/** What a suite's (or all suites') opening tag counts. */
interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function totals(t: Totals): string {
  return `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}"`;
}

function countIn(t: Totals, f: Finding): void {
  t.tests++;
  if (isFailure(f)) t.failures++;
  else if (f.status === 'error') t.errors++;
  else if (f.status === 'skip') t.skipped++;
}

/**
 * Inputs that could not be loaded: one `<error>` test case each, in a suite of their own. Warnings
 * about inputs (a duplicated resource, a skipped file) are that suite's `<system-out>`: they fail
 * nothing, but a reader of the report sees them.
 */
function inputSuite(errors: readonly InputProblem[], warnings: readonly InputProblem[]): string[] {
  if (errors.length === 0 && warnings.length === 0) return [];
  const out = [
    `  <testsuite name="inputs" tests="${errors.length}" failures="0" errors="${errors.length}" skipped="0">`,
  ];
  for (const p of errors) {
    const where = locationText(p);
    const file = p.location !== undefined ? ` file="${xmlEscape(p.location.file)}"` : '';
    const name = xmlEscape(where !== '' ? `${p.code} ${where}` : p.code);
    const text = xmlEscape(
      [...(where !== '' ? [`Location: ${where}`] : []), `Message: ${p.message}`].join('\n'),
    );
    out.push(
      `    <testcase classname="inputs" name="${name}"${file}>`,
      `      <error message="${xmlEscape(p.message.split('\n')[0] ?? '')}" type="${xmlEscape(p.code)}">${text}</error>`,
      '    </testcase>',
    );
  }
  if (warnings.length > 0) {
    const lines = warnings.map((p) => {
      const where = locationText(p);
      return `warning ${p.code}: ${where !== '' ? `${where}: ` : ''}${p.message}`;
    });
    out.push(`    <system-out>${xmlEscape(lines.join('\n'))}</system-out>`);
  }
  out.push('  </testsuite>');
  return out;
}

/**
 * A JUnit report made a finding at a time: each test case's text goes to its policy's suite
 * (`GroupedText`, spilled to a temporary file past a bound) and the counts, which the opening tags
 * print before the cases, are kept as they come.
 */
export class JunitReport {
  readonly #command: FindingsReport['command'];
  readonly #cases: GroupedText;
  /** Per policy, in the order first seen (its suite's group is that index): its counts. */
  readonly #suites = new Map<string, Totals & { readonly group: number }>();
  readonly #all: Totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };

  constructor(command: FindingsReport['command'], options: GroupedTextOptions = {}) {
    this.#command = command;
    this.#cases = new GroupedText(options);
  }

  add(f: Finding): void {
    let suite = this.#suites.get(f.policy);
    if (suite === undefined) {
      suite = { group: this.#suites.size, tests: 0, failures: 0, errors: 0, skipped: 0 };
      this.#suites.set(f.policy, suite);
    }
    countIn(suite, f);
    countIn(this.#all, f);
    this.#cases.add(suite.group, testcase(f).join('\n'));
  }

  /** The report's lines; once (the kept cases are freed at the end). */
  *lines(inputProblems: readonly InputProblem[]): Generator<string> {
    const errors = inputProblems.filter((p) => p.severity === 'error');
    const all = this.#all;
    try {
      yield '<?xml version="1.0" encoding="UTF-8"?>';
      yield `<testsuites name="palisade ${this.#command}" tests="${all.tests + errors.length}" failures="${all.failures}" errors="${all.errors + errors.length}" skipped="${all.skipped}">`;
      yield* inputSuite(
        errors,
        inputProblems.filter((p) => p.severity === 'warning'),
      );
      for (const [policy, t] of this.#suites) {
        yield `  <testsuite name="${xmlEscape(policy)}" ${totals(t)}>`;
        yield* this.#cases.texts(t.group);
        yield '  </testsuite>';
      }
      yield '</testsuites>';
    } finally {
      this.#cases.close();
    }
  }
}

export function renderJunit(report: FindingsReport, _options: FormatOptions): string {
  const junit = new JunitReport(report.command);
  for (const f of report.findings) junit.add(f);
  return [...junit.lines(report.inputProblems ?? [])].join('\n');
}
