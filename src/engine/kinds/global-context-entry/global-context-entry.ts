/**
 * @module kyverno.io GlobalContextEntry (reference §1; `api/kyverno/v2beta1/global_context_entry_types.go`):
 * a cluster-scoped cache that policies read through `context[].globalReference` and CEL
 * `globalContext.Get`. Exactly one source, `kubernetesResource` (a watched collection) or `apiCall`
 * (polled every `refreshInterval`), plus named JMESPath `projections`. This module loads and checks
 * the document with Kyverno's own validation rules; io keeps the data.
 */
import { type Diagnostic, diagnostic, type Result } from '../../diagnostics/diagnostic.js';
import { parseDuration } from '../../primitives/go-duration.js';
import { apiCallFields, namedObjectMeta } from '../../schema/common-schema.js';
import {
  any,
  array,
  enumOf,
  isPlainObject,
  number,
  object,
  req,
  type SchemaNode,
  string,
} from '../../schema/schema-dsl.js';
import { loadCelDocument } from '../cel-shared/cel-document-load.js';
import { checkJmespathField } from '../cluster-policy/variable-check.js';

export const GLOBAL_CONTEXT_ENTRY_VERSIONS = [
  'kyverno.io/v2alpha1',
  'kyverno.io/v2beta1',
  'kyverno.io/v2',
] as const;

/** Kyverno's defaults (`+kubebuilder:default`): refresh every 10 minutes, 3 attempts per refresh. */
export const DEFAULT_REFRESH_INTERVAL_MS = 10 * 60_000;
export const DEFAULT_RETRY_LIMIT = 3;

export interface GlobalContextEntry {
  readonly apiVersion: string;
  readonly kind: 'GlobalContextEntry';
  readonly metadata: { readonly name: string; readonly uid?: string; readonly [key: string]: unknown };
  readonly spec: {
    readonly kubernetesResource?: {
      readonly group?: string;
      readonly version: string;
      readonly resource: string;
      readonly namespace?: string;
    };
    readonly apiCall?: {
      readonly urlPath?: string;
      readonly method?: 'GET' | 'POST';
      readonly data?: readonly { readonly key: string; readonly value: unknown }[];
      readonly service?: {
        readonly url: string;
        readonly caBundle?: string;
        readonly headers?: readonly { readonly key: string; readonly value: string }[];
      };
      readonly refreshInterval?: string;
      readonly retryLimit?: number;
    };
    readonly projections?: readonly { readonly name: string; readonly jmesPath: string }[];
  };
  readonly status?: unknown;
}

const jmesPath = string();

const specSchema: SchemaNode = object({
  kubernetesResource: object({
    group: string(),
    version: string(),
    resource: string(),
    namespace: string(),
  }),
  apiCall: object({
    ...apiCallFields,
    refreshInterval: string(),
    retryLimit: number({ integer: true, min: 1 }),
    jmesPath,
    default: any(),
  }),
  projections: array(object({ name: string(), jmesPath: string() })),
});

