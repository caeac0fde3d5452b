/**
 * @module kyverno-test.yaml suites: discovery below folders and decoding of `cli.kyverno.io/v1alpha1`
 * kind Test. Field names match case-insensitively, as Go's JSON decoding does; unknown fields are
 * errors (Kyverno decodes strictly). Paths inside a test are relative to the test file's folder.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { loadDocuments } from '../yaml/load-documents.js';
import { locate } from '../yaml/source-map.js';
import { readText } from './read-text.js';
import { checkValuesSpec, type ValuesSpec } from './values.js';

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
}

export interface TestSpec {
  readonly metadata?: { name?: string };
  readonly policies: readonly string[];
  readonly resources: readonly string[];
  readonly targetResources?: readonly string[];
  readonly exceptions?: readonly string[];
  readonly variables?: string;
  readonly values?: ValuesSpec;
  readonly userinfo?: string;
  readonly context?: string;
  readonly clusterResources?: readonly string[];
  readonly apiCallResponses?: readonly ApiCallMock[];
  readonly globalContextEntries?: readonly GlobalContextMock[];
  readonly results: readonly TestResultRow[];
}

export interface LoadedTest {
  readonly path: string;
  /** Folder of the test file: the base of every path inside it. */
  readonly dir: string;
  readonly test?: TestSpec;
  readonly issues: readonly IoDiagnostic[];
}

const TOP_KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'policies',
  'resources',
  'targetResources',
  'paramResources',
  'jsonPayload',
  'jsonPayloads',
  'httpPayloads',
  'envoyPayloads',
  'exceptions',
  'variables',
  'values',
  'userinfo',
  'context',
  'clusterResources',
  'apiCallResponses',
  'globalContextEntries',
  'results',
  'checks',
];
const RESULT_KEYS = [
  'policy',
  'rule',
  'resource',
  'resources',
  'resourceSpecs',
  'kind',
  'namespace',
  'result',
  'status',
  'operation',
  'patchedResource',
  'patchedResources',
  'generatedResource',
  'generatedResources',
  'cloneSourceResource',
  'failOnMissingResources',
  'isValidatingAdmissionPolicy',
  'isMutatingAdmissionPolicy',
  'isValidatingPolicy',
  'isMutatingPolicy',
  'isGeneratingPolicy',
  'isDeletingPolicy',
  'isImageValidatingPolicy',
];
const RESULTS = new Set(['pass', 'fail', 'warn', 'error', 'skip']);

/** Every file named `fileName` below `paths` (hidden folders included: suites live in `.kyverno-test/`). */
export function discoverTests(
  paths: readonly string[],
  fileName = 'kyverno-test.yaml',
): { files: string[]; issues: IoDiagnostic[] } {
  const files: string[] = [];
  const issues: IoDiagnostic[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (name === fileName) files.push(full);
    }
  };
  for (const p of paths) {
    try {
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else files.push(p);
    } catch {
      issues.push(ioDiagnostic('input/not-found', `no such file or directory: ${p}`, { file: p }));
    }
  }
  return { files, issues };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Renames keys to their canonical spelling (Go's case-insensitive match); reports unknown ones. */
function canonicalKeys(
  o: Record<string, unknown>,
  known: readonly string[],
  path: (string | number)[],
  issues: IoDiagnostic[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const canon = known.find((x) => x === k) ?? known.find((x) => x.toLowerCase() === k.toLowerCase());
    if (canon === undefined)
      issues.push(ioDiagnostic('test/invalid', `unknown field "${k}"`, { path: [...path, k] }));
    else out[canon] = v;
  }
  return out;
}

function stringList(
  o: Record<string, unknown>,
  key: string,
  path: (string | number)[],
  issues: IoDiagnostic[],
): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    issues.push(ioDiagnostic('test/invalid', `${key} must be a list of strings`, { path: [...path, key] }));
    return undefined;
  }
  return v as string[];
}

