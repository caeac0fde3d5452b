/** @module `palisade serve` flags: parsed once into a ServeConfig value, with the help text. */
import {
  DEFAULT_EXCLUDE_GROUPS,
  DEFAULT_RESOURCE_FILTERS,
  type ExceptionAdmissionGate,
  type Limits,
  parseResourceFilters,
  type ResourceFilter,
  type UserExclusions,
  userExclusions,
} from '../engine/index.js';
import {
  DEFAULT_HTTP_BLOCKLIST,
  type EgressPolicy,
  egressPolicyFromFlags,
} from '../io/cluster/egress-policy.js';
import { parseCommandArgs, str } from '../io/flags/args.js';
import {
  LIMIT_OPTIONS,
  limitFlagsHelp,
  parseCountValue,
  parseLimitFlags,
  parseLimitValue,
} from '../io/flags/limits-flags.js';
import { DEFAULT_LIMITS } from '../io/yaml/limits.js';
import {
  CLUSTER_HELP,
  CLUSTER_OPTIONS,
  type ClusterDutiesConfig,
  ClusterUsageError,
  parseClusterFlags,
} from './cluster-args.js';
import { DEFAULT_MAX_BODY_BYTES } from './middleware/body-limit.js';

/** Where the policies come from: one source per server (one set, one readiness). */
export type PolicySourceConfig =
  | { readonly kind: 'folder'; readonly folder: string }
  /** The API server: kubeconfig from the flag, else $KUBECONFIG, in-cluster or ~/.kube/config. */
  | { readonly kind: 'cluster'; readonly kubeconfig?: string };

export interface ServeConfig {
  readonly source: PolicySourceConfig;
  /** Both absent: self-managed certificates in Secrets (only with the cluster source). */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly address: string;
  readonly port: number;
  readonly metrics?: { readonly address: string; readonly port: number };
  readonly webhookTimeoutMs: number;
  readonly deadlineMs: number;
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  readonly filters: readonly ResourceFilter[];
  readonly exclusions: UserExclusions;
  readonly watchDebounceMs: number;
  readonly drainMs: number;
  readonly allowEmpty: boolean;
  /** Which PolicyExceptions are honoured (Kyverno's --enablePolicyException / --exceptionNamespace). */
  readonly exceptionGate: ExceptionAdmissionGate;
  /** How many GlobalContextEntries are run at most (Kyverno's --maxGlobalContextEntries; 0: no bound). */
  readonly maxGlobalContextEntries: number;
  /** Where CEL `http` calls may connect (Kyverno's --httpBlocklist / --httpAllowlist). */
  readonly httpEgress: EgressPolicy;
  readonly limits: Partial<Limits>;
  /** Leader election, webhook configurations, certificates, policy status (cluster-args.ts). */
  readonly cluster: ClusterDutiesConfig;
}

