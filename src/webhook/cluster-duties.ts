/**
 * @module The leader's duties, wired: a Lease elects one replica (every replica keeps serving
 * admission); while it leads, it writes the webhook configurations computed from the policy set it
 * serves (again whenever that set changes, the CA bundle changes, or every resync period, which
 * also repairs edits made by hand), then whatever follows registration (policy status). Losing the
 * Lease aborts the work in flight: nothing is written after this replica stops leading.
 * Nothing is registered before a policy set is loaded, so the API server is never pointed at a
 * server that would answer from no policies.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import {
  type ElectionTiming,
  type PolicyRegistration,
  ttlValidatingConfiguration,
  type WebhookEndpoint,
  webhookConfigurations,
} from '../engine/index.js';
import { abortableSleep as sleep } from '../io/abortable-sleep.js';
import { discoverResources } from '../io/cluster/discovery.js';
import type { KubeRest } from '../io/cluster/kube-rest.js';
import { type LeaderElector, startLeaderElection } from '../io/cluster/leader-election.js';
import { applyWebhookConfiguration } from '../io/cluster/webhook-writer.js';
import type { Logger } from './log.js';
import type { PolicyStore } from './policy-store.js';

export interface ClusterDutiesOptions {
  readonly kubeConfig: KubeConfig;
  readonly rest: KubeRest;
  readonly store: PolicyStore;
  readonly logger: Logger;
  readonly identity: string;
  readonly namespace: string;
  /** Undefined: no election, this replica leads (a single replica, tests). */
  readonly lease?: { readonly name: string; readonly namespace: string; readonly timing: ElectionTiming };
  readonly endpoint: WebhookEndpoint;
  readonly timeoutSeconds: number;
  /** Base64 PEM of the CA(s) the serving certificate chains to; re-read at every reconcile. */
  readonly caBundle: () => Promise<string>;
  /** After the configurations are written (the policy status writer); aborted with leadership. */
  readonly afterRegistration?: (
    registrations: readonly PolicyRegistration[],
    signal: AbortSignal,
  ) => Promise<void>;
  /**
   * Certificate rotation (self-managed certificates), run by the leader before the configurations
   * are written; `caPublished(pem)` says whether the last written caBundle holds that CA.
   */
  readonly rotateCertificates?: (caPublished: (caPem: string) => boolean) => Promise<void>;
  /** Other leader work (the background controllers), started with leadership and stopped with it. */
  readonly alsoWhileLeading?: (signal: AbortSignal) => Promise<void>;
  /** How often rotation runs (default 60 s; at once when leadership starts). */
  readonly rotateEveryMs?: number;
  /** How often the store and CA are checked for changes (default 1 s). */
  readonly pollMs?: number;
  /** Full rewrite period (default 60 s). */
  readonly resyncMs?: number;
}

