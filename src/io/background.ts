/**
 * @module The contract between `palisade serve`'s webhook face and its background controllers
 * (docs/decisions/0015): the composition root starts the controllers and hands them to the webhook
 * as this interface, so neither face imports the other. The webhook feeds them what admission
 * generated and tells them when this replica leads; they write to the cluster only while it does.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import type {
  AdmissionRequest,
  AsyncPorts,
  CompiledSetPolicy,
  GeneratedObject,
  PolicyResult,
  PolicySet,
  ResourceFilter,
} from '../engine/index.js';
import type { KubeRest } from './cluster/kube-rest.js';
import type { EventSink } from './events/event-info.js';
import type { ReportApi } from './report/resource-report.js';

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
  /** The cleanup and TTL controllers (docs/decisions/0017); absent or disabled: not run here. */
  readonly cleanup?: {
    readonly enabled: boolean;
    readonly ttlIntervalMs: number;
    /** The resource filters admission uses; cleanup never deletes what they name. */
    readonly filters?: readonly ResourceFilter[];
  };
  /**
   * The ports the controllers' evaluations call out through: serve's, with its `--http-blocklist` /
   * `--http-allowlist` and its GlobalContextEntries. Absent: live ports with Kyverno's default HTTP
   * blocklist and no GlobalContextEntries.
   */
  readonly ports?: AsyncPorts;
  /** Where the controllers' Kubernetes events go (io/events); absent: none is emitted. */
  readonly events?: EventSink;
  /** Where the controllers register their metrics (serve's `/metrics`); absent: not exposed. */
  readonly metricsRegistry?: Registry;
  /** Background scans and policy reports (docs/decisions/0016); absent: no reports controller. */
  readonly reports?: BackgroundReportsConfig;
  /**
   * Which controllers `lead` runs here (default: all). A false one runs in its own process
   * (`palisade controller reports|background`, docs/decisions/0021): this process still records
   * what admission leaves for it, in the cluster objects that process reads.
   */
  readonly leads?: { readonly reports: boolean; readonly background: boolean };
}

export interface BackgroundReportsConfig {
  /** `--background-scan-interval`: every object is scanned again this often. */
  readonly scanIntervalMs: number;
  /** `--openreports-enabled`: openreports.io Reports instead of wgpolicyk8s.io PolicyReports. */
  readonly api: ReportApi;
  /** The resource filters admission uses; scans honour them too. */
  readonly filters: readonly ResourceFilter[];
}

export interface BackgroundControllers {
  /** Admission (any replica, never a dry run) produced these objects for `request`. */
  onGenerated(objects: readonly GeneratedObject[], request: AdmissionRequest): void;
  /**
   * Admission (any replica, never a dry run) answered `request` at an endpoint of `role` that
   * evaluates the `policies` of `set` that `select` accepts: the reports record its results, the
   * mutate-existing controller the allowed ones.
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
  /** The policies' responses (the Audit and Enforce results the reports keep). */
  readonly responses: readonly PolicyResult[];
  /** Whether it was allowed, answered within the deadline. */
  readonly allowed: boolean;
}

export type StartBackground = (context: BackgroundContext) => BackgroundControllers;
