/** @module What a policy source of `palisade serve` is to the server, and how its diagnostics are logged. */

import type {
  AdmissionRequest,
  AsyncPorts,
  ExceptionAdmissionGate,
  OfflineRequestContext,
} from '../engine/index.js';
import type { EgressPolicy } from '../io/cluster/egress-policy.js';
import type { IoDiagnostic } from '../io/codes.js';

export interface PolicySource {
  /** For the start-up log line. */
  readonly description: Record<string, unknown>;
  /** Namespace object and roles of a request (cluster source only). */
  readonly requestContext?: (request: AdmissionRequest) => OfflineRequestContext;
  /** What policies may read during evaluation (the live cluster; a folder has none). */
  readonly ports?: AsyncPorts;
  /** Starts loading; a folder resolves after its first load, the cluster at once (readiness tells). */
  start(): Promise<void>;
  close(): void;
}

export interface SourceOptions {
  readonly debounceMs: number;
  readonly allowEmpty: boolean;
  /** Which PolicyExceptions the compiled sets bind. */
  readonly exceptionGate: ExceptionAdmissionGate;
  /** GlobalContextEntries run at most by the cluster source (0: no bound). */
  readonly maxGlobalContextEntries?: number;
  /** Where CEL `http` calls may connect. */
  readonly httpEgress?: EgressPolicy;
  /** The process environment, for $KUBECONFIG and the in-cluster variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function diagnosticFields(d: IoDiagnostic): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.source !== undefined ? { file: d.source.file, line: d.source.line, column: d.source.column } : {}),
  };
}
