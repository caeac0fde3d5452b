/**
 * @module The reports controller (Kyverno's reports controller, reference §9.3), on the leader only.
 * A *full pass* scans every object of every kind a background policy may match (scan-targets.ts)
 * and writes one report per resource (resource-report.ts), then deletes the managed reports no
 * scanned resource produced (results of deleted policies, kinds no longer matched, resources that
 * became disabled); it runs at leadership, when the served policy set changes, and every
 * `--background-scan-interval`. Between them, a *change pass* every `changePollMs` lists the same
 * kinds and scans only objects whose resourceVersion moved (polling stands in for watches). Reports
 * of deleted resources go with them (ownerReferences, the garbage collector). Names are the
 * resources' UIDs and a report is replaced only when its results changed (timestamps aside), so a
 * new leader rewrites nothing and never duplicates.
 *
 * Memory: lists are read a page at a time (one page of bodies held at once); what is remembered
 * between passes is, per scanned resource, its UID and resourceVersion.
 */
import { setMaxListeners } from 'node:events';
import {
  type AsyncPorts,
  isFilteredRequest,
  type KubeObject,
  type PolicySet,
  type ResourceFilter,
  scan,
} from '../../engine/index.js';
import { abortableSleep as sleep } from '../../io/abortable-sleep.js';
import type { BackgroundLogger } from '../../io/background.js';
import type { AdmissionRecordStore } from '../../io/cluster/admission-records.js';
import type { Discovery } from '../../io/cluster/discovery.js';
import { isConflict, isNotFound } from '../../io/cluster/kube-rest.js';
import type { ReportStore } from '../../io/cluster/report-store.js';
import type { EventSink } from '../../io/events/event-info.js';
import { scanEvents } from '../../io/events/policy-events.js';
import {
  buildResourceReport,
  keepTimestamps,
  REPORTS_DISABLED_LABEL,
  type ResourceReportResult,
  reportedResource,
  reportResultsOf,
  sameResults,
} from '../../io/report/resource-report.js';
import { admissionOnlyPolicies } from './admission.js';
import { type ScanTarget, scanTargets } from './scan-targets.js';

const SCAN_TIMEOUT_MS = 30_000;
const DISCOVERY_TTL_MS = 60_000;

export interface ReportsControllerOptions {
  readonly reports: ReportStore;
  /** Pages of one collection path (io/cluster/report-store.ts pagedList over the cluster). */
  readonly list: (path: string) => AsyncIterable<readonly KubeObject[]>;
  readonly getNamespace: (name: string) => Promise<KubeObject | undefined>;
  readonly discover: () => Promise<Discovery>;
  /** The ports policies read the cluster through while scanning (apiCall, resource library). */
  readonly ports: AsyncPorts;
  readonly policies: () => PolicySet | undefined;
  readonly filters: readonly ResourceFilter[];
  readonly logger: BackgroundLogger;
  /** Full rescan period (`--background-scan-interval`, Kyverno's default 1h). */
  readonly intervalMs: number;
  /** How often objects are listed for changes (default 10 s). */
  readonly changePollMs?: number;
  /** Scans and writes in flight at once (default 8). */
  readonly concurrency?: number;
  /** Seconds since the epoch (tests). */
  readonly nowSeconds?: () => number;
  /** Kyverno's kyverno-scan events: each scan's violations (and, unless omitted, passes and exceptions). */
  readonly events?: EventSink;
  /** Admission results of background-off policies, merged into the reports (admission.ts). */
  readonly admission?: {
    readonly records: AdmissionRecordStore;
    readonly getObject: (
      apiVersion: string,
      kind: string,
      namespace: string | undefined,
      name: string,
    ) => Promise<KubeObject | undefined>;
    /** How long a record waits for its resource to be stored (default 60 s). */
    readonly graceMs?: number;
  };
}

export interface PassStats {
  scanned: number;
  unchanged: number;
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
}

export interface ReportsController {
  lead(signal: AbortSignal): Promise<void>;
  /** One pass now (tests, the benchmark): full, or changes only (full anyway after a policy change). */
  pass(full: boolean, signal: AbortSignal): Promise<PassStats & { readonly complete: boolean }>;
}

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Runs `work` with a signal that aborts with `parent` or after `ms`, and lets go of both when it
 * ends: tens of thousands of scans must not leave a listener each on the leadership signal or a
 * timer each running (AbortSignal.any and AbortSignal.timeout keep theirs until they fire).
 */
async function withDeadline<T>(
  parent: AbortSignal,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(`scan took more than ${ms} ms`)), ms);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
  }
}

type StoredResult = Partial<ResourceReportResult>;
const resultKey = (r: StoredResult): string => `${r.source}\n${r.policy}\n${r.rule}`;

/** Stored admission results still wanted: their policy is in the set, with background off. */
function liveAdmissionResults(set: PolicySet, stored: readonly unknown[]): StoredResult[] {
  const only = admissionOnlyPolicies(set);
  return (stored as StoredResult[]).filter(
    (r) => r?.properties?.process === 'admission review' && only.has(String(r.policy)),
  );
}

