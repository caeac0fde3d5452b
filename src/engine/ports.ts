/**
 * @module Ports: the only way the engine reaches the outside world. Adapters in `io/` implement
 * them (the CLI answers from values files, `apiCallResponses` and given resources).
 */
import type { ImageVerificationAnswer } from './image-verify/types.js';
import type { KubeObject } from './model/kube-object.js';

export interface ApiCallRequest {
  /** Kubernetes API path (`/api/v1/namespaces/x/pods`) for `urlPath` calls. */
  readonly urlPath?: string;
  /** Absolute URL for `service` calls. */
  readonly url?: string;
  readonly method: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** PEM CA bundle a `service` call (or CEL `http.Client(caBundle)`) trusts instead of the system's. */
  readonly caBundle?: string;
  /** Made by the CEL `http` library (where Kyverno's HTTP blocklist and allowlist apply). */
  readonly library?: 'http';
}

export type ApiCallResponse =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly error: string };

/** Answers `context.apiCall` and `urlPath` lookups. */
export interface ApiCaller {
  call(request: ApiCallRequest): ApiCallResponse | undefined;
}

/** Reads objects of the (possibly fake) cluster. */
export interface ClusterReader {
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): readonly KubeObject[];
  /**
   * The kind a plural resource of `apiVersion` is served as, when the cluster knows it (its CRDs);
   * callers fall back to the built-in table and a singular guess.
   */
  kindOf?(apiVersion: string, resource: string): string | undefined;
}

/** Answers `context.globalReference` from GlobalContextEntry data. */
export interface GlobalContextReader {
  get(
    name: string,
  ): { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly error: string };
}

/** Answers `image.GetMetadata(ref)` (registry metadata of an image reference). */
export interface ImageDataReader {
  get(
    reference: string,
  ): { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly error: string };
  /** Digest, cosign signatures and attestations of an image (ImageValidatingPolicy verification). */
  verification?(reference: string): ImageVerificationAnswer;
}

export interface Clock {
  now(): Date;
  /**
   * `now()` in milliseconds without building a Date: the limits read the clock at every step of an
   * evaluation. Absent: `now().getTime()`.
   */
  nowMs?(): number;
}

/** A clock's reading in milliseconds, as cheaply as the clock allows. */
export function clockMillis(clock: Clock): () => number {
  const nowMs = clock.nowMs;
  return nowMs !== undefined ? nowMs.bind(clock) : () => clock.now().getTime();
}

/** What an authorization check asks (Kubernetes authorizer.Attributes, as the CEL `authorizer` builds them). */
export interface AuthorizationAttributes {
  readonly user: string;
  readonly groups?: readonly string[];
  readonly verb: string;
  /** false for `authorizer.path(p)` checks. */
  readonly resourceRequest: boolean;
  readonly path?: string;
  readonly apiGroup?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
}

export interface AuthorizationDecision {
  readonly decision: 'allow' | 'deny' | 'noOpinion';
  readonly reason: string;
  /** Set when the authorizer failed (CEL `errored()` / `error()`). */
  readonly error?: string;
}

/** Answers the CEL `authorizer` library's checks. */
export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): AuthorizationDecision;
}

/** The objects ValidatingAdmissionPolicy / MutatingAdmissionPolicy params are read from. */
export interface AdmissionParamsReader {
  list(): readonly KubeObject[];
}

/** Everything the engine may ask of the outside; any port may be absent (offline CLI). */
export interface Ports {
  readonly clock?: Clock;
  readonly cluster?: ClusterReader;
  readonly apiCaller?: ApiCaller;
  readonly globalContext?: GlobalContextReader;
  readonly imageData?: ImageDataReader;
  readonly authorizer?: Authorizer;
  /**
   * `context.configMap` entries are skipped even though `cluster` is given: Kyverno's `apply` reads
   * its fake cluster for targets and `apiCall` entries but has no ConfigMap resolver.
   */
  readonly skipConfigMapEntries?: boolean;
  /** `--parameter-resource` / test `paramResources` objects. */
  readonly admissionParams?: AdmissionParamsReader;
}
