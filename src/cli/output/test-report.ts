/** @module `palisade test` output formats: text table, json, yaml, markdown, junit (pure). */
import { stringify } from 'yaml';
import type { CheckedRow } from '../run/check-results.js';
import { colorStatus } from './color.js';
import { type InputProblem, locationText } from './findings.js';
import { renderTable } from './table.js';

export type TestOutputFormat = 'text' | 'json' | 'yaml' | 'markdown' | 'junit';

const HEADERS = ['ID', 'POLICY', 'RULE', 'RESOURCE', 'RESULT', 'REASON'];

function cells(r: CheckedRow, detailed: boolean, color = false): string[] {
  const c = [String(r.id), r.policy, r.rule, r.resource, colorStatus(r.result, r.result, color), r.reason];
  if (detailed) c.push(r.message.replace(/\s*\n\s*/g, ' '));
  return c;
}

export function renderResultTable(rows: readonly CheckedRow[], detailed: boolean, color = false): string {
  return renderTable(
    detailed ? [...HEADERS, 'MESSAGE'] : HEADERS,
    rows.map((r) => cells(r, detailed, color)),
  );
}

export interface TestRowRecord {
  readonly TEST: string;
  readonly ID: number;
  readonly POLICY: string;
  readonly RULE: string;
  readonly RESOURCE: string;
  readonly RESULT: string;
  readonly REASON: string;
  readonly EXPECTED: string;
  readonly ACTUAL: string | null;
  readonly MESSAGE?: string;
  readonly NOTE?: string;
}

export function toRecords(test: string, rows: readonly CheckedRow[], detailed: boolean): TestRowRecord[] {
  return rows.map((r) => ({
    TEST: test,
    ID: r.id,
    POLICY: r.policy,
    RULE: r.rule,
    RESOURCE: r.resource,
    RESULT: r.result,
    REASON: r.reason,
    EXPECTED: r.expected,
    ACTUAL: r.actual ?? null,
    ...(detailed ? { MESSAGE: r.message } : {}),
    ...(r.note !== undefined ? { NOTE: r.note } : {}),
  }));
}

/**
 * Input problems as `-o json|yaml` records of their own (`RESULT: Error`), so the records array keeps
 * its shape and a broken suite is never an empty, clean-looking list.
 */
export function errorRecords(problems: readonly InputProblem[]): TestRowRecord[] {
  return problems
    .filter((p) => p.severity === 'error')
    .map((p) => {
      const where = p.location !== undefined ? `${locationText(p)}: ` : '';
      return {
        TEST: p.location?.file ?? '',
        ID: 0,
        POLICY: '',
        RULE: '',
        RESOURCE: '',
        RESULT: 'Error',
        REASON: p.code,
        EXPECTED: '',
        ACTUAL: null,
        MESSAGE: `${where}${p.message}`,
      };
    });
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderRecords(
  records: readonly TestRowRecord[],
  format: Exclude<TestOutputFormat, 'text'>,
  detailed: boolean,
): string {
  if (format === 'json') return JSON.stringify(records, null, 2);
  if (format === 'yaml') return stringify(records).trimEnd();
  if (format === 'markdown') {
    const headers = detailed ? [...HEADERS, 'MESSAGE'] : HEADERS;
    const lines = [`| ${headers.join(' | ')} |`, `|${'----|'.repeat(headers.length)}`];
    for (const r of records) {
      const c = [String(r.ID), r.POLICY, r.RULE, r.RESOURCE, r.RESULT, r.REASON];
      if (detailed) c.push(r.MESSAGE ?? '');
      lines.push(`| ${c.join(' | ')} |`);
    }
    return lines.join('\n');
  }
  const failures = records.filter((r) => r.RESULT === 'Fail').length;
  const byPolicy = new Map<string, TestRowRecord[]>();
  for (const r of records) byPolicy.set(r.POLICY, [...(byPolicy.get(r.POLICY) ?? []), r]);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${records.length}" failures="${failures}">`,
  ];
  for (const [policy, rs] of byPolicy) {
    const f = rs.filter((r) => r.RESULT === 'Fail').length;
    out.push(`  <testsuite name="${xml(policy)}" tests="${rs.length}" failures="${f}">`);
    for (const r of rs) {
      out.push(`    <testcase classname="${xml(r.RULE)}" name="${xml(r.RESOURCE)}">`);
      if (r.RESULT === 'Fail') {
        const text = `Policy: ${r.POLICY}\nRule: ${r.RULE}\nResource: ${r.RESOURCE}\nResult: ${r.REASON}${r.MESSAGE !== undefined ? `\nMessage: ${r.MESSAGE}` : ''}`;
        out.push(`      <failure message="${xml(r.REASON)}">${xml(text)}</failure>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
}
