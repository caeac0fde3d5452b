/**
 * @module SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (pure). One rule descriptor
 * per policy rule, with help text from the policy's `policies.kyverno.io/*` annotations; one
 * result per failed, warned or errored finding, with a physical location when the resource came
 * from a file. Spec: docs.oasis-open.org/sarif/sarif/v2.1.0; GitHub: "SARIF support for code scanning".
 */
import { formatFieldPath } from '../../engine/index.js';
import {
  type Finding,
  type FindingsReport,
  type FormatOptions,
  fileLocation,
  isProblem,
  oneLine,
  type PolicyInfo,
} from './findings.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

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
  const where = fileLocation(f);
  if (where !== undefined) {
    out.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(where.file) },
          region: { startLine: where.line, startColumn: where.column },
        },
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
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'palisade',
            version: options.toolVersion,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: problems.map((f) => result(f, ruleIndex.get(ruleId(f)) ?? 0, report.command)),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
