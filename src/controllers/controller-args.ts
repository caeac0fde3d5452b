/**
 * @module The flags of `palisade controller <name>`: which controllers, the cluster, the Lease, the
 * metrics port. Parsed into one value or a usage error. `cleanup` runs the cleanup and TTL
 * controllers, `reports` the background scans and policy reports, `background` generate and
 * mutate-existing (docs/decisions/0021); the last two read the policies from the cluster as serve does.
 */
import {
  DEFAULT_RESOURCE_FILTERS,
  type ElectionTiming,
  type ExceptionAdmissionGate,
  parseResourceFilters,
  type ResourceFilter,
} from '../engine/index.js';
import { type EgressPolicy, egressPolicyFromFlags } from '../io/cluster/egress-policy.js';
import { parseCommandArgs, str } from '../io/flags/args.js';
import { ELECTION_TIMING_OPTIONS, parseElectionTiming } from '../io/flags/election-flags.js';
import { EVENT_HELP, EVENT_OPTIONS, type EventFlags, parseEventFlags } from '../io/flags/event-flags.js';
import { parseCountValue, parseLimitValue } from '../io/flags/limits-flags.js';

export const CONTROLLER_NAMES = ['cleanup', 'reports', 'background'] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

export interface ControllerConfig {
  readonly name: ControllerName;
  readonly kubeconfig?: string;
  readonly namespace: string;
  readonly leaderElection: boolean;
  readonly lease: { readonly name: string; readonly namespace: string; readonly timing: ElectionTiming };
  readonly metrics?: { readonly address: string; readonly port: number };
  readonly ttlIntervalMs: number;
  /** reports, background: how often changed objects are re-read (serve's min(--resync-period, 10 s)). */
  readonly resyncMs: number;
  /** reports: every object is scanned again this often. */
  readonly scanIntervalMs: number;
  /** reports: openreports.io Reports instead of wgpolicyk8s.io PolicyReports. */
  readonly openreports: boolean;
  /** reports, cleanup: Kyverno's resourceFilters, which scans skip and cleanup never deletes (serve's --resource-filters). */
  readonly filters: readonly ResourceFilter[];
  /** reports, background: which PolicyExceptions are honoured (serve's flags, the same values). */
  readonly exceptionGate: ExceptionAdmissionGate;
  /** reports, background: quiet time after a policy change before the set is compiled again. */
  readonly watchDebounceMs: number;
  /** Where CEL `http` calls may go (serve's --http-blocklist/--http-allowlist). */
  readonly httpEgress: EgressPolicy;
  /** reports, background: how many GlobalContextEntries are run at most (0: no bound). */
  readonly maxGlobalContextEntries: number;
  /** Kubernetes events of the controllers (serve's flags, the same values; docs/decisions/0022). */
  readonly events: EventFlags;
}

export type ControllerArgs =
  | { readonly ok: true; readonly help: true }
  | { readonly ok: true; readonly help?: false; readonly config: ControllerConfig }
  | { readonly ok: false; readonly error: string };

export const CONTROLLER_HELP = `Usage: palisade controller <cleanup|reports|background> [flags]

Runs background controllers on their own, in a Deployment apart from 'palisade serve' (which then
runs with --cleanup-controller=false, --reports-controller=false or --background-controller=false).
One replica leads through its own Lease; the others wait. reports and background read the policies
from the cluster as 'palisade serve --cluster' does, and the admission records serve's replicas
leave in --namespace.
  cleanup      ClusterCleanupPolicy/CleanupPolicy/DeletingPolicy schedules and the cleanup.kyverno.io/ttl label
  reports      background scans and admission results, one PolicyReport per resource
  background   generate (data, clone, synchronize, generateExisting) and mutate-existing

Flags:
      --kubeconfig FILE          cluster to act on (default: $KUBECONFIG, in-cluster, ~/.kube/config)
      --namespace NS             Palisade's namespace, where the Lease lives (default: $POD_NAMESPACE, else palisade)
      --leader-election BOOL     elect one leader through a Lease (default true)
      --lease-name NAME          the Lease (default palisade-<name>-controller)
      --lease-duration duration  (default 12s)   --renew-deadline duration (default 10s)
      --retry-period duration    (default 2s)
      --metrics-port N           /metrics, /health/liveness and /health/readiness (ready once the
                                 policy set is loaded) on this port (default: none)
      --metrics-address ADDR     (default 0.0.0.0)
      --ttl-reconciliation-interval duration
                                 cleanup: how often TTL-labelled objects are listed (default 1m)
      --resync-period duration   reports, background: changed triggers, targets and resources are
                                 re-read every min(this, 10s) (default 1m, as serve)
      --background-scan-interval duration
                                 reports: every resource is scanned again this often (default 1h)
      --openreports-enabled      reports: openreports.io Reports, not wgpolicyk8s.io PolicyReports
      --resource-filters LIST    reports: [kind,namespace,name] entries scans skip (serve's default)
      --enable-policy-exception  reports, background: honour PolicyExceptions, as serve's flags
      --exception-namespace NS   (give both processes the same values)
      --watch-debounce duration  reports, background: quiet time before a changed policy set is
                                 compiled (default 500ms)
      --http-blocklist list      where CEL http.Get/Post may not connect, as serve's (default:
                                 Kyverno's: metadata addresses and loopback)
      --http-allowlist list      URL prefixes CEL http.Get/Post may reach, as serve's
      --max-global-context-entries int
                                 reports, background: GlobalContextEntries run at most (0: no bound)
${EVENT_HELP}
  -h, --help`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string' },
  'leader-election': { type: 'string' },
  'lease-name': { type: 'string' },
  ...ELECTION_TIMING_OPTIONS,
  'metrics-port': { type: 'string' },
  'metrics-address': { type: 'string' },
  'ttl-reconciliation-interval': { type: 'string' },
  'resync-period': { type: 'string' },
  'background-scan-interval': { type: 'string' },
  'openreports-enabled': { type: 'boolean' },
  'resource-filters': { type: 'string' },
  'enable-policy-exception': { type: 'boolean' },
  'exception-namespace': { type: 'string' },
  'watch-debounce': { type: 'string' },
  'http-blocklist': { type: 'string' },
  'http-allowlist': { type: 'string' },
  'max-global-context-entries': { type: 'string' },
  ...EVENT_OPTIONS,
} as const;

