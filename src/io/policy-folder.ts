/**
 * @module A folder of policy files as one compiled set, for a long-running server: every document
 * loaded and compiled, or nothing at all. A folder with any error yields no set, so that a typo can
 * never silently drop an Enforce policy from a running webhook; the caller keeps the set it had.
 */
import type { ExceptionAdmissionGate, PolicySet } from '../engine/index.js';
import { CoalescedRuns } from './coalesced-runs.js';
import type { IoDiagnostic } from './codes.js';
import { compileLoadedPolicies } from './compile-policies.js';
import { loadPolicies } from './files/policies.js';
import { getPolicyDecoder } from './files/policy-decoder.js';
import { type WatchFolderOptions, watchFolder } from './files/watch-folder.js';

export type PolicyFolderLoad =
  | {
      readonly ok: true;
      readonly set: PolicySet;
      /** Policy documents compiled (exceptions and bindings not counted). */
      readonly policyCount: number;
      readonly warnings: readonly IoDiagnostic[];
    }
  | { readonly ok: false; readonly issues: readonly IoDiagnostic[] };

export interface PolicyFolderOptions {
  /** A folder holding no YAML document is an empty set rather than an error. */
  readonly allowEmpty?: boolean;
  /** The admission gate for PolicyExceptions (serve's flags); absent: every exception is bound. */
  readonly exceptionGate?: ExceptionAdmissionGate;
}

/** Loads and compiles every policy below `folder`. Never throws. */
export async function loadPolicyFolder(
  folder: string,
  options: PolicyFolderOptions = {},
): Promise<PolicyFolderLoad> {
  const decoder = await getPolicyDecoder();
  const loaded = loadPolicies([folder], decoder);
  const compiled = compileLoadedPolicies(loaded, options.exceptionGate);
  const issues = compiled.issues.map((d) =>
    d.code === 'input/empty' && options.allowEmpty !== true ? { ...d, severity: 'error' as const } : d,
  );
  if (issues.some((d) => d.severity === 'error')) return { ok: false, issues };
  return { ok: true, set: compiled.set, policyCount: compiled.policyCount, warnings: issues };
}

export interface PolicyFolderWatch {
  /** Loads the folder now, in turn with the reloads changes trigger; resolves once it is handed over. */
  reload(): Promise<void>;
  close(): void;
}

/**
 * Reloads `folder` after every burst of changes and hands each load to `onLoad`. Loads never overlap
 * and run in order: a change during a load queues one more after it (changes while one is queued join
 * it). Throws if the folder cannot be watched.
 */
export function watchPolicyFolder(
  folder: string,
  onLoad: (load: PolicyFolderLoad) => void,
  options: PolicyFolderOptions & WatchFolderOptions,
): PolicyFolderWatch {
  let closed = false;
  const loads = new CoalescedRuns(async () => {
    if (closed) return;
    try {
      const load = await loadPolicyFolder(folder, options);
      if (!closed) onLoad(load);
    } catch (err) {
      options.onError?.(`reloading ${folder} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const watch = watchFolder(folder, () => void loads.request(), options);
  return {
    reload: () => loads.request(),
    close() {
      closed = true;
      watch.close();
    },
  };
}
