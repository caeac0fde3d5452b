/**
 * @module Ports for the offline CLI: a fake cluster made of the given resources, `apiCallResponses`
 * mocks, `globalContextEntries` mocks, Context file `images` and the real clock (reference §2.7, §8.4,
 * §8.5).
 */
import type {
  ApiCaller,
  ApiCallRequest,
  ApiCallResponse,
  Authorizer,
  ClusterReader,
  GlobalContextReader,
  ImageDataReader,
  KubeObject,
  Ports,
} from '../engine/index.js';
import { CompileMemo, searchJmespath } from '../engine/index.js';
import { createFakeClusterApiCaller } from './fake-cluster-api.js';
import { imageVerificationDataOf, normalizedReference } from './files/image-verification-data.js';
import type { ApiCallMock, GlobalContextMock } from './files/test-suite.js';

function sameApiVersion(want: string, have: string | undefined): boolean {
  return want === '' || want === '*' || want === have;
}

/**
 * Answers get/list from a fixed set of objects. `resourceKinds` (`group/version|plural` → kind, from
 * the test's CRDs) names the kinds of custom resources.
 */
export function createClusterReader(
  objects: readonly KubeObject[],
  resourceKinds: ReadonlyMap<string, string> = new Map(),
): ClusterReader {
  return {
    kindOf: (apiVersion, resource) => resourceKinds.get(`${apiVersion}|${resource}`),
    get(apiVersion, kind, namespace, name) {
      return objects.find(
        (o) =>
          sameApiVersion(apiVersion, o.apiVersion) &&
          o.kind === kind &&
          o.metadata?.name === name &&
          (namespace === undefined || namespace === '' || o.metadata?.namespace === namespace),
      );
    },
    list(apiVersion, kind, namespace) {
      return objects.filter(
        (o) =>
          sameApiVersion(apiVersion, o.apiVersion) &&
          o.kind === kind &&
          (namespace === undefined || namespace === '' || o.metadata?.namespace === namespace),
      );
    },
  };
}

/** Answers apiCall context entries from `apiCallResponses`: method + url (or urlPath) must match. */
export function createApiCaller(mocks: readonly ApiCallMock[]): ApiCaller {
  return {
    call(request: ApiCallRequest): ApiCallResponse | undefined {
      const method = request.method ?? 'GET';
      const mock = mocks.find((m) => {
        const mMethod = m.method === undefined || m.method === '' ? 'GET' : m.method.toUpperCase();
        if (mMethod !== method) return false;
        if (request.url !== undefined && m.url !== undefined) return m.url === request.url;
        if (request.urlPath !== undefined && m.urlPath !== undefined) return m.urlPath === request.urlPath;
        return false;
      });
      if (mock === undefined) return undefined;
      const status = mock.response?.statusCode ?? 200;
      if (status < 200 || status > 299) {
        return { ok: false, error: `HTTP ${status}: ${JSON.stringify(mock.response?.body ?? null)}` };
      }
      return { ok: true, body: mock.response?.body ?? null };
    },
  };
}

/**
 * Answers CEL `http.Get`/`http.Post` from `apiCallResponses` as Kyverno's CLI does (its HTTP mock
 * index): a mock is keyed by `METHOD:url` (or by url alone when it names no method), `url` falling
 * back to `urlPath`, and answers `{body, statusCode}` (statusCode 200 when unset) whatever the
 * status, where `context.apiCall` entries get the body alone.
 */
export function createCelHttpMockCaller(mocks: readonly ApiCallMock[]): ApiCaller {
  const index = new Map<string, unknown>();
  for (const m of mocks) {
    const url = (m.url ?? '').trim() || (m.urlPath ?? '').trim();
    const method = (m.method ?? '').trim().toUpperCase();
    const statusCode = m.response?.statusCode ?? 0;
    index.set(method === '' ? url : `${method}:${url}`, {
      body: m.response?.body ?? null,
      statusCode: statusCode === 0 ? 200 : statusCode,
    });
  }
  return {
    call(request: ApiCallRequest): ApiCallResponse | undefined {
      const url = request.url ?? request.urlPath ?? '';
      const key = [`${request.method ?? 'GET'}:${url}`, url].find((k) => index.has(k));
      return key === undefined ? undefined : { ok: true, body: index.get(key) };
    },
  };
}

/**
 * The value of one `globalContextEntries` mock as Kyverno's CLI resolves it: `data` (or the
 * listed resources), then `fieldPath`, then, when `projections` are given, an object holding each
 * projection's result under its name.
 */