export function createReportsController(options: ReportsControllerOptions): ReportsController {
  const { reports, logger } = options;
  const concurrency = options.concurrency ?? 8;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  /** uid → resourceVersion at its last scan, with the policy set it was scanned with. */
  let scannedAt = new Map<string, string>();
  let scannedWith: PolicySet | undefined;
  let discovery: { at: number; value: Discovery } | undefined;
  let saidMissing = false;

  const discover = async (): Promise<Discovery> => {
    if (discovery === undefined || performance.now() - discovery.at > DISCOVERY_TTL_MS)
      discovery = { at: performance.now(), value: await options.discover() };
    return discovery.value;
  };

  /** Scans one object and brings its report in line; answers what it did. */
  const reconcile = async (
    set: PolicySet,
    object: KubeObject,
    namespaces: Map<string, Promise<KubeObject | null>>,
    signal: AbortSignal,
    admitted: readonly ResourceReportResult[] = [],
  ): Promise<keyof PassStats> => {
    const resource = reportedResource(object);
    if (resource === undefined) return 'skipped';
    let namespaceObject: KubeObject | null = null;
    if (resource.namespace !== undefined) {
      let ns = namespaces.get(resource.namespace);
      if (ns === undefined) {
        ns = options.getNamespace(resource.namespace).then((o) => o ?? null);
        namespaces.set(resource.namespace, ns);
      }
      namespaceObject = await ns;
    }
    const outcome = await withDeadline(signal, SCAN_TIMEOUT_MS, (evaluation) =>
      scan(set, object, { asyncPorts: options.ports, signal: evaluation }, { namespaceObject }),
    );
    if (!signal.aborted) options.events?.add(...scanEvents(outcome.results));
    const scanned = reportResultsOf(outcome.results, 'background scan', nowSeconds());
    const stored = await reports.get(resource.namespace, resource.uid);
    // Admission results (background-off policies) are kept until newer ones of the same rule come.
    const fromAdmission = new Map<string, ResourceReportResult>();
    for (const r of liveAdmissionResults(set, [...(stored?.results ?? []), ...admitted]))
      fromAdmission.set(resultKey(r), r as ResourceReportResult);
    const fresh = [...scanned, ...fromAdmission.values()];
    if (signal.aborted) return 'skipped'; // leadership lost: write nothing more
    if (fresh.length === 0) {
      if (stored === undefined) return 'unchanged';
      await reports.delete(resource.namespace, resource.uid);
      return 'deleted';
    }
    const results = keepTimestamps(fresh, stored?.results ?? []);
    const desired = buildResourceReport(reports.api, resource, results);
    if (stored === undefined) {
      await reports.create(desired);
      return 'created';
    }
    if (sameResults(stored.results ?? [], desired.results)) return 'unchanged';
    const version = stored.metadata?.resourceVersion;
    await reports.replace({
      ...desired,
      metadata: { ...desired.metadata, ...(typeof version === 'string' ? { resourceVersion: version } : {}) },
    });
    return 'updated';
  };

  const disabled = (o: KubeObject): boolean => {
    const labels = (o.metadata?.labels ?? {}) as Record<string, unknown>;
    return Object.hasOwn(labels, REPORTS_DISABLED_LABEL);
  };

  const filtered = (target: ScanTarget, o: KubeObject): boolean => {
    const [group, version] = target.apiVersion.includes('/')
      ? (target.apiVersion.split('/') as [string, string])
      : ['', target.apiVersion];
    return isFilteredRequest(options.filters, {
      kind: { group, version, kind: target.kind },
      namespace: String(o.metadata?.namespace ?? ''),
      name: String(o.metadata?.name ?? ''),
    });
  };

  /**
   * Removes the managed reports whose resource this full pass did not report on (but for those that
   * hold admission results still wanted: their kind may not be scanned at all).
   */
  const collect = async (
    set: PolicySet,
    visited: ReadonlySet<string>,
    signal: AbortSignal,
  ): Promise<number> => {
    let deleted = 0;
    for (const scope of ['namespaced', 'cluster'] as const)
      for await (const page of reports.pages(scope)) {
        const stale = page.filter(
          (r) =>
            !visited.has(String(r.metadata?.name)) && liveAdmissionResults(set, r.results ?? []).length === 0,
        );
        for (const r of stale) {
          if (signal.aborted) return deleted;
          const ns = r.metadata?.namespace;
          await reports.delete(
            typeof ns === 'string' && ns !== '' ? ns : undefined,
            String(r.metadata?.name),
          );
          deleted++;
        }
      }
    return deleted;
  };

  /** Merges the admission records into their resources' reports, then deletes them. */
  const mergeAdmissions = async (
    set: PolicySet,
    namespaces: Map<string, Promise<KubeObject | null>>,
    stats: PassStats,
    signal: AbortSignal,
  ): Promise<void> => {
    const admission = options.admission;
    if (admission === undefined) return;
    for (const { name, record, createdAt } of await admission.records.list()) {
      if (signal.aborted) return;
      const r = record.resource;
      try {
        const object = await admission.getObject(r.apiVersion, r.kind, r.namespace, r.name);
        if (object === undefined) {
          // Admitted but not stored yet, or denied by another webhook: wait a little, then drop it.
          if (Date.now() - createdAt < (admission.graceMs ?? 60_000)) continue;
        } else if (!disabled(object)) {
          const what = await reconcile(
            set,
            { apiVersion: r.apiVersion, kind: r.kind, ...object },
            namespaces,
            signal,
            record.results,
          );
          stats[what]++;
        }
        if (!signal.aborted) await admission.records.remove(name);
      } catch (err) {
        logger.warn('admission results not merged; retrying', {
          resource: `${r.kind}/${r.namespace ?? ''}/${r.name}`,
          error: text(err),
        });
      }
    }
  };

  const pass = async (full: boolean, signal: AbortSignal): Promise<PassStats & { complete: boolean }> => {
    const stats: PassStats = { scanned: 0, unchanged: 0, created: 0, updated: 0, deleted: 0, skipped: 0 };
    const set = options.policies();
    if (set === undefined) return { ...stats, complete: false };
    if (!(await reports.served())) {
      if (!saidMissing)
        logger.warn('the policy report CRDs are not installed: no reports are written', { api: reports.api });
      saidMissing = true;
      return { ...stats, complete: false };
    }
    saidMissing = false;
    const namespaces = new Map<string, Promise<KubeObject | null>>();
    if (options.admission !== undefined) await mergeAdmissions(set, namespaces, stats, signal);
    // A new policy set is scanned fully whatever was asked: every result may have changed.
    const complete = full || set !== scannedWith;
    const targets = scanTargets(set, (await discover()).resources, options.filters);
    const seen = new Map<string, string>();
    let listedAll = true;
    for (const target of targets) {
      try {
        for await (const page of options.list(target.path)) {
          const work: KubeObject[] = [];
          for (const raw of page) {
            const o: KubeObject = { apiVersion: target.apiVersion, kind: target.kind, ...raw };
            const uid = String(o.metadata?.uid ?? '');
            const version = String(o.metadata?.resourceVersion ?? '');
            // Seen already in this pass: the list started again (an expired continue token).
            if (seen.has(uid)) continue;
            if (disabled(o) || filtered(target, o)) {
              stats.skipped++;
              continue;
            }
            seen.set(uid, version);
            if (!complete && scannedAt.get(uid) === version) continue;
            work.push(o);
          }
          // A few objects at a time: the page's bodies are let go once it is done.
          for (let i = 0; i < work.length; i += concurrency) {
            if (signal.aborted) return { ...stats, complete: false };
            const outcomes = await Promise.all(
              work.slice(i, i + concurrency).map((o) =>
                reconcile(set, o, namespaces, signal).catch((err: unknown) => {
                  // A conflict or a transient error: forget the version, the next pass tries again.
                  seen.delete(String(o.metadata?.uid ?? ''));
                  if (!isConflict(err))
                    logger.warn('report not written', {
                      resource: `${target.kind}/${String(o.metadata?.namespace ?? '')}/${String(o.metadata?.name ?? '')}`,
                      error: text(err),
                    });
                  return 'skipped' as const;
                }),
              ),
            );
            for (const what of outcomes) {
              stats.scanned++;
              stats[what]++;
            }
          }
        }
      } catch (err) {
        // Not listable (405), not served any more (404), or forbidden: the next pass lists it again.
        listedAll = false;
        if (!isNotFound(err))
          logger.warn('background scan could not list', { resource: target.path, error: text(err) });
      }
    }
    if (signal.aborted) return { ...stats, complete: false };
    if (complete && listedAll) stats.deleted += await collect(set, new Set(seen.keys()), signal);
    // What is remembered is what exists now: deleted resources are forgotten.
    if (complete || listedAll) scannedAt = seen;
    else for (const [uid, v] of seen) scannedAt.set(uid, v);
    if (complete) scannedWith = set;
    return { ...stats, complete };
  };

  return {
    pass,
    async lead(signal) {
      logger.info('reports controller started', { intervalMs: options.intervalMs });
      scannedAt = new Map();
      scannedWith = undefined;
      let fullAt = Number.NEGATIVE_INFINITY;
      const pollMs = options.changePollMs ?? 10_000;
      while (!signal.aborted) {
        const full = performance.now() - fullAt >= options.intervalMs;
        const started = performance.now();
        try {
          const { complete, ...stats } = await pass(full, signal);
          if (complete) fullAt = started;
          if (complete || stats.created + stats.updated + stats.deleted > 0)
            logger.info(complete ? 'background scan' : 'background scan of changes', {
              ...stats,
              ms: Math.round(performance.now() - started),
            });
        } catch (err) {
          logger.warn('background scan failed; retrying', { error: text(err) });
        }
        await sleep(pollMs, signal);
      }
      logger.info('reports controller stopped');
    },
  };
}
