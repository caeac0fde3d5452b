/**
 * @module `cli.kyverno.io/v1alpha1` Test files, i.e. kyverno-test.yaml (kyverno-reference §8.4; Kyverno
 * cmd/cli/kubectl-kyverno/apis/v1alpha1/test.go, test_result.go). Strict like Kyverno's loader.
 */

import {
  type Diagnostic,
  diagnostic,
  type FieldPath,
  type ObjectMeta,
  objectMetaSchema as objectMeta,
  type Result,
  schemaDsl,
} from '../../engine/index.js';
import { validateCliFile } from './cli-file.js';
import type { ValuesSpec } from './values-file.js';
import { valuesSpecSchema } from './values-file.js';

const { any, array, bool, enumOf, isPlainObject, number, object, refine, req, string } = schemaDsl;
type ObjectNode = schemaDsl.ObjectNode;

export type TestResultStatus = 'pass' | 'fail' | 'skip' | 'warn' | 'error';
export type TestOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface TestResourceSpec {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  subresource?: string;
  name?: string;
}

export interface TestResult {
  /** Policy name, or `<namespace>/<name>` for a namespaced Policy. */
  policy: string;
  /** Rule name; required for kyverno.io policies, ignored for rule-less CEL/VAP kinds. */
  rule?: string;
  /** Resource names (`name` or `namespace/name`). */
  resources?: string[];
  resourceSpecs?: TestResourceSpec[];
  kind: string;
  result: TestResultStatus;
  /** Deprecated: use `<namespace>/<name>` in policy/resources. */
  namespace?: string;
  operation?: TestOperation;
  /** File holding the expected mutated resource(s). */
  patchedResources?: string;
  generatedResource?: string;
  generatedResources?: string[];
  cloneSourceResource?: string;
  failOnMissingResources?: boolean;
  isValidatingAdmissionPolicy?: boolean;
  isMutatingAdmissionPolicy?: boolean;
  isValidatingPolicy?: boolean;
  isMutatingPolicy?: boolean;
  isGeneratingPolicy?: boolean;
  isDeletingPolicy?: boolean;
  isImageValidatingPolicy?: boolean;
}

export interface ApiCallResponse {
  /** HTTP status to answer with; defaults to 200. */
  statusCode?: number;
  body: Record<string, unknown>;
}

/** An offline mock of an HTTP/API call: exactly one of `url` (absolute http/https) or `urlPath`. */
export interface ApiCallResponseEntry {
  url?: string;
  urlPath?: string;
  method?: 'GET' | 'POST' | '';
  response: ApiCallResponse;
}

export interface GlobalContextProjection {
  name: string;
  /** JMESPath evaluated against the entry's root. */
  path: string;
}

/** Mock data of a GlobalContextEntry: exactly one of `data`, `resources`, `resourceFiles`. */
export interface GlobalContextEntryValue {
  name: string;
  data?: unknown;
  resources?: Record<string, unknown>[];
  resourceFiles?: string[];
  fieldPath?: string;
  projections?: GlobalContextProjection[];
}

export interface TestFile {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  policies?: string[];
  resources?: string[];
  targetResources?: string[];
  paramResources?: string[];
  jsonPayloads?: string[];
  /** Deprecated single form of jsonPayloads. */
  jsonPayload?: string;
  httpPayloads?: string[];
  envoyPayloads?: string[];
  exceptions?: string[];
  /** Path to a Values file; ignored when `values` is given inline. */
  variables?: string;
  values?: ValuesSpec;
  /** Path to a UserInfo file. */
  userinfo?: string;
  /** Path to a Context file (CEL resource/image data). */
  context?: string;
  clusterResources?: string[];
  apiCallResponses?: ApiCallResponseEntry[];
  globalContextEntries?: GlobalContextEntryValue[];
  results?: TestResult[];
}

const CI = { keyCase: 'insensitive' } as const;
const paths = array(string(), { label: 'a list of file paths' });

