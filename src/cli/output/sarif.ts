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
  isProblem,
  oneLine,
  type PolicyInfo,
  STDIN_FILE,
} from './findings.js';
import { GroupedText, type GroupedTextOptions } from './grouped-text.js';
import { indentJson, spliceItems } from './splice-items.js';

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
function invocation(inputProblems: readonly InputProblem[]): Record<string, unknown> {
  const notifications = inputProblems.map((p) => {
    const where = p.location;
    return {
      level: p.severity === 'error' ? 'error' : 'warning',
      message: { text: p.message },
      descriptor: { id: p.code },
      ...(where !== undefined ? { locations: [{ physicalLocation: physical(where) }] } : {}),
    };
  });
  return {
    executionSuccessful: !inputProblems.some((p) => p.severity === 'error'),
    toolExecutionNotifications: notifications,
  };
}

/**
 * A SARIF log made a finding at a time: rule descriptors (one per evaluated rule, in the order first
 * seen) are kept in memory, each problem's result as its text in chunks that go to a temporary file
 * past a bound (`GroupedText`); the lines are those of `JSON.stringify(log, null, 2)`.
 */
export class SarifLog {
  readonly #command: FindingsReport['command'];
  readonly #ruleIndex = new Map<string, number>();
  readonly #rules: Record<string, unknown>[] = [];
  readonly #results: GroupedText;

  constructor(command: FindingsReport['command'], options: GroupedTextOptions = {}) {
    this.#command = command;
    this.#results = new GroupedText(options);
  }

  add(f: Finding): void {
    const id = ruleId(f);
    let index = this.#ruleIndex.get(id);
    // Every evaluated rule is described, so a clean run still lists what was checked.
    if (index === undefined) {
      index = this.#rules.length;
      this.#ruleIndex.set(id, index);
      this.#rules.push(ruleDescriptor(f));
    }
    if (isProblem(f)) this.#results.add(0, JSON.stringify(result(f, index, this.#command), null, 2));
  }

  /** The log's lines; once (the kept results are freed at the end). */
  *lines(inputProblems: readonly InputProblem[], options: FormatOptions): Generator<string> {
    const ruleIndex = this.#ruleIndex;
    const rules = this.#rules;
    for (const p of inputProblems) {
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
          invocations: [invocation(inputProblems)],
          columnKind: 'utf16CodeUnits',
          results: [],
        },
      ],
    };
    const results = this.#results;
    const items = function* (): Generator<string> {
      for (const p of inputProblems)
        yield indentJson(JSON.stringify(inputResult(p, ruleIndex.get(p.code) ?? 0), null, 2), PAD);
      for (const t of results.texts(0)) yield indentJson(t, PAD);
    };
    try {
      yield* spliceItems(
        JSON.stringify(log, null, 2),
        '      "results": []',
        '      "results": [',
        '      ]',
        items(),
        true,
      );
    } finally {
      results.close();
    }
  }
}

/** Indentation of a result in the log (runs[0].results[i]). */
const PAD = '        ';

export function renderSarif(report: FindingsReport, options: FormatOptions): string {
  const log = new SarifLog(report.command);
  for (const f of report.findings) log.add(f);
  return [...log.lines(report.inputProblems ?? [], options)].join('\n');
}