export const SERVE_HELP = `Run the admission webhook: answer the API server's AdmissionReviews with the policies of a folder
or of the cluster.

Usage:
  palisade serve --policies DIR --tls-cert FILE --tls-key FILE [flags]
  palisade serve --cluster [--kubeconfig FILE] --tls-cert FILE --tls-key FILE [flags]

Endpoints (HTTPS): /validate[/fail|/ignore], /mutate[/fail|/ignore] (ClusterPolicy, Policy),
/vpol/NAME..., /nvpol, /mpol, /nmpol, /ivpol/validate, /ivpol/mutate, /gpol, /ngpol (CEL kinds),
/health/liveness, /health/readiness. Metrics: GET /metrics on --metrics-port. Docs: docs/serve.md.

Flags:
      --policies DIR             folder of policy files, watched: a change reloads it
      --cluster                  read the policies from the cluster, watched: ClusterPolicy, Policy, the
                                 policies.kyverno.io kinds, PolicyExceptions, Validating/Mutating-
                                 AdmissionPolicies and bindings (plus Namespaces and RBAC bindings);
                                 credentials from --kubeconfig, $KUBECONFIG, the pod, or ~/.kube/config;
                                 the leader also does the cluster duties (below)
      --kubeconfig FILE          kubeconfig for --cluster (implies it)
                                 (exactly one source: --policies, or --cluster/--kubeconfig)
      --tls-cert FILE            PEM serving certificate (chain); reloaded when it changes (required
                                 with --policies; with --cluster, absent: a self-managed CA in Secrets)
      --tls-key FILE             PEM private key (required with --tls-cert)
      --address ADDR             address to listen on (default 127.0.0.1; in a pod give 0.0.0.0)
      --port N                   HTTPS port (default 9443)
      --metrics-port N           serve Prometheus metrics on this port (default: no metrics)
      --metrics-address ADDR     address for metrics (default: --address)
      --webhook-timeout duration the timeoutSeconds the webhooks are registered with (default 10s)
      --deadline duration        evaluation deadline, below the webhook timeout (default: timeout - 2s)
      --max-request-body size    largest AdmissionReview accepted, else 413 (default 3Mi)
      --max-json-depth int       deepest nesting accepted in a review (default 1000)
      --resource-filters text    Kyverno's resourceFilters, e.g. '[Event,*,*][*/*,kube-system,*]'
                                 (default: the Helm chart's; '' evaluates everything)
      --exclude-groups list      groups whose requests are not evaluated (default system:nodes)
      --exclude-usernames list   usernames whose requests are not evaluated (default none)
      --watch-debounce duration  quiet time after a change before reloading (default 500ms)
      --drain-timeout duration   on SIGTERM, time given to requests in flight (default 20s)
      --enable-policy-exception  honour PolicyExceptions (Kyverno's --enablePolicyException; default:
                                 none is, and each one loaded is logged as ignored)
      --exception-namespace NS   where kyverno.io PolicyExceptions are honoured ('*': everywhere; default
                                 none); CEL ones in NS, or everywhere when it is '' or '*'
      --max-global-context-entries int
                                 GlobalContextEntries run at most, with --cluster (default 0: no bound)
      --http-blocklist list      CIDRs, addresses and host names CEL http.Get/Post may not reach
                                 (default: ${DEFAULT_HTTP_BLOCKLIST.join(',')};
                                 '' blocks nothing)
      --http-allowlist list      URL prefixes CEL http.Get/Post may reach, e.g. https://api.example.com/v1
                                 (default: any not blocked)
${limitFlagsHelp(33)}
  -h, --help                     help for serve
${CLUSTER_HELP}`;

