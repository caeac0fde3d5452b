/**
 * @module kyverno-test.yaml suites: discovery below folders and decoding of `cli.kyverno.io/v1alpha1`
 * kind Test. Field names match case-insensitively, as Go's JSON decoding does; unknown fields are
 * errors (Kyverno decodes strictly). Paths inside a test are relative to the test file's folder.
 */
import { dirname, isAbsolute, join } from 'node:path';
import type { FieldPath, SourceRef } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { validateTestFile } from '../schemas/test-file.js';
import { loadDocuments } from '../yaml/load-documents.js';
import { locate } from '../yaml/source-map.js';
import { readText } from './read-text.js';
import type { ValuesSpec } from './values.js';
import { collectFiles } from './walk.js';

export type ExpectedResult = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

export interface TestResultRow {
  readonly policy: string;
  readonly rule?: string;
  readonly resources?: readonly string[];
  readonly resourceSpecs?: readonly {
    group?: string;
    version?: string;
    kind?: string;
    namespace?: string;
    name?: string;
  }[];
  readonly kind: string;
  readonly namespace?: string;
  readonly result: ExpectedResult;
  readonly operation?: string;
  readonly patchedResources?: string;
  readonly generatedResource?: string;
  readonly generatedResources?: readonly string[];
  readonly cloneSourceResource?: string;
  readonly failOnMissingResources?: boolean;
  readonly isValidatingAdmissionPolicy?: boolean;
  readonly isMutatingAdmissionPolicy?: boolean;
  readonly isValidatingPolicy?: boolean;
  readonly isMutatingPolicy?: boolean;
  readonly isGeneratingPolicy?: boolean;
  readonly isDeletingPolicy?: boolean;
  readonly isImageValidatingPolicy?: boolean;
}

export interface ApiCallMock {
  readonly url?: string;
  readonly urlPath?: string;
  readonly method?: string;
  readonly response?: { statusCode?: number; body?: unknown };
}

export interface GlobalContextMock {
  readonly name: string;
  readonly data?: unknown;
  readonly resources?: readonly unknown[];
  readonly resourceFiles?: readonly string[];
  /** JMESPath applied to the data (or resource list) first. */
  readonly fieldPath?: string;
  /** Named JMESPath extracts: when given, the entry's value is the map of their results. */
  readonly projections?: readonly { readonly name: string; readonly path: string }[];
}

export interface TestSpec {
  readonly metadata?: { name?: string };
  readonly policies: readonly string[];
  readonly resources: readonly string[];
  readonly targetResources?: readonly string[];
  /** ValidatingAdmissionPolicy params (paths). */
  readonly paramResources?: readonly string[];
  readonly exceptions?: readonly string[];
  readonly variables?: string;
  readonly values?: ValuesSpec;
  readonly userinfo?: string;
  readonly context?: string;
  readonly clusterResources?: readonly string[];
  /** Authorization requests (one JSON CheckRequest per file) for HTTP- / Envoy-mode ValidatingPolicies. */
  readonly httpPayloads?: readonly string[];
  readonly envoyPayloads?: readonly string[];
  readonly apiCallResponses?: readonly ApiCallMock[];
  readonly globalContextEntries?: readonly GlobalContextMock[];
  /** Absent in a test that checks nothing (Kyverno accepts it and runs no row). */
  readonly results?: readonly TestResultRow[];
}

export interface LoadedTest {
  readonly path: string;
  /** Folder of the test file: the base of every path inside it. */
  readonly dir: string;
  readonly test?: TestSpec;
  readonly issues: readonly IoDiagnostic[];
  /** File position of a field of the test document (e.g. `['results', 3, 'rule']`). */
  readonly locate?: (path: FieldPath) => SourceRef;
}

/** Every file named `fileName` below `paths` (hidden folders included: suites live in `.kyverno-test/`). */
export function discoverTests(
  paths: readonly string[],
  fileName = 'kyverno-test.yaml',
): { files: string[]; issues: IoDiagnostic[] } {
  return collectFiles(paths, (name) => name === fileName, { skipHidden: false });
}

/** Kyverno still reads a row's deprecated `resource`, `status` and `patchedResource`; fold them into today's fields. */
function foldLegacyRowFields(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const test = value as Record<string, unknown>;
  if (!Array.isArray(test.results)) return value;
  const results = test.results.map((raw: unknown) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const { resource, status, patchedResource, ...row } = raw as Record<string, unknown>;
    if (typeof resource === 'string' && row.resources === undefined) row.resources = [resource];
    if (typeof status === 'string' && row.result === undefined) row.result = status.toLowerCase();
    if (typeof patchedResource === 'string' && row.patchedResources === undefined)
      row.patchedResources = patchedResource;
    return row;
  });
  return { ...test, results };
}

