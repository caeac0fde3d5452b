/** @module The reports controller wired to the cluster from the background context (main.ts). */

import type { AsyncPorts, KubeObject } from '../../engine/index.js';
import type { BackgroundContext } from '../../io/background.js';
import { configMapAdmissionRecords } from '../../io/cluster/admission-records.js';
import { clusterObjects } from '../../io/cluster/cluster-objects.js';
import { discoverResources } from '../../io/cluster/discovery.js';
import { isNotFound } from '../../io/cluster/kube-rest.js';
import { pagedList, reportStore } from '../../io/cluster/report-store.js';
import { type AdmissionRecorder, admissionRecorder } from './admission.js';
import { createReportsController, type ReportsController } from './controller.js';

export interface Reports {
  /** On the leader: scans and writes the reports. */
  readonly controller: ReportsController;
  /** On every replica: records admission results for the leader. */
  readonly recorder: AdmissionRecorder;
}

/** The controller and the recorder, or undefined when the context asks for no reports. */
export function startReports(context: BackgroundContext, ports: AsyncPorts): Reports | undefined {
  const config = context.reports;
  if (config === undefined) return undefined;
  const { rest } = context;
  const records = configMapAdmissionRecords(rest, context.namespace);
  const objects = clusterObjects(rest);
  const recorder = admissionRecorder({ records, policies: context.policies, logger: context.logger });
  const controller = createReportsController({
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
    ports,
    policies: context.policies,
    filters: config.filters,
    logger: context.logger,
    intervalMs: config.scanIntervalMs,
    changePollMs: context.resyncMs,
    ...(context.events !== undefined ? { events: context.events } : {}),
    admission: { records, getObject: (...a) => objects.get(...a) },
  });
  return { controller, recorder };
}