const OPTIONS = {
  policies: { type: 'string' },
  cluster: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  address: { type: 'string' },
  port: { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-address': { type: 'string' },
  'webhook-timeout': { type: 'string' },
  deadline: { type: 'string' },
  'max-request-body': { type: 'string' },
  'max-json-depth': { type: 'string' },
  'resource-filters': { type: 'string' },
  'exclude-groups': { type: 'string' },
  'exclude-usernames': { type: 'string' },
  'watch-debounce': { type: 'string' },
  'drain-timeout': { type: 'string' },
  'enable-policy-exception': { type: 'boolean' },
  'exception-namespace': { type: 'string' },
  'max-global-context-entries': { type: 'string' },
  'http-blocklist': { type: 'string' },
  'http-allowlist': { type: 'string' },
  ...LIMIT_OPTIONS,
  ...CLUSTER_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export type ServeArgs =
  | { ok: true; help: true }
  | { ok: true; help?: false; config: ServeConfig }
  | { ok: false; error: string };

class UsageError extends Error {}

function port(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535)
    throw new UsageError(`--${flag} expects a port number, got "${text}"`);
  return n;
}

function value(
  kind: 'size' | 'count' | 'duration',
  flag: string,
  text: string | undefined,
  fallback: number,
): number {
  if (text === undefined) return fallback;
  const v = parseLimitValue(kind, text);
  if (v === undefined) {
    const what =
      kind === 'duration'
        ? 'a duration such as 8s or 500ms'
        : kind === 'size'
          ? 'a size such as 3Mi'
          : 'a positive integer';
    throw new UsageError(`--${flag} expects ${what}, got "${text}"`);
  }
  return v;
}

/** A count where 0 means "no bound" (absent: 0). */
function countOrZero(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const n = parseCountValue(text);
  if (n === undefined) throw new UsageError(`--${flag} expects a count (0: no bound), got "${text}"`);
  return n;
}

/** Exactly one policy source. */
function policySource(values: Record<string, unknown>): PolicySourceConfig {
  const folder = str(values.policies);
  const kubeconfig = str(values.kubeconfig);
  const cluster = values.cluster === true || kubeconfig !== undefined;
  if (folder !== undefined && cluster)
    throw new UsageError(
      '--policies and --cluster/--kubeconfig are two policy sources; give one (a server answers with one set)',
    );
  if (kubeconfig === '') throw new UsageError('--kubeconfig expects a file');
  if (cluster) return { kind: 'cluster', ...(kubeconfig !== undefined ? { kubeconfig } : {}) };
  if (folder === undefined || folder === '')
    throw new UsageError(
      'a policy source is required: --policies DIR, or --cluster (with --kubeconfig FILE)',
    );
  return { kind: 'folder', folder };
}

function required(values: Record<string, unknown>, flag: string): string {
  const v = str(values[flag]);
  if (v === undefined || v === '') throw new UsageError(`--${flag} is required`);
  return v;
}

/** `--http-blocklist` (Kyverno's defaults when absent) and `--http-allowlist`, checked at start. */
function httpEgress(v: Record<string, unknown>): EgressPolicy {
  const made = egressPolicyFromFlags(str(v['http-blocklist']), str(v['http-allowlist']));
  if (!made.ok) throw new UsageError(made.error);
  return made.policy;
}

/**
 * The serving certificate files; both may be left out with the cluster source (the cluster duties
 * run): the leader then keeps a CA and serving certificate in Secrets.
 */
function tlsFiles(
  v: Record<string, unknown>,
  source: PolicySourceConfig,
): { tlsCert?: string; tlsKey?: string } {
  const managed =
    str(v['tls-cert']) === undefined && str(v['tls-key']) === undefined && source.kind === 'cluster';
  return managed ? {} : { tlsCert: required(v, 'tls-cert'), tlsKey: required(v, 'tls-key') };
}

/** The duties run with the cluster as the policy source (`--cluster`, `--kubeconfig`), never in folder mode. */
export function clusterDutiesWanted(config: ServeConfig): boolean {
  return config.source.kind === 'cluster';
}

/** Parses `palisade serve` arguments. Never throws. */
export function parseServeArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ServeArgs {
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const v = parsed.values;
  if (v.help === true) return { ok: true, help: true };
  if (parsed.positionals.length > 0)
    return { ok: false, error: `unexpected argument "${parsed.positionals[0]}"` };
  try {
    const cluster = parseClusterFlags(v, env);
    const source = policySource(v);
    const limits = parseLimitFlags(v);
    if (!limits.ok) throw new UsageError(limits.error);
    const webhookTimeoutMs = value('duration', 'webhook-timeout', str(v['webhook-timeout']), 10_000);
    const deadlineMs = value(
      'duration',
      'deadline',
      str(v.deadline),
      Math.max(500, webhookTimeoutMs - 2_000),
    );
    if (deadlineMs >= webhookTimeoutMs)
      throw new UsageError(
        '--deadline must be below --webhook-timeout, so that the server answers before the API server gives up',
      );
    const address = str(v.address) ?? '127.0.0.1';
    const metricsPort = str(v['metrics-port']);
    const config: ServeConfig = {
      source,
      ...tlsFiles(v, source),
      address,
      port: port('port', str(v.port), 9443),
      ...(metricsPort !== undefined
        ? {
            metrics: {
              address: str(v['metrics-address']) ?? address,
              port: port('metrics-port', metricsPort, 0),
            },
          }
        : {}),
      webhookTimeoutMs,
      deadlineMs,
      maxBodyBytes: value('size', 'max-request-body', str(v['max-request-body']), DEFAULT_MAX_BODY_BYTES),
      maxDepth: value('count', 'max-json-depth', str(v['max-json-depth']), DEFAULT_LIMITS.maxDepth),
      filters: parseResourceFilters(str(v['resource-filters']) ?? DEFAULT_RESOURCE_FILTERS),
      exclusions: userExclusions({
        excludeGroups: str(v['exclude-groups']) ?? DEFAULT_EXCLUDE_GROUPS,
        excludeUsernames: str(v['exclude-usernames']) ?? '',
      }),
      watchDebounceMs: value('duration', 'watch-debounce', str(v['watch-debounce']), 500),
      drainMs: value('duration', 'drain-timeout', str(v['drain-timeout']), 20_000),
      allowEmpty: v['allow-empty'] === true,
      exceptionGate: {
        enablePolicyException: v['enable-policy-exception'] === true,
        exceptionNamespace: str(v['exception-namespace']) ?? '',
      },
      maxGlobalContextEntries: countOrZero(
        'max-global-context-entries',
        str(v['max-global-context-entries']),
      ),
      httpEgress: httpEgress(v),
      limits: limits.limits,
      cluster,
    };
    return { ok: true, config };
  } catch (err) {
    if (err instanceof UsageError || err instanceof ClusterUsageError)
      return { ok: false, error: err.message };
    throw err;
  }
}
