/**
 * @module The server's one policy source, folder or cluster, feeding the PolicyStore. A folder load
 * is all-or-nothing (a broken file keeps the previous set); a cluster load always swaps in the
 * policies that compiled and reports each one left out, once per distinct problem. Either way the
 * store stays not ready until the first set arrives.
 */
import { loadPolicyFolder, type PolicyFolderLoad, watchPolicyFolder } from '../io/policy-folder.js';
import type { Logger } from './log.js';
import { diagnosticFields, type PolicySource, type SourceOptions } from './policy-source.js';
import type { PolicyStore } from './policy-store.js';
import type { PolicySourceConfig } from './serve-args.js';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Swaps in every folder load that compiled; keeps the set otherwise, saying why. */
function onFolderLoad(store: PolicyStore, logger: Logger) {
  return (load: PolicyFolderLoad): void => {
    if (!load.ok) {
      const kept = store.current();
      logger.error(
        kept === undefined
          ? 'policies failed to load; not ready'
          : 'policies failed to load; keeping the previous set',
        {
          ...(kept !== undefined ? { policySet: kept.generation } : {}),
          diagnostics: load.issues.map(diagnosticFields),
        },
      );
      return;
    }
    const loaded = store.swap(load.set, load.policyCount);
    logger.info('policy set loaded', {
      policySet: loaded.generation,
      policies: load.policyCount,
      ...(load.warnings.length > 0 ? { warnings: load.warnings.map(diagnosticFields) } : {}),
    });
  };
}

function folderSource(
  folder: string,
  store: PolicyStore,
  logger: Logger,
  options: SourceOptions,
): PolicySource {
  let watch: ReturnType<typeof watchPolicyFolder> | undefined;
  const onLoad = onFolderLoad(store, logger);
  return {
    description: { source: 'folder', folder },
    async start() {
      try {
        watch = watchPolicyFolder(folder, onLoad, {
          debounceMs: options.debounceMs,
          allowEmpty: options.allowEmpty,
          exceptionGate: options.exceptionGate,
          onError: (m) => logger.error(m),
        });
      } catch (err) {
        logger.error('cannot watch the policy folder; loading it once', { folder, error: message(err) });
        onLoad(
          await loadPolicyFolder(folder, {
            allowEmpty: options.allowEmpty,
            exceptionGate: options.exceptionGate,
          }),
        );
        return;
      }
      await watch.reload();
    },
    close: () => watch?.close(),
  };
}

/** The configured source; rejects with a one-line reason when the cluster's kubeconfig cannot be read. */
export async function openPolicySource(
  config: PolicySourceConfig,
  store: PolicyStore,
  logger: Logger,
  options: SourceOptions,
): Promise<PolicySource> {
  if (config.kind === 'folder') return folderSource(config.folder, store, logger, options);
  // The Kubernetes client is loaded only by a server that talks to a cluster.
  const { clusterSource } = await import('./cluster-policy-source.js');
  return clusterSource(config.kubeconfig, store, logger, options);
}
