/**
 * @module `apply --policy-report` written as rows come: the merged ClusterPolicyReport, then a
 * PolicyReport per namespace of a namespaced policy (sorted), each listing its results in row order
 * before its summary. A result's text is made when its row comes and kept in its report's group
 * (`GroupedText`, spilled to a temporary file past a bound), so memory does not grow with the input;
 * the reports' other fields are stringified at the end and the results spliced in. The bytes are
 * those of stringifying the whole reports (`renderReports(buildPolicyReports(…))`).
 */
import { stringify } from 'yaml';
import type { PolicyReportResult, ReportSummary } from '../../io/report/report-result.js';
import { GroupedText, type GroupedTextOptions } from './grouped-text.js';
import { indentJson, spliceItems, yamlItem } from './splice-items.js';

function emptySummary(): ReportSummary {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}

export class PolicyReportStream {
  readonly #format: 'json' | 'yaml';
  readonly #texts: GroupedText;
  /** Group 0 is the cluster report; a namespace's group is its index + 1. */
  readonly #namespaces = new Map<string, number>();
  readonly #summaries: ReportSummary[] = [emptySummary()];

  constructor(format: 'json' | 'yaml', options: GroupedTextOptions = {}) {
    this.#format = format;
    this.#texts = new GroupedText(options);
  }

  /** A row's report result, in the cluster report (`namespace` undefined) or its namespace's. */
  add(namespace: string | undefined, result: PolicyReportResult): void {
    let group = 0;
    if (namespace !== undefined) {
      group = this.#namespaces.get(namespace) ?? this.#namespaces.size + 1;
      if (group === this.#namespaces.size + 1) {
        this.#namespaces.set(namespace, group);
        this.#summaries.push(emptySummary());
      }
    }
    this.#summaries[group]![result.result]++;
    this.#texts.add(
      group,
      this.#format === 'json' ? JSON.stringify(result, null, 2) : yamlItem('results', result),
    );
  }

  /** The reports' lines; once (the kept texts are freed at the end). */
  *lines(): Generator<string> {
    const reports: { group: number; head: Record<string, unknown> }[] = [
      {
        group: 0,
        head: {
          apiVersion: 'wgpolicyk8s.io/v1alpha2',
          kind: 'ClusterPolicyReport',
          metadata: { name: 'merged' },
        },
      },
    ];
    for (const [ns, group] of [...this.#namespaces.entries()].sort(([a], [b]) => a.localeCompare(b)))
      reports.push({
        group,
        head: {
          apiVersion: 'wgpolicyk8s.io/v1alpha2',
          kind: 'PolicyReport',
          metadata: { name: 'merged', namespace: ns },
        },
      });
    const skeleton = (r: (typeof reports)[number]) => ({
      ...r.head,
      results: [],
      summary: this.#summaries[r.group],
    });
    try {
      if (this.#format === 'yaml') {
        for (const [i, r] of reports.entries()) {
          if (i > 0) yield '---';
          const text = stringify(skeleton(r)).trimEnd();
          yield* spliceItems(text, 'results: []', 'results:', undefined, this.#texts.texts(r.group), false);
        }
        return;
      }
      // One report is printed alone, more as a List (items at depth 2, so results at depth 4).
      const single = reports.length === 1;
      const doc = single
        ? skeleton(reports[0]!)
        : { apiVersion: 'v1', kind: 'List', items: reports.map(skeleton) };
      const pad = single ? '  ' : '      ';
      const marker = `${pad}"results": []`;
      let at = 0;
      const items = function* (this: PolicyReportStream, group: number): Generator<string> {
        for (const t of this.#texts.texts(group)) yield indentJson(t, `${pad}  `);
      };
      // The skeleton's results lines come in the reports' order.
      for (const line of JSON.stringify(doc, null, 2).split('\n')) {
        if (line === marker || line === `${marker},`)
          yield* spliceItems(
            line,
            line,
            `${pad}"results": [`,
            `${pad}]`,
            items.call(this, reports[at++]!.group),
            true,
          );
        else yield line;
      }
    } finally {
      this.#texts.close();
    }
  }
}