export const globalContextEntrySchema: SchemaNode = object({
  apiVersion: req(string()),
  kind: req(enumOf(['GlobalContextEntry'])),
  metadata: req(namedObjectMeta),
  spec: req(specSchema),
  status: any(),
});

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Kyverno's `GlobalContextEntrySpec.Validate`, on a spec that passed the schema. */
function specChecks(doc: Record<string, unknown>): Diagnostic[] {
  const spec = doc.spec;
  if (!isPlainObject(spec)) return [];
  const out: Diagnostic[] = [];
  const resource = spec.kubernetesResource;
  const call = spec.apiCall;
  if (isPlainObject(resource) === isPlainObject(call))
    out.push(
      diagnostic(
        'policy/invalid-value',
        'a global context entry should either have kubernetesResource or apiCall',
        ['spec', 'kubernetesResource'],
      ),
    );
  if (isPlainObject(resource)) {
    const at = ['spec', 'kubernetesResource'];
    if (text(resource.group) === '' && text(resource.version) !== 'v1')
      out.push(diagnostic('policy/missing-field', 'a resource entry requires a group', [...at, 'group']));
    if (text(resource.version) === '')
      out.push(diagnostic('policy/missing-field', 'a resource entry requires a version', [...at, 'version']));
    if (text(resource.resource) === '')
      out.push(
        diagnostic('policy/missing-field', 'a resource entry requires a resource', [...at, 'resource']),
      );
  }
  if (isPlainObject(call)) {
    const at = ['spec', 'apiCall'];
    if (call.refreshInterval !== undefined) {
      const ns = parseDuration(text(call.refreshInterval));
      if (ns === undefined || ns <= 0)
        out.push(
          diagnostic(
            'policy/invalid-value',
            `refreshInterval "${text(call.refreshInterval)}" must be a duration greater than 0 seconds (e.g. 10m)`,
            [...at, 'refreshInterval'],
          ),
        );
    }
    if ((text(call.urlPath) === '') === !isPlainObject(call.service))
      out.push(
        diagnostic('policy/invalid-value', 'an external API call should either have service or urlPath', [
          ...at,
          'service',
        ]),
      );
    if (call.data !== undefined && call.method !== 'POST')
      out.push(
        diagnostic('policy/invalid-value', 'an external API call with data should have method POST', [
          ...at,
          'method',
        ]),
      );
  }
  const name = isPlainObject(doc.metadata) ? text(doc.metadata.name) : '';
  if (Array.isArray(spec.projections))
    spec.projections.forEach((p, i) => {
      if (!isPlainObject(p)) return;
      const at = ['spec', 'projections', i];
      if (text(p.name) === '')
        out.push(diagnostic('policy/missing-field', 'a projection entry requires a name', [...at, 'name']));
      else if (text(p.name) === name)
        out.push(
          diagnostic(
            'policy/invalid-value',
            'a projection entry requires a name different from the global context entry name',
            [...at, 'name'],
          ),
        );
      if (text(p.jmesPath) === '')
        out.push(
          diagnostic('policy/missing-field', 'a projection entry requires a JMESPath', [...at, 'jmesPath']),
        );
      else out.push(...checkJmespathField(text(p.jmesPath), [...at, 'jmesPath']));
    });
  return out;
}

function clusterScoped(doc: Record<string, unknown>): Diagnostic[] {
  const meta = doc.metadata;
  return isPlainObject(meta) && text(meta.namespace) !== ''
    ? [
        diagnostic(
          'policy/invalid-value',
          'a GlobalContextEntry is cluster-scoped and must not set metadata.namespace',
          ['metadata', 'namespace'],
        ),
      ]
    : [];
}

/** Loads a GlobalContextEntry document; its problems are diagnostics naming the field. */
export function loadGlobalContextEntry(doc: unknown): Result<GlobalContextEntry> {
  return loadCelDocument<GlobalContextEntry>(doc, {
    kinds: ['GlobalContextEntry'],
    versions: GLOBAL_CONTEXT_ENTRY_VERSIONS,
    schema: () => globalContextEntrySchema,
    checks: (d) => [...clusterScoped(d), ...specChecks(d)],
  });
}

/** The entry's refresh period in milliseconds (Kyverno's default when unset). */
export function refreshIntervalMs(entry: GlobalContextEntry): number {
  const raw = entry.spec.apiCall?.refreshInterval;
  const ns = raw === undefined ? undefined : parseDuration(raw);
  return ns === undefined || ns <= 0 ? DEFAULT_REFRESH_INTERVAL_MS : Math.max(1, Math.round(ns / 1e6));
}

/** Splits a reference `entry` or `entry.projection` as Kyverno does (the first dot separates). */
export function splitGlobalReference(reference: string): { entry: string; projection: string } {
  const dot = reference.indexOf('.');
  return dot < 0
    ? { entry: reference, projection: '' }
    : { entry: reference.slice(0, dot), projection: reference.slice(dot + 1).split('.')[0] ?? '' };
}
