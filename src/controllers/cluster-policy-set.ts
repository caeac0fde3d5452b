/**
 * @module The policy set of `palisade controller reports|background` (docs/decisions/0021): the
 * same cluster source `palisade serve --cluster` answers admission with (io/cluster/cluster-source.ts:
 * list-watch of every policy kind, compiled after each burst of changes), kept for the controllers.
 * Given the same objects and exception flags, both processes compile the same set.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { AsyncPorts, ExceptionAdmissionGate, PolicySet } from '../engine/index.js';
import type { BackgroundLogger } from '../io/background.js';
import { newRejections } from '../io/cluster/cluster-policies.js';
import { clusterPorts } from '../io/cluster/cluster-ports.js';
import { startClusterSource } from '../io/cluster/cluster-source.js';
import type { EgressPolicy } from '../io/cluster/egress-policy.js';
import { kubeHttp } from '../io/cluster/kube-http.js';
import { listWatchClient } from '../io/cluster/list-watch-client.js';

export interface ClusterPolicySet {
  /** The last set compiled; undefined before the first. */
  current(): PolicySet | undefined;
  /** The ports evaluations call out through: the egress policy given and the GlobalContextEntries. */
  readonly ports: AsyncPorts;
  /** Resolves once the first set is compiled. */
  readonly firstLoad: Promise<void>;
  close(): void;
}

export function watchClusterPolicySet(options: {
  readonly kubeConfig: KubeConfig;
  readonly logger: BackgroundLogger;
  readonly debounceMs: number;
  readonly exceptionGate: ExceptionAdmissionGate;
  readonly httpEgress: EgressPolicy;
  readonly maxGlobalContextEntries: number;
}): ClusterPolicySet {
  const { logger } = options;
  const http = kubeHttp(options.kubeConfig);
  const client = listWatchClient(http);
  const log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
    logger[level](message, fields ?? {});
  // GlobalContextEntries kept as serve keeps them (its replicas write their status; these only read).
  const calls = clusterPorts({
    kubeConfig: options.kubeConfig,
    http,
    client,
    httpEgress: options.httpEgress,
    maxGlobalContextEntries: options.maxGlobalContextEntries,
    log,
  });
  calls.start();
  let set: PolicySet | undefined;
  let generation = 0;
  // A policy left out is logged when its problem is new, not at every reload (as serve does).
  const rejectedSinceLast = newRejections();
  const source = startClusterSource(
    (load) => {
      for (const [policy, issues] of rejectedSinceLast(load))
        logger.error('policy left out of the set: it does not compile', {
          policy,
          errors: issues.map((d) => d.message),
        });
      set = load.set;
      generation += 1;
      logger.info('policy set loaded', {
        source: 'cluster',
        policySet: generation,
        policies: load.policyCount,
        objects: load.objectCount,
      });
    },
    { client, debounceMs: options.debounceMs, exceptionGate: options.exceptionGate, log },
  );
  return {
    current: () => set,
    ports: calls.ports,
    firstLoad: source.firstLoad,
    close: () => {
      calls.close();
      source.close();
    },
  };
}
