/**
 * @module The flags of `palisade serve`'s cluster duties (leader election, webhook configurations,
 * certificates, policy status), parsed into one value. Kept apart from serve-args.ts, which only
 * spreads these options in and calls the parser.
 */
import type { ElectionTiming } from '../engine/index.js';
import { str } from '../io/flags/args.js';
import { ELECTION_TIMING_OPTIONS, parseElectionTiming } from '../io/flags/election-flags.js';
import { EVENT_HELP, EVENT_OPTIONS, type EventFlags, parseEventFlags } from '../io/flags/event-flags.js';
import { parseLimitValue } from '../io/flags/limits-flags.js';

export interface ClusterDutiesConfig {
  /** Palisade's own namespace: its Lease and Secrets, excluded from its webhooks. */
  readonly namespace: string;
  /** How the API server reaches the webhook: the Service, or a URL when serve runs outside. */
  readonly service: { readonly name: string; readonly port: number };
  readonly webhookUrl?: string;
  readonly leaderElection: boolean;
  readonly lease: { readonly name: string; readonly namespace: string; readonly timing: ElectionTiming };
  /** PEM file of the CA that signed `--tls-cert` (the caBundle); default: the certificate file itself. */
  readonly tlsCa?: string;
  /** How often the leader rewrites configurations and statuses even when nothing changed. */
  readonly resyncMs: number;
  /** Background scans and policy reports (docs/decisions/0016). */
  readonly reports: {
    readonly enabled: boolean;
    readonly scanIntervalMs: number;
    readonly openreports: boolean;
  };
  /** Run the cleanup and TTL controllers in this process (false: `palisade controller cleanup` runs them). */
  readonly cleanupController: boolean;
  /**
   * Run the reports (scans, merging admission results) and background (generate, mutate-existing)
   * controllers in this process; false: `palisade controller reports|background` runs them, and
   * this process only records admission's share for it (docs/decisions/0021).
   */
  readonly reportsController: boolean;
  readonly backgroundController: boolean;
  /** How often the TTL controller lists labelled objects (Kyverno's --ttlReconciliationInterval). */
  readonly ttlIntervalMs: number;
  /** `/verifyttl` on an unreadable TTL label: warn (Kyverno) or deny. */
  readonly invalidTtl: 'warn' | 'deny';
  /** Kubernetes events of admission and of the controllers run here (docs/decisions/0022). */
  readonly events: EventFlags;
}

export const CLUSTER_OPTIONS = {
  namespace: { type: 'string' },
  'service-name': { type: 'string' },
  'service-port': { type: 'string' },
  'webhook-url': { type: 'string' },
  'leader-election': { type: 'string' },
  'lease-name': { type: 'string' },
  'lease-namespace': { type: 'string' },
  ...ELECTION_TIMING_OPTIONS,
  'tls-ca': { type: 'string' },
  'resync-period': { type: 'string' },
  'background-scan': { type: 'string' },
  'background-scan-interval': { type: 'string' },
  'openreports-enabled': { type: 'boolean' },
  'cleanup-controller': { type: 'string' },
  'reports-controller': { type: 'string' },
  'background-controller': { type: 'string' },
  'ttl-reconciliation-interval': { type: 'string' },
  'invalid-ttl': { type: 'string' },
  ...EVENT_OPTIONS,
} as const;