const resultSchema = object(
  {
    policy: req(string({ nonEmpty: true })),
    rule: string(),
    resources: array(string()),
    resourceSpecs: array(
      object(
        {
          group: string(),
          version: string(),
          kind: string(),
          namespace: string(),
          subresource: string(),
          name: string(),
        },
        CI,
      ),
    ),
    // Present but possibly empty: Kyverno's own JSON-payload suites write `kind: ""`.
    kind: req(string()),
    result: req(enumOf(['pass', 'fail', 'skip', 'warn', 'error'])),
    namespace: string(),
    operation: enumOf(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
    patchedResources: string(),
    generatedResource: string(),
    generatedResources: array(string()),
    cloneSourceResource: string(),
    failOnMissingResources: bool(),
    isValidatingAdmissionPolicy: bool(),
    isMutatingAdmissionPolicy: bool(),
    isValidatingPolicy: bool(),
    isMutatingPolicy: bool(),
    isGeneratingPolicy: bool(),
    isDeletingPolicy: bool(),
    isImageValidatingPolicy: bool(),
  },
  CI,
);

const apiCallResponseSchema = refine(
  object(
    {
      url: string(),
      urlPath: string(),
      method: enumOf(['GET', 'POST', ''], { caseInsensitive: true }),
      response: req(
        object(
          {
            statusCode: number({ integer: true, min: 100, max: 599 }),
            body: req(object({}, { unknown: 'allow', label: 'a JSON object' })),
          },
          CI,
        ),
      ),
    },
    CI,
  ),
  (value, path) => {
    const v = value as Record<string, unknown>;
    const url = typeof v.url === 'string' ? v.url.trim() : '';
    const urlPath = typeof v.urlPath === 'string' ? v.urlPath.trim() : '';
    if (url === '' && urlPath === '') {
      return [diagnostic('policy/missing-field', 'either `url` or `urlPath` is required', [...path, 'url'])];
    }
    if (url !== '' && urlPath !== '') {
      return [
        diagnostic('policy/invalid-value', '`url` and `urlPath` are mutually exclusive', [
          ...path,
          'urlPath',
        ]),
      ];
    }
    if (url !== '' && !/^https?:\/\/[^/?#\s]+/.test(url)) {
      return [
        diagnostic('policy/invalid-value', `url "${url}" must be an absolute http or https URL`, [
          ...path,
          'url',
        ]),
      ];
    }
    if (urlPath !== '' && !urlPath.startsWith('/')) {
      return [
        diagnostic(
          'policy/invalid-value',
          `urlPath "${urlPath}" must be an absolute path starting with '/'`,
          [...path, 'urlPath'],
        ),
      ];
    }
    return [];
  },
);

const GCE_SOURCES = ['data', 'resources', 'resourceFiles'] as const;

const globalContextEntrySchema = refine(
  object(
    {
      name: req(string({ nonEmpty: true })),
      data: any(),
      resources: array(object({}, { unknown: 'allow' })),
      resourceFiles: paths,
      fieldPath: string(),
      projections: array(
        object({ name: req(string({ nonEmpty: true })), path: req(string({ nonEmpty: true })) }, CI),
      ),
    },
    CI,
  ),
  (value, path) => {
    const v = value as Record<string, unknown>;
    const given = GCE_SOURCES.filter((k) => v[k] !== undefined && v[k] !== null);
    return given.length === 1
      ? []
      : [
          diagnostic(
            given.length === 0 ? 'policy/missing-field' : 'policy/invalid-value',
            `exactly one of data, resources, resourceFiles is required (found ${given.length})`,
            given.length === 0 ? [...path, 'data'] : [...path, given[1] as string],
          ),
        ];
  },
);

function uniqueBy(key: (v: Record<string, unknown>) => string | undefined, what: string) {
  return (value: unknown, path: FieldPath): Diagnostic[] => {
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    (value as unknown[]).forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const k = key(item);
      if (k === undefined) return;
      if (seen.has(k)) out.push(diagnostic('policy/invalid-value', `duplicate ${what} "${k}"`, [...path, i]));
      seen.add(k);
    });
    return out;
  };
}

export const testFileSchema: ObjectNode = object(
  {
    apiVersion: string(),
    kind: string(),
    metadata: objectMeta,
    policies: paths,
    resources: paths,
    targetResources: paths,
    paramResources: paths,
    jsonPayloads: paths,
    jsonPayload: string(),
    httpPayloads: paths,
    envoyPayloads: paths,
    exceptions: paths,
    variables: string(),
    values: valuesSpecSchema,
    userinfo: string(),
    context: string(),
    clusterResources: paths,
    apiCallResponses: refine(
      array(apiCallResponseSchema),
      uniqueBy((e) => {
        const target = typeof e.url === 'string' && e.url !== '' ? e.url : e.urlPath;
        return typeof target === 'string'
          ? `${String(e.method ?? '').toUpperCase()} ${target.trim()}`
          : undefined;
      }, 'method and url'),
    ),
    globalContextEntries: refine(
      array(globalContextEntrySchema),
      uniqueBy((e) => (typeof e.name === 'string' ? e.name.trim() : undefined), 'global context entry name'),
    ),
    results: array(resultSchema),
    // Deprecated top-level `name`: reported below with Kyverno's "deprecated schema" failure.
    name: string(),
  },
  CI,
);

/** Validates a Test document (strict: unknown fields are errors). Never throws. */
export function validateTestFile(doc: unknown): Result<TestFile> {
  const result = validateCliFile<TestFile>(doc, 'Test', testFileSchema);
  if (!isPlainObject(doc) || typeof doc.name !== 'string' || doc.name === '') return result;
  const deprecated = diagnostic(
    'test/deprecated-schema',
    'the top-level `name` field is deprecated: the test uses a deprecated schema',
    ['name'],
    { hint: 'move it to `metadata.name`' },
  );
  const issues = result.ok ? result.warnings : result.issues;
  return { ok: false, issues: [...issues, deprecated] };
}
