/**
 * @module The contract between `palisade serve`'s webhook face and its background controllers
 * (docs/decisions/0015): the composition root starts the controllers and hands them to the webhook
 * as this interface, so neither face imports the other. The webhook feeds them what admission
 * generated and tells them when this replica leads; they write to the cluster only while it does.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { AdmissionRequest, CompiledSetPolicy, GeneratedObject, PolicySet } from '../engine/index.js';
import type { KubeRest } from './cluster/kube-rest.js';

export type BackgroundLogFields = Readonly<Record<string, unknown>>;

export interface BackgroundLogger {
  info(msg: string, fields?: BackgroundLogFields): void;
  warn(msg: string, fields?: BackgroundLogFields): void;
  error(msg: string, fields?: BackgroundLogFields): void;
}

export interface BackgroundContext {
  readonly kubeConfig: KubeConfig;
  readonly rest: KubeRest;
  /** Palisade's namespace (where generate requests are recorded). */
  readonly namespace: string;
  readonly logger: BackgroundLogger;
  /** The policy set admission answers with; undefined until the first one is loaded. */
  readonly policies: () => PolicySet | undefined;
  /** How often the leader re-reads triggers and downstream objects (synchronize, generateExisting). */
  readonly resyncMs: number;
}

export interface BackgroundControllers {
  /** Admission (any replica, never a dry run) produced these objects for `request`. */
  onGenerated(objects: readonly GeneratedObject[], request: AdmissionRequest): void;
  /**
   * Admission (any replica, never a dry run) allowed `request` at an endpoint of `role` that
   * evaluates the `policies` of `set` that `select` accepts (mutate-existing work is recorded here).
   */
  onAdmitted?(admitted: AdmittedRequest): void;
  /** This replica leads until `signal` aborts: the controllers act meanwhile. */
  lead(signal: AbortSignal): Promise<void>;
  /** Stops whatever is in flight (admission records being written finish first). */
  stop(): Promise<void>;
}

/** A request admission allowed, and which policies its endpoint evaluates. */
export interface AdmittedRequest {
  readonly request: AdmissionRequest;
  readonly set: PolicySet;
  readonly select: (policy: CompiledSetPolicy) => boolean;
  readonly role: 'validate' | 'mutate' | 'generate';
}

export type StartBackground = (context: BackgroundContext) => BackgroundControllers;
