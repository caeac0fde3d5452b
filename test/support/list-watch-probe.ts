/**
 * @module The real list/watch client for a test cluster, with a probe around it: it counts lists and
 * open watches per path, can hold a path's lists until released, and can make the next watch of a
 * path start from resourceVersion 1 (after `Testbed.compactEtcd()`, the real server answers 410 Gone).
 * Every answer comes from the real API server.
 */
import { KubeConfig } from '../../src/io/cluster/kube-client.js';
import { kubeHttp } from '../../src/io/cluster/kube-http.js';
import { type ListWatchClient, listWatchClient } from '../../src/io/cluster/list-watch-client.js';

/** A KubeConfig for the test cluster's admin, optionally pointed at another address (a proxy). */
export function testbedKubeConfig(kubeconfig: string, server?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  if (server === undefined) return kc;
  const moved = new KubeConfig();
  moved.loadFromOptions({
    clusters: kc.clusters.map((c) => ({ ...c, server })),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return moved;
}

export interface ProbedClient extends ListWatchClient {
  /** How many lists each path got. */
  readonly lists: Map<string, number>;
  /** How many watches each path opened. */
  readonly watches: Map<string, number>;
  /** Watches open now (all paths). */
  readonly openWatches: number;
  /** Lists of `path` wait until `release(path)`. */
  hold(path: string): void;
  release(path: string): void;
  /** The next watch of `path` asks for resourceVersion 1 (compacted away: the server answers 410 Gone). */
  staleNextWatch(path: string): void;
}

export function probedClient(config: KubeConfig): ProbedClient {
  const real = listWatchClient(kubeHttp(config));
  const lists = new Map<string, number>();
  const watches = new Map<string, number>();
  const held = new Map<string, { wait: Promise<void>; release: () => void }>();
  const stale = new Set<string>();
  let open = 0;
  const bump = (m: Map<string, number>, path: string): void => {
    m.set(path, (m.get(path) ?? 0) + 1);
  };
  return {
    lists,
    watches,
    get openWatches() {
      return open;
    },
    hold(path) {
      let release = (): void => {};
      const wait = new Promise<void>((done) => {
        release = done;
      });
      held.set(path, { wait, release });
    },
    release(path) {
      held.get(path)?.release();
      held.delete(path);
    },
    staleNextWatch(path) {
      stale.add(path);
    },
    async list(path, signal) {
      bump(lists, path);
      await held.get(path)?.wait;
      return real.list(path, signal);
    },
    async watch(path, resourceVersion, onEvent, signal) {
      bump(watches, path);
      const from = stale.delete(path) ? '1' : resourceVersion;
      open++;
      try {
        return await real.watch(path, from, onEvent, signal);
      } finally {
        open--;
      }
    },
  };
}
