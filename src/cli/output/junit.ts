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
  inputErrors,
  locationText,
} from './findings.js';

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

function count(fs: readonly Finding[], pred: (f: Finding) => boolean): number {
  return fs.filter(pred).length;
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

function totals(fs: readonly Finding[]): string {
  return `tests="${fs.length}" failures="${count(fs, isFailure)}" errors="${count(fs, (f) => f.status === 'error')}" skipped="${count(fs, (f) => f.status === 'skip')}"`;
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

export function renderJunit(report: FindingsReport, _options: FormatOptions): string {
  const byPolicy = new Map<string, Finding[]>();
  for (const f of report.findings) byPolicy.set(f.policy, [...(byPolicy.get(f.policy) ?? []), f]);
  const errors = inputErrors(report);
  const tests = report.findings.length + errors.length;
  const failures = count(report.findings, isFailure);
  const errored = count(report.findings, (f) => f.status === 'error') + errors.length;
  const skipped = count(report.findings, (f) => f.status === 'skip');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="palisade ${report.command}" tests="${tests}" failures="${failures}" errors="${errored}" skipped="${skipped}">`,
    ...inputSuite(
      errors,
      (report.inputProblems ?? []).filter((p) => p.severity === 'warning'),
    ),
  ];
  for (const [policy, fs] of byPolicy) {
    out.push(`  <testsuite name="${xmlEscape(policy)}" ${totals(fs)}>`);
    for (const f of fs) out.push(...testcase(f));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
}
