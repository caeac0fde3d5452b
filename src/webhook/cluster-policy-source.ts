/**
 * @module The cluster policy source of `palisade serve` (loaded only when the server reads a
 * cluster): every cluster load is swapped into the store, whatever was left out of it; an object
 * left out is logged when its problem is new, not at every reload.
 */

import { newRejections } from '../io/cluster/cluster-policies.js';
import { clusterPorts } from '../io/cluster/cluster-ports.js';
import {
  type ClusterPolicyLoad,
  type ClusterSource,
  startClusterSource,
} from '../io/cluster/cluster-source.js';
import { refreshedStatusWriter } from '../io/cluster/global-context/refresh-status.js';
import { loadKubeConfig } from '../io/cluster/kube-client.js';
import { kubeHttp } from '../io/cluster/kube-http.js';
import { kubeRest } from '../io/cluster/kube-rest.js';
import { listWatchClient } from '../io/cluster/list-watch-client.js';
import type { Logger } from './log.js';
import { diagnosticFields, type PolicySource, type SourceOptions } from './policy-source.js';
import type { PolicyStore } from './policy-store.js';

/** Every cluster load is swapped in; an object left out is logged when its problem is new. */
function onClusterLoad(store: PolicyStore, logger: Logger) {
  const rejectedSinceLast = newRejections();
  return (load: ClusterPolicyLoad): void => {
    for (const [policy, issues] of rejectedSinceLast(load))
      logger.error('policy left out of the set: it does not compile', {
        policy,
        diagnostics: issues.map(diagnosticFields),
      });
    const loaded = store.swap(load.set, load.policyCount);
    logger.info('policy set loaded', {
      source: 'cluster',
      policySet: loaded.generation,
      policies: load.policyCount,
      objects: load.objectCount,
      ...(load.rejected.size > 0 ? { rejected: [...load.rejected.keys()] } : {}),
      ...(load.warnings.length > 0 ? { warnings: load.warnings.map(diagnosticFields) } : {}),
    });
  };
}

/** Throws with a one-line reason when no kubeconfig can be read. */
export function clusterSource(
  kubeconfig: string | undefined,
  store: PolicyStore,
  logger: Logger,
  options: SourceOptions,
): PolicySource {
  const kube = loadKubeConfig({ ...(kubeconfig !== undefined ? { kubeconfig } : {}), env: options.env });
  let running: ClusterSource | undefined;
  const http = kubeHttp(kube.config);
  const client = listWatchClient(http);
  const log = (level: 'info' | 'warn' | 'error', m: string, fields?: Record<string, unknown>) =>
    logger[level](m, fields);
  // Namespaces are watched anyway: reads of them are answered from that copy, without a call.
  const peek = (apiVersion: string, kind: string, _namespace: string | undefined, name: string) =>
    apiVersion === 'v1' && kind === 'Namespace' ? running?.namespace(name) : undefined;
  const calls = clusterPorts({
    kubeConfig: kube.config,
    http,
    client,
    peek,
    ...(options.httpEgress !== undefined ? { httpEgress: options.httpEgress } : {}),
    maxGlobalContextEntries: options.maxGlobalContextEntries ?? 0,
    onRefreshed: refreshedStatusWriter(kubeRest(kube.config), (m, fields) => logger.warn(m, fields)),
    log,
  });
  return {
    description: {
      source: 'cluster',
      server: kube.server,
      ...(kube.origin.kind === 'file' ? { kubeconfig: kube.origin.path } : { kubeconfig: 'in-cluster' }),
    },
    requestContext: (request) => running?.contextFor(request) ?? {},
    ports: calls.ports,
    async start() {
      calls.start();
      running = startClusterSource(onClusterLoad(store, logger), {
        client,
        debounceMs: options.debounceMs,
        exceptionGate: options.exceptionGate,
        log,
      });
    },
    close: () => {
      calls.close();
      running?.close();
    },
  };
}