function withoutNullFields(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined));
}

/**
 * `key:` with no value decodes to null, which Go reads as the zero value: drop such fields from the
 * test and from its rows and mocks, so that only absent fields (never nulls) reach the runner.
 */
function normalizeNulls(value: Record<string, unknown>): Record<string, unknown> {
  const test = withoutNullFields(value) as Record<string, unknown>;
  for (const key of ['results', 'apiCallResponses', 'globalContextEntries']) {
    const list = test[key];
    if (!Array.isArray(list)) continue;
    test[key] = list.map((item) => {
      const row = withoutNullFields(item);
      if (
        row !== null &&
        typeof row === 'object' &&
        Array.isArray((row as { resourceSpecs?: unknown }).resourceSpecs)
      ) {
        const r = row as { resourceSpecs: unknown[] };
        return { ...r, resourceSpecs: r.resourceSpecs.map(withoutNullFields) };
      }
      return row;
    });
  }
  return test;
}

/** Decodes one Test document, validated strictly by the schema in io/schemas (unknown fields are errors). */
export function decodeTest(value: unknown): { test?: TestSpec; issues: IoDiagnostic[] } {
  const validated = validateTestFile(foldLegacyRowFields(value));
  if (!validated.ok) return { issues: [...validated.issues] };
  const test = normalizeNulls(validated.value as unknown as Record<string, unknown>);
  // A test may name no policies or no resources: it then loads none (Kyverno does the same).
  return {
    test: { ...test, policies: test.policies ?? [], resources: test.resources ?? [] } as unknown as TestSpec,
    issues: [...validated.warnings],
  };
}

/**
 * Reads and decodes a kyverno-test.yaml: each YAML document is a Test of its own (Kyverno runs
 * every one), so a file yields one LoadedTest per non-empty document.
 */
export function loadTests(path: string): LoadedTest[] {
  const dir = dirname(path);
  const read = readText(path);
  if (!read.ok) return [{ path, dir, issues: [read.issue] }];
  // Kyverno decodes test files strictly: a repeated key is an error there.
  const loaded = loadDocuments(read.text, path, { duplicateKeys: 'error' });
  if (loaded.issues.length > 0) return [{ path, dir, issues: loaded.issues }];
  const docs = loaded.documents.filter((d) => d.value !== null && d.value !== undefined);
  if (docs.length === 0)
    return [{ path, dir, issues: [ioDiagnostic('test/invalid', 'test file is empty', { file: path })] }];
  return docs.map((doc) => {
    const decoded = decodeTest(doc.value);
    const issues = decoded.issues.map((d) => ({ ...d, source: locate(doc, d.path) }));
    if (decoded.test === undefined) return { path, dir, issues };
    const { test, issues: fileIssues } = withGlobalContextResourceFiles(decoded.test, dir);
    return {
      path,
      dir,
      test,
      issues: [...issues, ...fileIssues],
      locate: (at: FieldPath) => locate(doc, at),
    };
  });
}

/**
 * Reads each `globalContextEntries[].resourceFiles` (relative to the test folder, multi-document
 * YAML) into the entry's `resources`, as Kyverno's CLI does before the run.
 */
function withGlobalContextResourceFiles(
  test: TestSpec,
  dir: string,
): { test: TestSpec; issues: IoDiagnostic[] } {
  const entries = test.globalContextEntries;
  if (entries === undefined || !entries.some((e) => e.resourceFiles !== undefined))
    return { test, issues: [] };
  const issues: IoDiagnostic[] = [];
  const resolved = entries.map((e) => {
    if (e.resourceFiles === undefined || e.resources !== undefined) return e;
    const resources: unknown[] = [];
    for (const file of e.resourceFiles) {
      const full = isAbsolute(file) ? file : join(dir, file);
      const read = readText(full);
      if (!read.ok) {
        issues.push(read.issue);
        continue;
      }
      const loaded = loadDocuments(read.text, full);
      issues.push(...loaded.issues);
      for (const d of loaded.documents)
        if (d.value !== null && d.value !== undefined) resources.push(d.value);
    }
    return { ...e, resources };
  });
  return { test: { ...test, globalContextEntries: resolved }, issues };
}

/** The first Test of a kyverno-test.yaml (see loadTests for files holding several). */
export function loadTestFile(path: string): LoadedTest {
  return loadTests(path)[0] as LoadedTest;
}

/** Resolves a path named inside a test file. */
export function testPath(test: LoadedTest, p: string): string {
  return isAbsolute(p) ? p : join(test.dir, p);
}
