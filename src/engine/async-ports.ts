/**
 * @module Asynchronous ports: what a server or a live CLI implements to reach the cluster, HTTP services,
 * registries and the authorizer. Each call takes the evaluation's AbortSignal and answers a value; a
 * failure is a value too (`ok: false` with a code), never a rejection the engine has to guess about.
 * Evaluation itself stays synchronous: `port-bridge.ts` answers the engine's synchronous `Ports` from
 * what these calls returned.
 */
import type { ImageVerificationAnswer } from './image-verify/types.js';
import type { KubeObject } from './model/kube-object.js';
import type {
  AdmissionParamsReader,
  ApiCallRequest,
  AuthorizationAttributes,
  AuthorizationDecision,
  Clock,
} from './ports.js';

/** Why a port call did not answer. `timeout`/`cancelled` come from the evaluation's signal. */
export type PortErrorCode = 'not-found' | 'forbidden' | 'unavailable' | 'timeout' | 'cancelled' | 'failed';

export type PortResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: PortErrorCode; readonly message: string };

export interface PortCallOptions {
  readonly signal: AbortSignal;
}

export interface AsyncClusterReader {
  /** `value: undefined` when the object does not exist. */
  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    options: PortCallOptions,
  ): Promise<PortResult<KubeObject | undefined>>;
  list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    options: PortCallOptions,
  ): Promise<PortResult<readonly KubeObject[]>>;
  /**
   * An object the reader holds a local copy of (a watched collection), answered without I/O, so the
   * evaluation needs no second round; `undefined`: not held, ask `get`.
   */
  peek?(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
}

export interface AsyncApiCaller {
  /** The response body; `value: undefined` when the caller has no answer for this request at all. */
  call(request: ApiCallRequest, options: PortCallOptions): Promise<PortResult<unknown>>;
}

export interface AsyncGlobalContextReader {
  get(name: string, options: PortCallOptions): Promise<PortResult<unknown>>;
}

export interface AsyncImageDataReader {
  get(reference: string, options: PortCallOptions): Promise<PortResult<unknown>>;
  verification?(reference: string, options: PortCallOptions): Promise<ImageVerificationAnswer>;
}

export interface AsyncAuthorizer {
  authorize(attributes: AuthorizationAttributes, options: PortCallOptions): Promise<AuthorizationDecision>;
}

/**
 * The asynchronous counterpart of `Ports`. The clock and admission params are local, synchronous data
 * (no I/O), so they are shared as they are.
 */
export interface AsyncPorts {
  readonly clock?: Clock;
  readonly admissionParams?: AdmissionParamsReader;
  readonly cluster?: AsyncClusterReader;
  readonly apiCaller?: AsyncApiCaller;
  readonly globalContext?: AsyncGlobalContextReader;
  readonly imageData?: AsyncImageDataReader;
  readonly authorizer?: AsyncAuthorizer;
}
