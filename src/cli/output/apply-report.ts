/** @module `palisade apply` output: Kyverno-like text, table, json/yaml and policy reports (pure). */
import { stringify } from 'yaml';
import { type FieldPath, formatFieldPath, type KubeObject, type SourceRef } from '../../engine/index.js';
import type { PolicyReportResult, ReportSummary } from '../../io/report/report-result.js';
import { colorStatus } from './color.js';
import type { InputProblem, PolicyInfo } from './findings.js';
import { GroupedText, type GroupedTextOptions } from './grouped-text.js';
import { SpilledText, type SpillOptions } from './spilled-text.js';
import { spliceItems, yamlItem } from './splice-items.js';
import { tableLines, widen } from './table.js';
import { isViolation, resourceLabel, ViolationBlocks } from './violation-blocks.js';

export { isViolation, resourceLabel, ViolationBlocks };

export interface ApplyResultRow {
  readonly policy: string;
  /** Namespace of a namespaced Policy (reports are grouped by it). */
  readonly policyNamespace?: string;
  readonly rule: string;
  readonly ruleType: string;
  readonly resource: KubeObject;
  readonly status: PolicyReportResult['result'];
  readonly message: string;
  readonly auditWarning: boolean;
  readonly report: PolicyReportResult;
  /** Position of the offending field (or the resource) in its file (`<stdin>` for stdin). */
  readonly location?: SourceRef;
  readonly path?: FieldPath;
  readonly policyInfo?: PolicyInfo;
}

/**
 * Whether a row is a finding (fail, warn, error) that outputs place in its file. Passes and skips are
 * not: their positions would cost a second parse of every document for nothing to look at.
 */
export function located(
  r: Pick<ApplyResultRow, 'status' | 'location'>,
): r is typeof r & { location: SourceRef } {
  return r.location !== undefined && r.status !== 'pass' && r.status !== 'skip';
}

/** `file:line:col` of a row's finding, or '' when it is no finding or has no position. */
export function rowLocation(r: Pick<ApplyResultRow, 'status' | 'location'>): string {
  return located(r) ? `${r.location.file}:${r.location.line}:${r.location.column}` : '';
}

export function summaryLine(s: ReportSummary): string {
  return `pass: ${s.pass}, fail: ${s.fail}, warn: ${s.warn}, error: ${s.error}, skip: ${s.skip}`;
}

/** Failed rules grouped per (policy, resource), Kyverno's `policy p -> resource r failed:` blocks. */
export function renderViolations(rows: readonly ApplyResultRow[]): string[] {
  const blocks = new ViolationBlocks();
  for (const r of rows) blocks.add(r);
  return [...blocks.lines()];
}

export function renderApplyTable(rows: readonly ApplyResultRow[], detailed: boolean, color = false): string {
  const table = new ApplyTable(detailed, color);
  for (const r of rows) table.add(r);
  return [...table.lines()].join('\n');
}

/**
 * `--table` as rows come: each row's cells are kept as text (`GroupedText`, spilled to a temporary
 * file past a bound) and the columns widened; the lines are written once every width is known.
 */
export class ApplyTable {
  readonly #detailed: boolean;
  readonly #color: boolean;
  readonly #headers: string[];
  readonly #widths: number[];
  readonly #cells: GroupedText;
  #count = 0;

  constructor(detailed: boolean, color: boolean, options: GroupedTextOptions = {}) {
    this.#detailed = detailed;
    this.#color = color;
    this.#headers = ['ID', 'POLICY', 'RULE', 'RESOURCE', 'RESULT', 'REASON', 'LOCATION'];
    if (detailed) this.#headers.push('MESSAGE');
    this.#widths = this.#headers.map((h) => h.length);
    this.#cells = new GroupedText(options);
  }

