/**
 * @module The ports a process reading a cluster evaluates policies with: live API calls and CEL
 * `http` calls under its egress policy, and the GlobalContextEntries it keeps (started on demand, as
 * serve starts them only once it runs). `palisade serve --cluster` and `palisade controller
 * reports|background` build theirs here, so both read entries and call out the same way.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { AsyncPorts, GlobalContextEntry } from '../../engine/index.js';
import type { EgressPolicy } from './egress-policy.js';
import { type GlobalContextStore, startGlobalContextStore } from './global-context/global-context-store.js';
import type { EntryLog } from './global-context/resource-entry.js';
import { discoverKind } from './global-context/resource-kind.js';
import type { KubeHttp } from './kube-http.js';
import type { ListWatchClient } from './list-watch-client.js';
import { createLivePorts, DEFAULT_CALL_TIMEOUT_MS, type LivePortsOptions } from './live-ports.js';

export interface ClusterPortsOptions {
  readonly kubeConfig: KubeConfig;
  readonly http: KubeHttp;
  readonly client: ListWatchClient;
  /** Objects held in a local copy, answered without a call. */
  readonly peek?: LivePortsOptions['peek'];
  /** Where CEL `http` calls may go; absent: Kyverno's default blocklist. */
  readonly httpEgress?: EgressPolicy;
  /** How many GlobalContextEntries run at most (0: no bound). */
  readonly maxGlobalContextEntries: number;
  /** Called after an entry's API call refreshed (the replica that writes statuses passes one). */
  readonly onRefreshed?: (entry: GlobalContextEntry) => void;
  readonly log: EntryLog;
}

export interface ClusterPorts {
  readonly ports: AsyncPorts;
  /** Starts watching GlobalContextEntries; before this, reads of an entry fail as unavailable. */
  start(): void;
  close(): void;
}

export function clusterPorts(options: ClusterPortsOptions): ClusterPorts {
  const { kubeConfig, peek } = options;
  let store: GlobalContextStore | undefined;
  // The entries' own API calls are the process's, not a policy's: no egress policy applies to them.
  const direct = createLivePorts({ kubeConfig, ...(peek !== undefined ? { peek } : {}) });
  const ports = createLivePorts({
    kubeConfig,
    ...(peek !== undefined ? { peek } : {}),
    ...(options.httpEgress !== undefined ? { httpEgress: options.httpEgress } : {}),
    globalContext: {
      get: (name, call) =>
        store !== undefined
          ? store.get(name, call)
          : Promise.resolve({ ok: false, code: 'unavailable', message: `failed to fetch entry key=${name}` }),
    },
  });
  return {
    ports,
    start() {
      if (store !== undefined) return;
      store = startGlobalContextStore({
        client: options.client,
        caller: direct.apiCaller!,
        kindOf: discoverKind(options.http),
        ...(options.onRefreshed !== undefined ? { onRefreshed: options.onRefreshed } : {}),
        maxEntries: options.maxGlobalContextEntries,
        callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
        log: options.log,
      });
    },
    close() {
      store?.close();
    },
  };
}