class Usage extends Error {}

function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = parseLimitValue('duration', text);
  if (v === undefined) throw new Usage(`--${flag} expects a duration such as 2s, got "${text}"`);
  return v;
}

function egress(blocklist: string | undefined, allowlist: string | undefined): EgressPolicy {
  const made = egressPolicyFromFlags(blocklist, allowlist);
  if (!made.ok) throw new Usage(made.error);
  return made.policy;
}

function count(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const n = parseCountValue(text);
  if (n === undefined) throw new Usage(`--${flag} expects a count (0: no bound), got "${text}"`);
  return n;
}

function eventFlags(values: Record<string, unknown>): EventFlags {
  try {
    return parseEventFlags(values);
  } catch (err) {
    throw new Usage(err instanceof Error ? err.message : String(err));
  }
}

export function parseControllerArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ControllerArgs {
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return parsed;
  const v = parsed.values;
  if (v.help === true) return { ok: true, help: true };
  try {
    const [name, extra] = parsed.positionals;
    if (name === undefined) throw new Usage(`name a controller: ${CONTROLLER_NAMES.join(', ')}`);
    if (!(CONTROLLER_NAMES as readonly string[]).includes(name))
      throw new Usage(`unknown controller "${name}"; one of ${CONTROLLER_NAMES.join(', ')}`);
    if (extra !== undefined) throw new Usage(`one controller per process, got "${extra}" too`);
    const namespace = str(v.namespace) ?? env.POD_NAMESPACE ?? 'palisade';
    const election = parseElectionTiming(v);
    if (!election.ok) throw new Usage(election.error);
    const timing = election.timing;
    const le = str(v['leader-election']) ?? 'true';
    if (!/^(true|false)$/i.test(le)) throw new Usage(`--leader-election expects true or false, got "${le}"`);
    const portText = str(v['metrics-port']);
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
      throw new Usage(`--metrics-port expects a port number, got "${portText}"`);
    const kubeconfig = str(v.kubeconfig);
    return {
      ok: true,
      config: {
        name: name as ControllerName,
        ...(kubeconfig !== undefined ? { kubeconfig } : {}),
        namespace,
        leaderElection: le.toLowerCase() === 'true',
        lease: { name: str(v['lease-name']) ?? `palisade-${name}-controller`, namespace, timing },
        ...(port !== undefined ? { metrics: { address: str(v['metrics-address']) ?? '0.0.0.0', port } } : {}),
        ttlIntervalMs: duration('ttl-reconciliation-interval', str(v['ttl-reconciliation-interval']), 60_000),
        resyncMs: Math.min(duration('resync-period', str(v['resync-period']), 60_000), 10_000),
        scanIntervalMs: duration('background-scan-interval', str(v['background-scan-interval']), 3_600_000),
        openreports: v['openreports-enabled'] === true,
        filters: parseResourceFilters(str(v['resource-filters']) ?? DEFAULT_RESOURCE_FILTERS),
        exceptionGate: {
          enablePolicyException: v['enable-policy-exception'] === true,
          exceptionNamespace: str(v['exception-namespace']) ?? '',
        },
        watchDebounceMs: duration('watch-debounce', str(v['watch-debounce']), 500),
        httpEgress: egress(str(v['http-blocklist']), str(v['http-allowlist'])),
        maxGlobalContextEntries: count('max-global-context-entries', str(v['max-global-context-entries'])),
        events: eventFlags(v),
      },
    };
  } catch (err) {
    if (err instanceof Usage) return { ok: false, error: err.message };
    throw err;
  }
}