export interface ClusterDuties {
  isLeader(): boolean;
  /** Registrations of the last write (tests, logs). */
  lastRegistrations(): readonly PolicyRegistration[] | undefined;
  stop(): Promise<void>;
}

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function startClusterDuties(options: ClusterDutiesOptions): ClusterDuties {
  const { logger, store, rest } = options;
  const pollMs = options.pollMs ?? 1000;
  const resyncMs = options.resyncMs ?? 60_000;
  let registrations: readonly PolicyRegistration[] | undefined;
  let work: Promise<void> | undefined;

  /** Writes the three configurations for the current set; answers false if nothing is loaded yet. */
  const reconcile = async (signal: AbortSignal, caBundle: string): Promise<boolean> => {
    const loaded = store.current();
    if (loaded === undefined) return false;
    const discovery = await discoverResources(rest);
    for (const f of discovery.failed) logger.warn('discovery: group version not read', f);
    const configOptions = {
      endpoint: options.endpoint,
      caBundle,
      namespace: options.namespace,
      timeoutSeconds: options.timeoutSeconds,
    };
    const out = webhookConfigurations(loaded.set, discovery.resources, configOptions);
    const written: string[] = [];
    for (const cfg of [out.policyValidating, out.validating, out.mutating]) {
      // Leadership is checked before every write: a replica that stopped leading writes nothing more.
      if (signal.aborted) return true;
      if (await applyWebhookConfiguration(rest, cfg)) written.push(String(cfg.metadata?.name));
    }
    // The TTL label's webhook (docs/decisions/0017), served by every replica; it only warns, so a
    // failure to write it (RBAC without its name) is logged and does not hold the rest back.
    const ttl = ttlValidatingConfiguration(configOptions);
    if (signal.aborted) return true;
    await applyWebhookConfiguration(rest, ttl).then(
      (changed) => (changed ? written.push(String(ttl.metadata?.name)) : 0),
      (err: unknown) => logger.warn('TTL webhook configuration not written', { error: text(err) }),
    );
    registrations = out.registrations;
    const unresolved = out.registrations.filter((r) => r.unresolvedKinds.length > 0);
    logger.info('webhook configurations reconciled', {
      policySet: loaded.generation,
      written,
      ...(unresolved.length > 0
        ? { unknownKinds: unresolved.map((r) => `${r.policy.name}: ${r.unresolvedKinds.join(', ')}`) }
        : {}),
    });
    if (!signal.aborted) await options.afterRegistration?.(out.registrations, signal);
    return true;
  };

  const lead = async (signal: AbortSignal): Promise<void> => {
    let doneGeneration = 0;
    let doneCa = '';
    let doneAt = 0;
    let rotatedAt = Number.NEGATIVE_INFINITY;
    const rotateEveryMs = options.rotateEveryMs ?? 60_000;
    const caPublished = (pem: string): boolean =>
      Buffer.from(doneCa, 'base64').toString('utf8').includes(pem.trim());
    while (!signal.aborted) {
      try {
        if (options.rotateCertificates !== undefined && performance.now() - rotatedAt >= rotateEveryMs) {
          await options.rotateCertificates(caPublished);
          rotatedAt = performance.now();
        }
        const generation = store.current()?.generation ?? 0;
        const ca = await options.caBundle();
        const stale = generation !== doneGeneration || ca !== doneCa || performance.now() - doneAt > resyncMs;
        // No CA yet (self-managed, not written): nothing the API server could trust is registered.
        if (generation > 0 && ca !== '' && stale && (await reconcile(signal, ca))) {
          doneGeneration = generation;
          doneCa = ca;
          doneAt = performance.now();
        }
      } catch (err) {
        logger.error('cluster duties failed; retrying', { error: text(err) });
        await sleep(Math.max(pollMs, 2000), signal);
      }
      await sleep(pollMs, signal);
    }
  };

  const onStartedLeading = (signal: AbortSignal): void => {
    const also = options
      .alsoWhileLeading?.(signal)
      .catch((err: unknown) => logger.error('background controllers failed', { error: text(err) }));
    work = Promise.all([lead(signal), also]).then(() => undefined);
  };

  let elector: LeaderElector | undefined;
  let solo: AbortController | undefined;
  if (options.lease !== undefined) {
    elector = startLeaderElection({
      kubeConfig: options.kubeConfig,
      namespace: options.lease.namespace,
      name: options.lease.name,
      identity: options.identity,
      timing: options.lease.timing,
      onStartedLeading,
      onNewLeader: (leader) => logger.info('another replica leads', { leader }),
      log: (level, message, fields) => logger[level](message, fields ?? {}),
    });
  } else {
    solo = new AbortController();
    logger.info('leader election off: this replica leads', { identity: options.identity });
    onStartedLeading(solo.signal);
  }

  return {
    isLeader: () => (elector !== undefined ? elector.isLeader() : solo?.signal.aborted === false),
    lastRegistrations: () => registrations,
    async stop() {
      solo?.abort();
      await elector?.stop();
      await work;
    },
  };
}
