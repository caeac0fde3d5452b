/** @module The reports controller wired to the cluster from the background context (main.ts). */

import type { KubeObject } from '../../engine/index.js';
import type { BackgroundContext } from '../../io/background.js';
import { discoverResources } from '../../io/cluster/discovery.js';
import { isNotFound } from '../../io/cluster/kube-rest.js';
import { createLivePorts } from '../../io/cluster/live-ports.js';
import { pagedList, reportStore } from '../../io/cluster/report-store.js';
import { createReportsController, type ReportsController } from './controller.js';

/** The controller, or undefined when the context asks for no reports. */
export function startReports(context: BackgroundContext): ReportsController | undefined {
  const config = context.reports;
  if (config === undefined) return undefined;
  const { rest } = context;
  return createReportsController({
    reports: reportStore(rest, config.api),
    list: (path) => pagedList(rest, path),
    getNamespace: async (name) => {
      try {
        return await rest.get<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(name)}`);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    discover: () => discoverResources(rest),
    ports: createLivePorts({ kubeConfig: context.kubeConfig }),
    policies: context.policies,
    filters: config.filters,
    logger: context.logger,
    intervalMs: config.scanIntervalMs,
    changePollMs: context.resyncMs,
  });
}