function decodeRow(raw: unknown, i: number, issues: IoDiagnostic[]): TestResultRow | undefined {
  const path = ['results', i];
  if (!isObject(raw)) {
    issues.push(ioDiagnostic('test/invalid', 'each result must be a mapping', { path }));
    return undefined;
  }
  const r = canonicalKeys(raw, RESULT_KEYS, path, issues);
  const result = String(r.result ?? r.status ?? '').toLowerCase();
  if (typeof r.policy !== 'string' || r.policy === '') {
    issues.push(ioDiagnostic('test/invalid', 'result.policy is required', { path: [...path, 'policy'] }));
    return undefined;
  }
  if (!RESULTS.has(result)) {
    issues.push(
      ioDiagnostic(
        'test/invalid',
        `result must be one of pass, fail, warn, error, skip; got "${String(r.result ?? '')}"`,
        { path: [...path, 'result'] },
      ),
    );
    return undefined;
  }
  const resources =
    stringList(r, 'resources', path, issues) ?? (typeof r.resource === 'string' ? [r.resource] : undefined);
  const row: Record<string, unknown> = { ...r, result, kind: typeof r.kind === 'string' ? r.kind : '' };
  delete row.status;
  delete row.resource;
  if (resources !== undefined) row.resources = resources;
  if (typeof r.patchedResource === 'string' && r.patchedResources === undefined)
    row.patchedResources = r.patchedResource;
  delete row.patchedResource;
  return row as unknown as TestResultRow;
}

/** Decodes one Test document. */
export function decodeTest(value: unknown): { test?: TestSpec; issues: IoDiagnostic[] } {
  const issues: IoDiagnostic[] = [];
  if (!isObject(value)) return { issues: [ioDiagnostic('test/invalid', 'a test must be a mapping')] };
  if (
    value.apiVersion === undefined ||
    value.kind === undefined ||
    (typeof value.name === 'string' && value.name !== '')
  ) {
    return {
      issues: [
        ioDiagnostic(
          'test/deprecated-schema',
          'test file uses a deprecated schema (no apiVersion/kind, or a top-level name) — please migrate to cli.kyverno.io/v1alpha1 Test',
        ),
      ],
    };
  }
  if (value.kind !== 'Test')
    issues.push(
      ioDiagnostic('test/invalid', `expected kind Test, got ${String(value.kind)}`, { path: ['kind'] }),
    );
  const t = canonicalKeys(value, TOP_KEYS, [], issues);
  const policies = stringList(t, 'policies', [], issues) ?? [];
  const resources = stringList(t, 'resources', [], issues) ?? [];
  if (t.values !== undefined)
    for (const d of checkValuesSpec(t.values))
      issues.push({ ...d, code: 'test/invalid', path: ['values', ...d.path] });
  if (t.variables !== undefined && typeof t.variables !== 'string')
    issues.push(ioDiagnostic('test/invalid', 'variables must be a file path', { path: ['variables'] }));
  if (t.userinfo !== undefined && typeof t.userinfo !== 'string')
    issues.push(ioDiagnostic('test/invalid', 'userinfo must be a file path', { path: ['userinfo'] }));
  const rawResults = t.results ?? [];
  const results: TestResultRow[] = [];
  if (!Array.isArray(rawResults))
    issues.push(ioDiagnostic('test/invalid', 'results must be a list', { path: ['results'] }));
  else
    rawResults.forEach((raw, i) => {
      const row = decodeRow(raw, i, issues);
      if (row !== undefined) results.push(row);
    });
  if (issues.some((d) => d.severity === 'error')) return { issues };
  const test: Record<string, unknown> = { ...t, policies, resources, results };
  for (const k of ['targetResources', 'exceptions', 'clusterResources']) {
    const l = stringList(t, k, [], issues);
    if (l !== undefined) test[k] = l;
  }
  return { test: test as unknown as TestSpec, issues };
}

/** Reads and decodes one kyverno-test.yaml (first document is the test). */
export function loadTestFile(path: string): LoadedTest {
  const dir = dirname(path);
  const read = readText(path);
  if (!read.ok) return { path, dir, issues: [read.issue] };
  const loaded = loadDocuments(read.text, path);
  if (loaded.issues.length > 0) return { path, dir, issues: loaded.issues };
  const doc = loaded.documents[0];
  if (doc === undefined)
    return { path, dir, issues: [ioDiagnostic('test/invalid', 'test file is empty', { file: path })] };
  const decoded = decodeTest(doc.value);
  const issues = decoded.issues.map((d) => ({ ...d, source: locate(doc, d.path) }));
  return decoded.test !== undefined ? { path, dir, test: decoded.test, issues } : { path, dir, issues };
}

/** Resolves a path named inside a test file. */
export function testPath(test: LoadedTest, p: string): string {
  return isAbsolute(p) ? p : join(test.dir, p);
}
