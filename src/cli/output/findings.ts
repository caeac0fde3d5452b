/**
 * @module The one result model every report format reads (SARIF, JUnit, GitHub annotations,
 * Markdown): a finding per rule result of `apply`, or per checked row of `test`. Pure.
 */
import type { FieldPath, SourceRef } from '../../engine/index.js';

export type FindingStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/** What the policy says about itself (`policies.kyverno.io/*` annotations). */
export interface PolicyInfo {
  readonly title?: string;
  readonly description?: string;
  readonly severity?: string;
  readonly category?: string;
}

export interface Finding {
  readonly policy: string;
  readonly rule: string;
  /** `namespace/Kind/name` for apply, the test's resource label for test. */
  readonly resource: string;
  readonly status: FindingStatus;
  readonly message: string;
  /** Position of the offending field (or of the resource) in its file (`<stdin>` for stdin). */
  readonly location?: SourceRef;
  readonly path?: FieldPath;
  readonly policyInfo?: PolicyInfo;
  /** `test` only: the expected result and why the row failed (`Want pass, got fail`). */
  readonly expected?: string;
  readonly reason?: string;
}

/** An input that could not be read or loaded (a policy, resource, values or test file), or a notice about one. */
export interface InputProblem {
  /** The diagnostic code, e.g. `yaml/syntax-error` or `input/not-found`. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location?: SourceRef;
  readonly path?: FieldPath;
}

export interface FindingsReport {
  readonly command: 'apply' | 'test';
  readonly findings: readonly Finding[];
  /** Load and usage problems: every format shows them, so a broken input never renders as a clean run. */
  readonly inputProblems?: readonly InputProblem[];
}

export interface FormatOptions {
  /** Palisade's version, for SARIF's tool.driver. */
  readonly toolVersion: string;
  /** ANSI colour (table only); main.ts decides from the TTY and NO_COLOR. */
  readonly color?: boolean;
}

export const STATUSES: readonly FindingStatus[] = ['pass', 'fail', 'warn', 'error', 'skip'];

export function countByStatus(findings: readonly Finding[]): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}

/** A finding worth reporting as a problem (annotation, SARIF result, JUnit failure). */
export function isProblem(f: Finding): boolean {
  return f.status === 'fail' || f.status === 'warn' || f.status === 'error';
}

export function policyInfo(annotations: Readonly<Record<string, string>> | undefined): PolicyInfo {
  const a = annotations ?? {};
  const pick = (k: string): string | undefined => {
    const v = a[`policies.kyverno.io/${k}`];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const info: { -readonly [K in keyof PolicyInfo]: PolicyInfo[K] } = {};
  const title = pick('title');
  const description = pick('description');
  const severity = pick('severity');
  const category = pick('category');
  if (title !== undefined) info.title = title;
  if (description !== undefined) info.description = description;
  if (severity !== undefined) info.severity = severity;
  if (category !== undefined) info.category = category;
  return info;
}

/** How the io layer names standard input in positions. */
export const STDIN_FILE = '<stdin>';

/** A finding's or problem's position when it is in a real file (SARIF and GitHub need a file in the repo). */
export function fileLocation(f: { readonly location?: SourceRef }): SourceRef | undefined {
  return f.location !== undefined && f.location.file !== STDIN_FILE ? f.location : undefined;
}

/** The input problems of a report that are errors. */
export function inputErrors(report: FindingsReport): readonly InputProblem[] {
  return (report.inputProblems ?? []).filter((p) => p.severity === 'error');
}

/** `file:line:col` of a finding or problem, or '' when it has no location. */
export function locationText(f: { readonly location?: SourceRef }): string {
  const l = f.location;
  return l === undefined ? '' : `${l.file}:${l.line}:${l.column}`;
}

/** Message text on one line (tables, titles). */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
