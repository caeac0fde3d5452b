/**
 * @module One resource through `apply`'s compiled set, and what its rows keep: the same in the
 * command's thread and in its worker threads (apply-workers.ts), so both give the same rows.
 */
import { admit, type Limits } from '../../engine/index.js';
import type { IoDiagnostic } from '../../io/codes.js';
import type { LoadedResource } from '../../io/files/resources.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { generateFailures } from '../../io/report/generate-failures.js';
import type { ReportSummary } from '../../io/report/report-result.js';
import { type OfflineInputs, offlineRequest } from '../../io/requests/offline-request.js';
import { settledSource } from '../../io/yaml/source-map.js';
import { type ApplyResultRow, located } from '../output/apply-report.js';
import { applyRows, generatedResources, mutatedResources, resourceStub } from '../output/apply-rows.js';
import type { GeneratedResource, MutatedResource } from '../output/mutated-output.js';
import type { loadApplyInputs } from './apply-inputs.js';

type Loaded = Awaited<ReturnType<typeof loadApplyInputs>>;

/** What evaluating a resource needs: the compiled set, the request inputs and the runtime. */
export interface ApplyEnv {
  readonly set: Loaded['offline']['set'];
  readonly celPorts: Loaded['offline']['celPorts'];
  readonly inputs: OfflineInputs;
  readonly runtime: { ports: ReturnType<typeof createOfflinePorts>; limits: Partial<Limits> };
  readonly auditWarn: boolean;
}

export function applyEnv(loaded: Loaded, args: { limits: Partial<Limits>; auditWarn: boolean }): ApplyEnv {
  return {
    set: loaded.offline.set,
    celPorts: loaded.offline.celPorts,
    inputs: loaded.inputs,
    runtime: { ports: createOfflinePorts({}), limits: args.limits },
    auditWarn: args.auditWarn,
  };
}

export interface Evaluated {
  readonly rows: ApplyResultRow[];
  readonly mutated: MutatedResource[];
  readonly generated: GeneratedResource[];
  /** Warnings: generate rules that passed without building their resource. */
  readonly notices: IoDiagnostic[];
}

/** Admits one resource as Kyverno's CLI does: its rows (placed in its file), mutated and generated resources. */
export async function evaluateResource(env: ApplyEnv, r: LoadedResource): Promise<Evaluated> {
  const outcome = await admit(env.set, offlineRequest(r.object, env.inputs), env.runtime, {
    profile: 'cli',
    celPorts: env.celPorts,
  });
  return {
    rows: applyRows(outcome.responses, resourceStub(r.object), env.auditWarn, r),
    mutated: mutatedResources(outcome.responses),
    generated: generatedResources(outcome.responses, r.object),
    notices: generateFailures(outcome.responses, r),
  };
}

/**
 * A row as it is kept: a finding's position is placed now, while the document's events are at hand,
 * so the row holds no document. `allPositions` places every row's (the report formats place passes too).
 */
export function placedRow(row: ApplyResultRow, allPositions = false): ApplyResultRow {
  if (row.location === undefined || !(allPositions || located(row))) return row;
  return { ...row, location: settledSource(row.location) };
}

export function emptySummary(): ReportSummary {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}
