/**
 * @module The one way Palisade reaches a Kubernetes API server: a `KubeConfig` of the official
 * JavaScript client, read from a kubeconfig file (`--kubeconfig`, else `$KUBECONFIG`, else
 * `~/.kube/config`) or, inside a pod, from the service account. Every cluster reader and writer in
 * `io/cluster` is built from the value this returns, so faces never touch the client's loading rules.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export { KubeConfig };

export interface KubeConfigSource {
  /** An explicit kubeconfig file; wins over the environment. */
  readonly kubeconfig?: string;
  /** The process environment (copied once by the composition root). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Where the config came from, for the start-up log line. */
export type KubeConfigOrigin =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'in-cluster' };

export interface LoadedKubeConfig {
  readonly config: KubeConfig;
  readonly origin: KubeConfigOrigin;
  /** The API server's address, for messages. */
  readonly server: string;
}

/** In a pod the API server is announced by these two variables (set by the kubelet). */
function inCluster(env: KubeConfigSource['env']): boolean {
  return env.KUBERNETES_SERVICE_HOST !== undefined && env.KUBERNETES_SERVICE_PORT !== undefined;
}

/**
 * Loads the config, or throws an Error whose message says which file or source failed and why (the
 * caller turns it into one log line and exit code; no stack trace reaches a user).
 */
export function loadKubeConfig(source: KubeConfigSource): LoadedKubeConfig {
  const config = new KubeConfig();
  const fromEnv = source.env.KUBECONFIG?.split(':').find((p) => p !== '');
  const path = source.kubeconfig ?? fromEnv;
  let origin: KubeConfigOrigin;
  if (path !== undefined) {
    if (!existsSync(path)) throw new Error(`kubeconfig ${path}: no such file`);
    origin = { kind: 'file', path };
  } else if (inCluster(source.env)) {
    origin = { kind: 'in-cluster' };
  } else {
    const home = join(source.env.HOME ?? homedir(), '.kube', 'config');
    if (!existsSync(home)) {
      throw new Error(
        'no cluster to connect to: give --kubeconfig FILE, set KUBECONFIG, or run inside a pod (no ~/.kube/config either)',
      );
    }
    origin = { kind: 'file', path: home };
  }
  try {
    if (origin.kind === 'file') config.loadFromFile(origin.path);
    else config.loadFromCluster();
  } catch (err) {
    const where = origin.kind === 'file' ? `kubeconfig ${origin.path}` : 'in-cluster service account';
    throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const cluster = config.getCurrentCluster();
  if (cluster === null) {
    const where = origin.kind === 'file' ? `kubeconfig ${origin.path}` : 'in-cluster service account';
    throw new Error(`${where}: its current context names no cluster`);
  }
  return { config, origin, server: cluster.server };
}