export const CLUSTER_HELP = `
Cluster duties (with --cluster/--kubeconfig; the elected leader writes, every replica serves):
      --namespace NS             Palisade's namespace: Lease, Secrets; excluded from its webhooks
                                 (default: $POD_NAMESPACE, else palisade)
      --service-name NAME        Service the API server calls the webhooks through (default palisade-svc)
      --service-port N           its port (default 443)
      --webhook-url URL          call https://host:port instead of the Service (serve outside the cluster)
      --leader-election BOOL     elect one leader through a Lease (default true; false: this replica leads)
      --lease-name NAME          the Lease (default palisade)
      --lease-namespace NS       its namespace (default: --namespace)
      --lease-duration duration  how long a Lease lasts unrenewed (default 12s)
      --renew-deadline duration  a leader that cannot renew for this long steps down (default 10s)
      --retry-period duration    time between election attempts (default 2s)
      --tls-ca FILE              CA of --tls-cert for the webhooks' caBundle (default: --tls-cert itself)
      --resync-period duration   the leader rewrites webhooks and policy status this often (default 1m)
      --background-scan BOOL     the leader scans existing resources and writes a policy report per
                                 resource (default true)
      --background-scan-interval duration
                                 every resource is scanned again this often (default 1h); changed
                                 resources and policies are scanned within min(resync-period, 10s)
      --openreports-enabled      write openreports.io Reports instead of wgpolicyk8s.io PolicyReports
      --cleanup-controller BOOL  the leader runs cleanup policies and the TTL label (default true; false
                                 when 'palisade controller cleanup' runs them in its own Deployment)
      --reports-controller BOOL  the leader scans and writes the reports (default true; false when
                                 'palisade controller reports' does: admission results are still
                                 recorded for it, unless --background-scan=false)
      --background-controller BOOL
                                 the leader runs generate and mutate-existing (default true; false
                                 when 'palisade controller background' does: admission still records
                                 their requests for it)
      --ttl-reconciliation-interval duration
                                 how often labelled objects are listed for their TTL (default 1m)
      --invalid-ttl warn|deny    an unreadable cleanup.kyverno.io/ttl label at admission: allowed with
                                 a warning, as Kyverno does (default), or denied
${EVENT_HELP}`;

export class ClusterUsageError extends Error {}

function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = parseLimitValue('duration', text);
  if (v === undefined) throw new ClusterUsageError(`--${flag} expects a duration such as 2s, got "${text}"`);
  return v;
}

function bool(flag: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (/^(true|on|yes|1)$/i.test(text)) return true;
  if (/^(false|off|no|0)$/i.test(text)) return false;
  throw new ClusterUsageError(`--${flag} expects true or false, got "${text}"`);
}

/** The cluster-duty flags; throws ClusterUsageError with the message to show. */
export function parseClusterFlags(
  values: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): ClusterDutiesConfig {
  const namespace = str(values.namespace) ?? env.POD_NAMESPACE ?? 'palisade';
  const election = parseElectionTiming(values);
  if (!election.ok) throw new ClusterUsageError(election.error);
  const timing = election.timing;
  const portText = str(values['service-port']);
  const port = portText === undefined ? 443 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ClusterUsageError(`--service-port expects a port number, got "${portText}"`);
  const webhookUrl = str(values['webhook-url']);
  if (webhookUrl !== undefined && !/^https:\/\/[^/]+\/?$/.test(webhookUrl))
    throw new ClusterUsageError(`--webhook-url expects https://host:port, got "${webhookUrl}"`);
  const tlsCa = str(values['tls-ca']);
  const invalidTtl = str(values['invalid-ttl']) ?? 'warn';
  if (invalidTtl !== 'warn' && invalidTtl !== 'deny')
    throw new ClusterUsageError(`--invalid-ttl expects warn or deny, got "${invalidTtl}"`);
  return {
    namespace,
    service: { name: str(values['service-name']) ?? 'palisade-svc', port },
    ...(webhookUrl !== undefined ? { webhookUrl } : {}),
    leaderElection: bool('leader-election', str(values['leader-election']), true),
    lease: {
      name: str(values['lease-name']) ?? 'palisade',
      namespace: str(values['lease-namespace']) ?? namespace,
      timing,
    },
    ...(tlsCa !== undefined ? { tlsCa } : {}),
    resyncMs: duration('resync-period', str(values['resync-period']), 60_000),
    reports: {
      enabled: bool('background-scan', str(values['background-scan']), true),
      scanIntervalMs: duration(
        'background-scan-interval',
        str(values['background-scan-interval']),
        3_600_000,
      ),
      openreports: values['openreports-enabled'] === true,
    },
    cleanupController: bool('cleanup-controller', str(values['cleanup-controller']), true),
    reportsController: bool('reports-controller', str(values['reports-controller']), true),
    backgroundController: bool('background-controller', str(values['background-controller']), true),
    ttlIntervalMs: duration(
      'ttl-reconciliation-interval',
      str(values['ttl-reconciliation-interval']),
      60_000,
    ),
    invalidTtl,
    events: events(values),
  };
}

function events(values: Record<string, unknown>): EventFlags {
  try {
    return parseEventFlags(values);
  } catch (err) {
    throw new ClusterUsageError(err instanceof Error ? err.message : String(err));
  }
}
