/**
 * @module The flags of `palisade controller <name>`: which controllers, the cluster, the Lease, the
 * metrics port. Parsed into one value or a usage error. `cleanup` runs the cleanup and TTL
 * controllers; `reports` and `background` are the names kept for the other background controllers
 * (issue #15), which today run inside `palisade serve`.
 */
import {
  DEFAULT_ELECTION_TIMING,
  DEFAULT_RESOURCE_FILTERS,
  type ElectionTiming,
  parseResourceFilters,
  type ResourceFilter,
  timingProblem,
} from '../engine/index.js';
import { parseCommandArgs, str } from '../io/flags/args.js';
import { parseLimitValue } from '../io/flags/limits-flags.js';

export const CONTROLLER_NAMES = ['cleanup', 'reports', 'background'] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];
/** The controllers this build can run on their own. */
export const RUNNABLE: readonly ControllerName[] = ['cleanup'];

export interface ControllerConfig {
  readonly name: ControllerName;
  readonly kubeconfig?: string;
  readonly namespace: string;
  readonly leaderElection: boolean;
  readonly lease: { readonly name: string; readonly namespace: string; readonly timing: ElectionTiming };
  readonly metrics?: { readonly address: string; readonly port: number };
  readonly ttlIntervalMs: number;
  /** Kyverno's resourceFilters: what they name is never cleaned up. */
  readonly filters: readonly ResourceFilter[];
}

export type ControllerArgs =
  | { readonly ok: true; readonly help: true }
  | { readonly ok: true; readonly help?: false; readonly config: ControllerConfig }
  | { readonly ok: false; readonly error: string };

export const CONTROLLER_HELP = `Usage: palisade controller <cleanup|reports|background> [flags]

Runs background controllers on their own, in a Deployment apart from 'palisade serve' (which then
runs with --cleanup-controller=false). One replica leads through its own Lease; the others wait.
  cleanup      ClusterCleanupPolicy/CleanupPolicy/DeletingPolicy schedules and the cleanup.kyverno.io/ttl label
  reports, background: run inside 'palisade serve' in this version.

Flags:
      --kubeconfig FILE          cluster to act on (default: $KUBECONFIG, in-cluster, ~/.kube/config)
      --namespace NS             Palisade's namespace, where the Lease lives (default: $POD_NAMESPACE, else palisade)
      --leader-election BOOL     elect one leader through a Lease (default true)
      --lease-name NAME          the Lease (default palisade-<name>-controller)
      --lease-duration duration  (default 12s)   --renew-deadline duration (default 10s)
      --retry-period duration    (default 2s)
      --metrics-port N           Prometheus metrics and /health/liveness on this port (default: none)
      --metrics-address ADDR     (default 0.0.0.0)
      --ttl-reconciliation-interval duration
                                 how often labelled objects are listed for their TTL (default 1m)
      --resource-filters text    Kyverno's resourceFilters, never cleaned up (default: its chart's, as serve)
  -h, --help`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string' },
  'leader-election': { type: 'string' },
  'lease-name': { type: 'string' },
  'lease-duration': { type: 'string' },
  'renew-deadline': { type: 'string' },
  'retry-period': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-address': { type: 'string' },
  'ttl-reconciliation-interval': { type: 'string' },
  'resource-filters': { type: 'string' },
} as const;

class Usage extends Error {}

function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = parseLimitValue('duration', text);
  if (v === undefined) throw new Usage(`--${flag} expects a duration such as 2s, got "${text}"`);
  return v;
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
    if (!RUNNABLE.includes(name as ControllerName))
      throw new Usage(`the ${name} controller runs inside 'palisade serve' in this version`);
    const namespace = str(v.namespace) ?? env.POD_NAMESPACE ?? 'palisade';
    const timing: ElectionTiming = {
      leaseDurationMs: duration(
        'lease-duration',
        str(v['lease-duration']),
        DEFAULT_ELECTION_TIMING.leaseDurationMs,
      ),
      renewDeadlineMs: duration(
        'renew-deadline',
        str(v['renew-deadline']),
        DEFAULT_ELECTION_TIMING.renewDeadlineMs,
      ),
      retryPeriodMs: duration('retry-period', str(v['retry-period']), DEFAULT_ELECTION_TIMING.retryPeriodMs),
    };
    const problem = timingProblem(timing);
    if (problem !== undefined) throw new Usage(`leader election: ${problem}`);
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
        filters: parseResourceFilters(str(v['resource-filters']) ?? DEFAULT_RESOURCE_FILTERS),
      },
    };
  } catch (err) {
    if (err instanceof Usage) return { ok: false, error: err.message };
    throw err;
  }
}
