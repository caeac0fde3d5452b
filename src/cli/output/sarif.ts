/**
 * @module SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (pure). One rule descriptor
 * per policy rule, with help text from the policy's `policies.kyverno.io/*` annotations; one
 * result per failed, warned or errored finding, each with a physical location (file, line and
 * column; `stdin` for standard input, whose lines count in the piped stream). Spec: docs.oasis-open.org/sarif/sarif/v2.1.0; GitHub: "SARIF support for code scanning".
 */
import { formatFieldPath } from '../../engine/index.js';
import {
  type Finding,
  type FindingsReport,
  type FormatOptions,
  type InputProblem,
  inputErrors,
  isProblem,
  oneLine,
  type PolicyInfo,
  STDIN_FILE,
} from './findings.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where a reader of a result learns about the tool (SARIF's `tool.driver.informationUri`). */
export const INFORMATION_URI = 'https://www.npmjs.com/package/@palisade-policy/cli';

/** GitHub reads `security-severity` (0-10) to rank security alerts. */
const SECURITY_SEVERITY: Readonly<Record<string, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

type Level = 'error' | 'warning' | 'note';

function level(f: Finding): Level {
  return f.status === 'warn' ? 'warning' : 'error';
}

/** A file path as a URI reference: relative stays relative (GitHub resolves it against the repo). */
export function toUri(file: string): string {
  const p = file.replace(/\\/g, '/').replace(/^\.\//, '');
  const encoded = encodeURI(p).replace(/#/g, '%23').replace(/\?/g, '%3F');
  if (/^[A-Za-z]:\//.test(p)) return `file:///${encoded}`;
  return p.startsWith('/') ? `file://${encoded}` : encoded;
}

function ruleId(f: Finding): string {
  return `${f.policy}/${f.rule}`;
}

function helpText(f: Finding, info: PolicyInfo): { text: string; markdown: string } {
  const lines = [
    info.title ?? f.policy,
    ...(info.description !== undefined ? ['', info.description] : []),
    '',
    `Policy: ${f.policy}`,
    `Rule: ${f.rule}`,
    ...(info.category !== undefined ? [`Category: ${info.category}`] : []),
    ...(info.severity !== undefined ? [`Severity: ${info.severity}`] : []),
  ];
  const md = [
    `**${info.title ?? f.policy}**`,
    ...(info.description !== undefined ? ['', info.description] : []),
    '',
    `- Policy: \`${f.policy}\``,
    `- Rule: \`${f.rule}\``,
    ...(info.category !== undefined ? [`- Category: ${info.category}`] : []),
    ...(info.severity !== undefined ? [`- Severity: ${info.severity}`] : []),
  ];
  return { text: lines.join('\n'), markdown: md.join('\n') };
}

function ruleDescriptor(f: Finding): Record<string, unknown> {
  const info = f.policyInfo ?? {};
  const short = info.title !== undefined ? `${info.title}: ${f.rule}` : `${f.policy}: ${f.rule}`;
  const severity = info.severity?.toLowerCase();
  // Kyverno's sample policies list several categories in one annotation.
  const categories = (info.category ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const tags = ['kubernetes', 'policy', ...categories];
  const properties: Record<string, unknown> = { tags };
  if (severity !== undefined && SECURITY_SEVERITY[severity] !== undefined) {
    properties['security-severity'] = SECURITY_SEVERITY[severity];
    tags.push('security');
  }
  return {
    id: ruleId(f),
    name: f.rule,
    shortDescription: { text: short },
    fullDescription: { text: oneLine(info.description ?? short) },
    help: helpText(f, info),
    defaultConfiguration: { level: severity === 'low' || severity === 'info' ? 'warning' : 'error' },
    properties,
  };
}

function resultMessage(f: Finding, command: FindingsReport['command']): string {
  const what = f.message.trim() !== '' ? f.message.trim() : `${f.status}`;
  if (command === 'test') return `${f.reason ?? 'Fail'}: ${f.resource}: ${what}`;
  return `${f.resource}: ${what}`;
}

function result(f: Finding, index: number, command: FindingsReport['command']): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: ruleId(f),
    ruleIndex: index,
    level: level(f),
    message: { text: resultMessage(f, command) },
  };
  const logical = [{ name: f.resource, kind: 'resource' }];
  const where = f.location;
  if (where !== undefined) {
    out.locations = [
      {
        physicalLocation: physical(where),
        logicalLocations: logical,
      },
    ];
  } else out.locations = [{ logicalLocations: logical }];
  out.partialFingerprints = { 'palisadeFinding/v1': `${ruleId(f)}|${f.resource}` };
  const props: Record<string, unknown> = { status: f.status };
  if (f.path !== undefined) props.fieldPath = formatFieldPath(f.path);
  if (f.expected !== undefined) props.expected = f.expected;
  out.properties = props;
  return out;
}

/** The URI standard input's findings point at (GitHub needs a non-empty `uri` on every location). */
export const STDIN_URI = 'stdin';

function physical(where: { file: string; line: number; column: number }): Record<string, unknown> {
  const artifactLocation =
    where.file === STDIN_FILE
      ? { uri: STDIN_URI, description: { text: 'standard input: the line is in the piped stream' } }
      : { uri: toUri(where.file) };
  return { artifactLocation, region: { startLine: where.line, startColumn: where.column } };
}

/** An input problem's rule: its diagnostic code, so code scanning groups broken inputs by kind. */
function inputRuleDescriptor(code: string): Record<string, unknown> {
  const text = `Palisade could not load an input (${code})`;
  // No `name`: it would equal the id (SARIF validators flag that, SARIF1001).
  return {
    id: code,
    shortDescription: { text },
    fullDescription: { text: `${text}: nothing in it was checked.` },
    help: { text: `${text}. Fix the input and run again; until then its resources are not checked.` },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['palisade', 'input'] },
  };
}

function inputResult(p: InputProblem, index: number): Record<string, unknown> {
  const where = p.location;
  const out: Record<string, unknown> = {
    ruleId: p.code,
    ruleIndex: index,
    level: p.severity === 'error' ? 'error' : 'warning',
    message: { text: p.message },
  };
  if (where !== undefined) out.locations = [{ physicalLocation: physical(where) }];
  out.partialFingerprints = {
    'palisadeInput/v1': `${p.code}|${p.location?.file ?? ''}|${p.location?.line ?? 0}|${p.message}`,
  };
  if (p.path !== undefined) out.properties = { fieldPath: formatFieldPath(p.path) };
  return out;
}

/** The run's invocation: load problems as tool notifications, and whether the run could check everything. */
function invocation(report: FindingsReport): Record<string, unknown> {
  const notifications = (report.inputProblems ?? []).map((p) => {
    const where = p.location;
    return {
      level: p.severity === 'error' ? 'error' : 'warning',
      message: { text: p.message },
      descriptor: { id: p.code },
      ...(where !== undefined ? { locations: [{ physicalLocation: physical(where) }] } : {}),
    };
  });
  return { executionSuccessful: inputErrors(report).length === 0, toolExecutionNotifications: notifications };
}

export function renderSarif(report: FindingsReport, options: FormatOptions): string {
  const problems = report.findings.filter(isProblem);
  const ruleIndex = new Map<string, number>();
  const rules: Record<string, unknown>[] = [];
  // Every evaluated rule is described, so a clean run still lists what was checked.
  for (const f of report.findings) {
    if (ruleIndex.has(ruleId(f))) continue;
    ruleIndex.set(ruleId(f), rules.length);
    rules.push(ruleDescriptor(f));
  }
  const inputs = report.inputProblems ?? [];
  for (const p of inputs) {
    if (ruleIndex.has(p.code)) continue;
    ruleIndex.set(p.code, rules.length);
    rules.push(inputRuleDescriptor(p.code));
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'palisade',
            version: options.toolVersion,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [invocation(report)],
        columnKind: 'utf16CodeUnits',
        results: [
          ...inputs.map((p) => inputResult(p, ruleIndex.get(p.code) ?? 0)),
          ...problems.map((f) => result(f, ruleIndex.get(ruleId(f)) ?? 0, report.command)),
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
