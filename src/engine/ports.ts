/**
 * @module Ports: the only way the engine reaches the outside world. Adapters in `io/` implement
 * them (the CLI answers from values files, `apiCallResponses` and given resources).
 */
import type { KubeObject } from './policy/types.js';

export interface ApiCallRequest {
  /** Kubernetes API path (`/api/v1/namespaces/x/pods`) for `urlPath` calls. */
  readonly urlPath?: string;
  /** Absolute URL for `service` calls. */
  readonly url?: string;
  readonly method: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
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
}

export interface Clock {
  now(): Date;
}

/** Everything the engine may ask of the outside; any port may be absent (offline CLI). */
export interface Ports {
  readonly clock?: Clock;
  readonly cluster?: ClusterReader;
  readonly apiCaller?: ApiCaller;
  readonly globalContext?: GlobalContextReader;
  readonly imageData?: ImageDataReader;
}