function mockValue(
  e: GlobalContextMock,
  files: ReadonlyMap<string, readonly unknown[]>,
  memo: CompileMemo,
): { ok: true; data: unknown } | { ok: false; error: string } {
  let root: unknown =
    e.data !== undefined
      ? e.data
      : e.resources !== undefined
        ? e.resources
        : e.resourceFiles !== undefined
          ? e.resourceFiles.flatMap((f) => files.get(f) ?? [])
          : null;
  try {
    if (e.fieldPath !== undefined && e.fieldPath !== '') root = searchJmespath(e.fieldPath, root, { memo });
    if (e.projections === undefined || e.projections.length === 0) return { ok: true, data: root };
    const out: Record<string, unknown> = {};
    for (const p of e.projections) out[p.name] = searchJmespath(p.path, root, { memo });
    return { ok: true, data: out };
  } catch (err) {
    return { ok: false, error: `globalContextEntries "${e.name}": ${errorText(err)}` };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Answers globalReference entries and CEL `globalContext.Get(entry, projection)` from
 * `globalContextEntries`. The port is asked for `entry` or `entry.projection`; a projection reads
 * the key of that name in the entry's value.
 */
export function createGlobalContextReader(
  entries: readonly GlobalContextMock[],
  files: ReadonlyMap<string, readonly unknown[]> = new Map(),
): GlobalContextReader {
  // The mocks' paths, compiled once for the reader's lifetime.
  const memo = new CompileMemo();
  return {
    get(name) {
      const exact = entries.find((x) => x.name === name);
      if (exact !== undefined) return mockValue(exact, files, memo);
      const e = entries.find((x) => name.startsWith(`${x.name}.`));
      if (e === undefined) return { ok: false, error: `global context entry not found: ${name}` };
      const projection = name.slice(e.name.length + 1);
      const value = mockValue(e, files, memo);
      if (!value.ok) return value;
      const data = value.data;
      if (data === null || typeof data !== 'object' || Array.isArray(data))
        return {
          ok: false,
          error: `global context mock: projection "${projection}" requested but value is not an object`,
        };
      if (!Object.hasOwn(data, projection))
        return { ok: false, error: `global context mock: projection "${projection}" not found` };
      return { ok: true, data: (data as Record<string, unknown>)[projection] };
    },
  };
}

/**
 * One Context file image as Kyverno's CLI serialises it for `image.GetMetadata`: the four string
 * fields always, `tag`/`digest` when non-empty, `imageIndex`/`manifest`/`config` when given.
 */
function imageDataOf(entry: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const str = (k: string) => (typeof entry[k] === 'string' ? (entry[k] as string) : '');
  const out: Record<string, unknown> = {
    image: str('image'),
    resolvedImage: str('resolvedImage'),
    registry: str('registry'),
    repository: str('repository'),
  };
  for (const k of ['tag', 'digest']) if (str(k) !== '') out[k] = str(k);
  for (const k of ['imageIndex', 'manifest', 'config']) {
    if (entry[k] !== undefined && entry[k] !== null) out[k] = entry[k];
  }
  return out;
}

/**
 * Answers `image.GetMetadata(ref)` from Context file `images`. Like Kyverno's fake context the
 * reference must equal an entry's `image` exactly (no normalisation); a later entry wins.
 */
export function createImageDataReader(images: readonly Readonly<Record<string, unknown>>[]): ImageDataReader {
  const byImage = new Map<string, Record<string, unknown>>();
  for (const img of images) byImage.set(typeof img.image === 'string' ? img.image : '', imageDataOf(img));
  // Signature material (Palisade's extension): exact reference first, else the normalised one.
  const entryFor = (reference: string) =>
    images.find((i) => i.image === reference) ??
    images.find(
      (i) => typeof i.image === 'string' && normalizedReference(i.image) === normalizedReference(reference),
    );
  return {
    get(reference) {
      const data = byImage.get(reference);
      if (data === undefined)
        return { ok: false, error: `image data for ${reference} not found in the context` };
      return { ok: true, data };
    },
    verification(reference) {
      const entry = entryFor(reference);
      if (entry === undefined)
        return { ok: false, error: `image data for ${reference} not found in the context` };
      const { answer, problems } = imageVerificationDataOf(entry);
      return problems.length > 0
        ? { ok: false, error: `context image ${reference}: ${problems.join('; ')}` }
        : answer;
    },
  };
}

/**
 * The CEL `authorizer` offline. Kyverno's CLI has no cluster: its fake client answers every
 * SubjectAccessReview with an empty status, i.e. not allowed and no reason, so every check is denied.
 */
export function createOfflineAuthorizer(): Authorizer {
  return { authorize: () => ({ decision: 'deny', reason: '' }) };
}

export interface OfflinePortsInput {
  readonly clusterObjects?: readonly KubeObject[];
  /**
   * Kyverno's CLI answers configMap context entries from its fake cluster only when the test gives
   * `clusterResources`; otherwise those entries are skipped and values files supply the data.
   */
  readonly allowClusterReads?: boolean;
  /** `group/version|plural` → kind for the custom resources the cluster serves (the test's CRDs). */
  readonly resourceKinds?: ReadonlyMap<string, string>;
  /**
   * Results' `cloneSourceResource` objects: readable by generate clone rules whatever
   * `allowClusterReads` says, as Kyverno's CLI seeds its generate fake cluster with them.
   */
  readonly cloneSources?: readonly KubeObject[];
  readonly apiCallResponses?: readonly ApiCallMock[];
  /** Answer from `apiCallResponses` as the CEL `http` library's mocks (`{body, statusCode}`), not as apiCall entries. */
  readonly celHttpMocks?: boolean;
  readonly globalContextEntries?: readonly GlobalContextMock[];
  readonly globalContextFiles?: ReadonlyMap<string, readonly unknown[]>;
  /** Context file `images`; when given (even empty) `image.GetMetadata` answers from them only. */
  readonly images?: readonly Readonly<Record<string, unknown>>[];
  /**
   * `apply`'s fake cluster (Kyverno's CLI without `--cluster`): `apiCall` `urlPath` entries read
   * `clusterObjects`, and `configMap` entries are skipped (its `apply` has no ConfigMap resolver).
   */
  readonly applyFakeCluster?: boolean;
  /**
   * `apiCall` `urlPath` entries no `apiCallResponses` mock names read `clusterObjects` (Kyverno's
   * `test` allows API calls to its fake cluster when the test gives `clusterResources`).
   */
  readonly apiCallsFromCluster?: boolean;
  /** ValidatingAdmissionPolicy / MutatingAdmissionPolicy params (`--parameter-resource`, `paramResources`). */
  readonly admissionParams?: readonly KubeObject[];
}

export function createOfflinePorts(input: OfflinePortsInput): Ports {
  const readable = [
    ...(input.allowClusterReads === true ? (input.clusterObjects ?? []) : []),
    ...(input.cloneSources ?? []),
  ];
  const withCluster = input.allowClusterReads === true || (input.cloneSources?.length ?? 0) > 0;
  const fakeApi =
    input.applyFakeCluster === true || input.apiCallsFromCluster === true
      ? createFakeClusterApiCaller(readable)
      : undefined;
  const mocks =
    input.apiCallResponses !== undefined && input.apiCallResponses.length > 0
      ? input.celHttpMocks === true
        ? createCelHttpMockCaller(input.apiCallResponses)
        : createApiCaller(input.apiCallResponses)
      : undefined;
  // A mock answers first; a call no mock names reaches the fake cluster (Kyverno's CLI store wrapper).
  const apiCaller =
    mocks !== undefined && fakeApi !== undefined && input.celHttpMocks !== true
      ? { call: (r: ApiCallRequest) => mocks.call(r) ?? fakeApi.call(r) }
      : (mocks ?? fakeApi);
  return {
    // nowMs: the limits read the clock at every step; Date.now() builds no Date.
    clock: { now: () => new Date(), nowMs: () => Date.now() },
    ...(withCluster ? { cluster: createClusterReader(readable, input.resourceKinds) } : {}),
    ...(apiCaller !== undefined ? { apiCaller } : {}),
    ...(input.applyFakeCluster === true ? { skipConfigMapEntries: true } : {}),
    ...(input.globalContextEntries !== undefined && input.globalContextEntries.length > 0
      ? { globalContext: createGlobalContextReader(input.globalContextEntries, input.globalContextFiles) }
      : {}),
    ...(input.images !== undefined ? { imageData: createImageDataReader(input.images) } : {}),
    authorizer: createOfflineAuthorizer(),
    ...(input.admissionParams !== undefined && input.admissionParams.length > 0
      ? { admissionParams: { list: () => input.admissionParams ?? [] } }
      : {}),
  };
}
