// Test support for the webhook: policies, AdmissionReviews and an app over a compiled set.
import {
  compilePolicySet,
  DEFAULT_EXCLUDE_GROUPS,
  DEFAULT_RESOURCE_FILTERS,
  type KubeObject,
  type Operation,
  type PolicyDocument,
  parseResourceFilters,
  userExclusions,
} from '../../engine/index.js';
import { type AppConfig, createAdmissionApp } from '../app.js';
import type { HttpReply } from '../http.js';
import { createLogger } from '../log.js';
import { createMetrics } from '../middleware/metrics.js';
import { PolicyStore } from '../policy-store.js';

export type Doc = PolicyDocument<string>['document'] & { readonly spec?: unknown };

export const clusterPolicy = (name: string, spec: Record<string, unknown>): Doc =>
  ({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name }, spec }) as Doc;

export const validatingPolicy = (name: string, spec: Record<string, unknown>): Doc =>
  ({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name }, spec }) as Doc;

export const podRule = (operations = ['CREATE', 'UPDATE']) => ({
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations, resources: ['pods'] }],
});

export const pod = (name: string, namespace = 'default', labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, ...(labels !== undefined ? { labels } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

export const requireTeam = (name: string, action: 'Enforce' | 'Audit', extra: Record<string, unknown> = {}) =>
  clusterPolicy(name, {
    validationFailureAction: action,
    background: false,
    ...extra,
    rules: [
      {
        name: 'team',
        match: { any: [{ resources: { kinds: ['Pod'], operations: ['CREATE', 'UPDATE', 'DELETE'] } }] },
        validate: { message: 'label team is required', pattern: { metadata: { labels: { team: '?*' } } } },
      },
    ],
  });

export interface ReviewOptions {
  readonly operation?: Operation;
  readonly uid?: string;
  readonly dryRun?: boolean;
  readonly oldObject?: KubeObject;
  readonly username?: string;
  readonly groups?: string[];
  readonly apiVersion?: string;
}

/** An AdmissionReview for `object` as the API server sends it (DELETE: `object` is the old one). */
export function review(object: KubeObject, o: ReviewOptions = {}): Record<string, unknown> {
  const operation = o.operation ?? 'CREATE';
  const meta = (object.metadata ?? {}) as { name?: string; namespace?: string };
  const [group, version] = (object.apiVersion ?? 'v1').includes('/')
    ? (object.apiVersion as string).split('/')
    : ['', object.apiVersion ?? 'v1'];
  const kind = String(object.kind ?? '');
  return {
    apiVersion: o.apiVersion ?? 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: o.uid ?? 'b7d7c7e4-0000-4000-8000-000000000001',
      kind: { group, version, kind },
      resource: { group, version, resource: `${kind.toLowerCase()}s` },
      requestKind: { group, version, kind },
      name: meta.name ?? '',
      namespace: meta.namespace ?? '',
      operation,
      userInfo: { username: o.username ?? 'alice', groups: o.groups ?? ['system:authenticated'] },
      object: operation === 'DELETE' ? null : object,
      oldObject: operation === 'DELETE' ? object : (o.oldObject ?? null),
      dryRun: o.dryRun ?? false,
      options: null,
    },
  };
}

/** A store holding the compiled documents (fails the test on a diagnostic). */
export function storeOf(...documents: Doc[]): PolicyStore {
  const compiled = compilePolicySet(
    documents.map((document) => ({ document, source: document.metadata.name })),
  );
  const problems = compiled.diagnostics.map((d) => d.diagnostic.message);
  if (problems.length > 0) throw new Error(`test policies do not compile: ${problems.join('; ')}`);
  const store = new PolicyStore();
  store.swap(compiled.set, compiled.set.policies.length);
  return store;
}

export interface TestApp {
  readonly call: (path: string, body: unknown, method?: string) => Promise<HttpReply>;
  readonly logs: Record<string, unknown>[];
  readonly metrics: ReturnType<typeof createMetrics>;
}

/** The full admission handler with Kyverno's default filters, logs collected, metrics on. */
export function appOf(store: PolicyStore, config: Partial<AppConfig> = {}): TestApp {
  const logs: Record<string, unknown>[] = [];
  const metrics = createMetrics({ processMetrics: false });
  const app = createAdmissionApp(store, {
    maxBodyBytes: 3 * 1024 * 1024,
    maxDepth: 1000,
    deadlineMs: 8000,
    filters: parseResourceFilters(DEFAULT_RESOURCE_FILTERS),
    exclusions: userExclusions({ excludeGroups: DEFAULT_EXCLUDE_GROUPS }),
    logger: createLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    metrics,
    ...config,
  });
  return {
    call: (path, body, method = 'POST') =>
      app({
        method,
        path,
        body:
          body instanceof Uint8Array
            ? body
            : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      }),
    logs,
    metrics,
  };
}

/** The `response` of a 200 review reply, its patch decoded. */
export function responseOf(reply: HttpReply): {
  uid: string;
  allowed: boolean;
  status?: { status: string; message: string };
  warnings?: string[];
  patch?: unknown;
  patchType?: string;
  apiVersion: string;
} {
  const parsed = JSON.parse(reply.body) as { apiVersion: string; response: Record<string, unknown> };
  const r = parsed.response;
  return {
    ...(r as { uid: string; allowed: boolean }),
    ...(typeof r.patch === 'string'
      ? { patch: JSON.parse(Buffer.from(r.patch, 'base64').toString('utf8')) }
      : {}),
    apiVersion: parsed.apiVersion,
  };
}