  add(r: ApplyResultRow): void {
    const c = [
      String(++this.#count),
      r.policy,
      r.rule,
      resourceLabel(r.resource),
      colorStatus(r.status, r.status, this.#color),
      r.status === 'pass' ? 'Ok' : r.status,
      rowLocation(r),
    ];
    if (this.#detailed) c.push(r.message.replace(/\s*\n\s*/g, ' '));
    widen(this.#widths, c);
    this.#cells.add(0, JSON.stringify(c));
  }

  /** The table's lines; once (the kept cells are freed at the end). */
  *lines(): Generator<string> {
    const cells = this.#cells;
    const rows = function* (): Generator<string[]> {
      for (const t of cells.texts(0)) yield JSON.parse(t) as string[];
    };
    try {
      yield* tableLines(this.#headers, this.#widths, rows());
    } finally {
      cells.close();
    }
  }
}

export function renderStructured(
  rows: readonly ApplyResultRow[],
  summary: ReportSummary,
  format: 'json' | 'yaml',
  problems: readonly InputProblem[] = [],
): string {
  if (format === 'json') return [...structuredJsonLines(rows, summary, problems)].join('\n');
  const results = new YamlResults();
  for (const r of rows) results.add(r);
  return [...results.lines(summary, problems)].join('\n');
}

/**
 * `-o yaml`'s results as rows come, each as its YAML (an item of the top-level `results` list),
 * kept in chunks that go to a temporary file past a bound: the summary, printed first, counts every
 * row. The lines are those of `stringify({ summary, errors?, results }).trimEnd()`.
 */
export class YamlResults {
  readonly #texts: GroupedText;
  constructor(options: GroupedTextOptions = {}) {
    this.#texts = new GroupedText(options);
  }
  add(r: ApplyResultRow): void {
    this.#texts.add(0, yamlItem('results', structuredResult(r)));
  }
  /** The document's lines; once (the kept texts are freed at the end). */
  *lines(summary: ReportSummary, problems: readonly InputProblem[] = []): Generator<string> {
    const skeleton = stringify({
      summary,
      ...(problems.length > 0 ? { errors: problems.map(structuredProblem) } : {}),
      results: [],
    });
    // The document is trimmed at its end, which is the last result's end.
    let last: string | undefined;
    try {
      for (const line of spliceItems(
        skeleton.trimEnd(),
        'results: []',
        'results:',
        undefined,
        this.#texts.texts(0),
        false,
      )) {
        if (last !== undefined) yield last;
        last = line;
      }
      if (last !== undefined) yield last.trimEnd();
    } finally {
      this.#texts.close();
    }
  }
}

/** A row as `-o json|yaml` lists it. */
function structuredResult(r: ApplyResultRow): Record<string, unknown> {
  return {
    policy: r.policy,
    rule: r.rule,
    resource: {
      apiVersion: r.resource.apiVersion ?? '',
      kind: r.resource.kind ?? '',
      namespace: r.resource.metadata?.namespace ?? '',
      name: r.resource.metadata?.name ?? '',
    },
    result: r.status,
    message: r.message,
    ...(located(r) ? { file: r.location.file, line: r.location.line, column: r.location.column } : {}),
    ...(located(r) && r.path !== undefined ? { fieldPath: formatFieldPath(r.path) } : {}),
  };
}

/**
 * `-o json`'s results as rows come, each as its text (indented as the document's `results` list
 * wants it; JSON text holds no raw line feed inside a value), kept in chunks that go to a temporary
 * file past a bound: the summary, printed first, counts every row.
 */
export class JsonResults {
  readonly #text: SpilledText;
  #count = 0;
  constructor(options: SpillOptions = {}) {
    this.#text = new SpilledText(options);
  }
  add(r: ApplyResultRow): void {
    const text = `    ${JSON.stringify(structuredResult(r), null, 2).replaceAll('\n', '\n    ')}`;
    this.#text.add(this.#count++ === 0 ? text : `,\n${text}`);
  }
  get count(): number {
    return this.#count;
  }
  /** The results' lines; once. */
  lines(): Generator<string> {
    return this.#text.lines();
  }
}

/**
 * `-o json`'s lines, a result at a time: the text of `JSON.stringify({ summary, errors?, results }, null, 2)`
 * without the document or the whole text (hundreds of MB for 10,000 resources) in memory.
 */
export function* structuredJsonLines(
  rows: readonly ApplyResultRow[] | JsonResults,
  summary: ReportSummary,
  problems: readonly InputProblem[] = [],
): Generator<string> {
  let results = rows;
  if (!(results instanceof JsonResults)) {
    results = new JsonResults();
    for (const r of rows as readonly ApplyResultRow[]) results.add(r);
  }
  yield '{';
  yield* member('summary', summary, true);
  if (problems.length > 0) yield* member('errors', problems.map(structuredProblem), true);
  if (results.count === 0) yield '  "results": []';
  else {
    yield '  "results": [';
    yield* results.lines();
    yield '  ]';
  }
  yield '}';
}

/** A top-level member's lines at depth 1. */
function* member(key: string, value: unknown, more: boolean): Generator<string> {
  const lines = JSON.stringify(value, null, 2).split('\n');
  const last = lines.length - 1;
  for (const [k, line] of lines.entries()) {
    const text = k === 0 ? `  ${JSON.stringify(key)}: ${line}` : `  ${line}`;
    yield k === last && more ? `${text},` : text;
  }
}

/** An input problem in `-o json|yaml`: flat, with `file`/`line`/`column` when known. */
export function structuredProblem(p: InputProblem): Record<string, unknown> {
  return {
    severity: p.severity,
    code: p.code,
    message: p.message,
    ...(p.location !== undefined
      ? { file: p.location.file, line: p.location.line, column: p.location.column }
      : {}),
    ...(p.path !== undefined ? { fieldPath: formatFieldPath(p.path) } : {}),
  };
}

export function renderReports(reports: readonly Record<string, unknown>[], format: 'json' | 'yaml'): string {
  if (format === 'json')
    return JSON.stringify(
      reports.length === 1 ? reports[0] : { apiVersion: 'v1', kind: 'List', items: reports },
      null,
      2,
    );
  return reports.map((r) => stringify(r).trimEnd()).join('\n---\n');
}
