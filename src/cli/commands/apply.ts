/**
 * @module `palisade apply`: applies policies to resource files without a cluster (reference §8.2):
 * load → compile the policy set once → admit each resource as Kyverno's CLI does → render.
 */
import { evaluatePayload } from '../../engine/index.js';
import type { IoDiagnostic } from '../../io/codes.js';
import { type ChunkResources, type LoadedResource, removeDuplicates } from '../../io/files/resources.js';
import { SpillFile } from '../../io/files/spill-file.js';
import { resolveOutputTarget, writeOutput } from '../../io/files/write-output.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { offlineRequest } from '../../io/requests/offline-request.js';
import { type CommandContext, type CommandResult, Output } from '../command.js';
import { EXIT_FAILURE, EXIT_INPUT, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { failOnExceeded } from '../fail-on.js';
import {
  printsOnlyViolations,
  renderApplyRun,
  renderLoadFailure,
  streamedOutput,
  streamedTable,
  writesOnlyJson,
} from '../output/apply-print.js';
import { type ApplyResultRow, isViolation, JsonResults, ViolationBlocks } from '../output/apply-report.js';
import { applyRows } from '../output/apply-rows.js';
import { inputProblems, renderDiagnostics } from '../output/diagnostics.js';
import {
  type GeneratedResource,
  type MutatedResource,
  mutatedFiles,
  renderMutatedDocuments,
} from '../output/mutated-output.js';
import { writeReportFiles } from '../output/report-files.js';
import { renameStdinDiagnostics, renameStdinLocations } from '../output/stdin-name.js';
import { applyFindings } from '../output/to-findings.js';
import { APPLY_HELP, type ApplyArgs, parseApplyArgs } from './apply-args.js';
import { applyEnv, emptySummary, evaluateResource, placedRow } from './apply-evaluate.js';
import { loadApplyInputs } from './apply-inputs.js';
import { boundHeapGrowth } from './apply-memory.js';
import { discardPrestarted } from './apply-prestart.js';
import { ApplyWorkers, ChunkedFile, chunking, hasLargeFile, workerCount } from './apply-workers.js';
import { readPackage } from './version.js';

export { APPLY_HELP };

/** The threads reading pieces; `keepRows`: the output reads every row (Kyverno's text only violations). */
function workerPool(threads: number, a: ApplyArgs, keepRows: boolean): ApplyWorkers {
  return new ApplyWorkers(threads, a, {
    keepRows,
    allPositions: a.reportFiles.length > 0 || (a.reportFormat !== undefined && a.reportFormat !== 'table'),
  });
}

/** Takes every item of `stream`, and returns what it returns. */
function drain<T, R, N>(stream: Generator<T, R, N | undefined>, take: (item: T) => void): R {
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return step.value;
    take(step.value);
  }
}

function usage(out: Output, message: string): CommandResult {
  out.error(`Error: ${message}`);
  out.error("Run 'palisade apply --help' for usage.");
  return out.result(EXIT_USAGE);
}

export async function applyCommand(argv: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const out = new Output();
  const parsed = parseApplyArgs(argv);
  if (!parsed.ok) return usage(out, parsed.error);
  if (parsed.help === true) {
    out.line(APPLY_HELP);
    return out.result(EXIT_OK);
  }
  const a = parsed.args;
  boundHeapGrowth();
  // Reading pieces of large files in workers when no rule reads the cluster (see below): started
  // now when a resource file is large, so that they load while the command does.
  const workers = a.targetPaths.length > 0 ? 1 : workerCount(a);
  const early =
    workers > 1 && hasLargeFile(a.resourcePaths)
      ? workerPool(workers, a, !printsOnlyViolations(a))
      : undefined;
  if (early === undefined) discardPrestarted();
  early?.start();
  let loaded: Awaited<ReturnType<typeof loadApplyInputs>>;
  try {
    loaded = await loadApplyInputs(a, ctx);
  } catch (err) {
    await early?.close();
    throw err;
  }
  const { json, exceptionCount, offline, inputs } = loaded;
  const { invalid, set, celPorts } = offline;
  const options = { color: ctx.color === true, toolVersion: readPackage().version };
  const env = applyEnv(loaded, a);
  const { runtime } = env;
  const rows: ApplyResultRow[] = [];
  const mutated: MutatedResource[] = [];
  const generated: GeneratedResource[] = [];
  const summary = emptySummary();
  // Kyverno's text prints only violations: a run in that format keeps their lines, not its rows, and
  // past a megabyte of them keeps them in a temporary file (its header counts every resource).
  const blocks = printsOnlyViolations(a) ? new ViolationBlocks({ spill: () => SpillFile.open() }) : undefined;
  // `-o json` alone reads of rows only its results' text: kept as text, in the same temporary way.
  const jsonResults =
    blocks === undefined && writesOnlyJson(a)
      ? new JsonResults({ spill: () => SpillFile.open() })
      : undefined;
  // The other outputs that only read rows are made as rows come, their texts kept the same way.
  const streamed =
    blocks === undefined && jsonResults === undefined
      ? streamedOutput(a, { spill: () => SpillFile.open(), toolVersion: options.toolVersion })
      : undefined;
  const table =
    blocks === undefined && jsonResults === undefined && streamed === undefined
      ? streamedTable(a, { spill: () => SpillFile.open(), color: options.color })
      : undefined;
  const keepViolation = (placed: ApplyResultRow): void => {
    if (jsonResults !== undefined) jsonResults.add(renameStdinLocations([placed], a.stdinName)[0]!);
    else if (streamed !== undefined) streamed.add(renameStdinLocations([placed], a.stdinName)[0]!);
    else if (table !== undefined) table.add(renameStdinLocations([placed], a.stdinName)[0]!);
    else if (blocks === undefined) rows.push(placed);
    else if (isViolation(placed)) blocks.add(renameStdinLocations([placed], a.stdinName)[0]!);
  };
  const take = (row: ApplyResultRow): void => {
    summary[row.report.result]++;
    // Placed now, while the document's events are at hand; the row then holds no document.
    keepViolation(placedRow(row));
  };
  let resourceCount = 0;
  const notices: IoDiagnostic[] = [];
  const evaluate = async (r: LoadedResource): Promise<void> => {
    ctx.progress?.(resourceCount, undefined, 'resources');
    resourceCount++;
    const done = await evaluateResource(env, r);
    for (const row of done.rows) take(row);
    mutated.push(...done.mutated);
    generated.push(...done.generated);
    notices.push(...done.notices);
  };
  // Nothing is evaluated when an input other than the resources failed to load (its problems are
  // the output), but the resources are still read for theirs.
  const failedEarly = invalid.length === 0 && loaded.issues([]).some((d) => d.severity === 'error');
  let resourceIssues: readonly IoDiagnostic[];
  if ((a.targetPaths.length > 0 || loaded.readsCluster) && !failedEarly) {
    // Mutate-existing rules and apiCall entries read a fake cluster holding every resource and
    // target (Kyverno's apply without --cluster): all are read before any is evaluated. Every
    // document is evaluated, even two with one identity (per-environment folders, overlays); only
    // the fake cluster, which cannot hold both, keeps the first.
    await early?.close();
    const all: LoadedResource[] = [];
    resourceIssues = drain(loaded.resources(), (u) => {
      if ('resource' in u) all.push(u.resource);
    });
    runtime.ports = createOfflinePorts({
      clusterObjects: [...removeDuplicates(all).uniques.map((r) => r.object), ...(inputs.targets ?? [])],
      allowClusterReads: true,
      applyFakeCluster: true,
    });
    for (const r of all) await evaluate(r);
  } else {
    // No rule reads the cluster: each resource is evaluated as it is decoded, and dropped; pieces of
    // large files are read and evaluated by worker threads, their results taken in input order (with
    // one thread, here: a file is then not held whole either).
    if (failedEarly) await early?.close();
    const pool = failedEarly ? undefined : (early ?? workerPool(workers, a, blocks === undefined));
    if (pool !== undefined) pool.env = env;
    const stream = loaded.resources(
      pool !== undefined ? { documents: chunking.documents, minDocuments: chunking.minDocuments } : undefined,
    );
    const file = new ChunkedFile((o) => {
      ctx.progress?.(resourceCount, undefined, 'resources');
      resourceCount += o.read.found;
      if (o.counts !== undefined) {
        for (const k of Object.keys(summary) as (keyof typeof summary)[]) summary[k] += o.counts[k];
        for (const row of o.violations ?? []) blocks!.add(row);
      } else for (const row of o.rows) take(row);
      mutated.push(...o.mutated);
      generated.push(...o.generated);
    });
    try {
      let answer: readonly ChunkResources[] | undefined;
      let step = stream.next();
      for (; step.done !== true; step = stream.next(answer)) {
        answer = undefined;
        const unit = step.value;
        if ('resource' in unit) {
          if (!failedEarly) await evaluate(unit.resource);
        } else if ('chunk' in unit) {
          const placed = pool!.run(unit.chunk, unit.fromFolder);
          await file.add(placed.outcome, pool!.window);
          // A piece read here is finished before the next is cut (the stream is read in one thread).
          if (placed.here) await placed.outcome.catch(() => {});
        } else answer = await file.end();
      }
      resourceIssues = step.value;
    } finally {
      await pool?.close();
    }
  }
  ctx.progress?.(resourceCount, resourceCount, 'resources');
  const issues = renameStdinDiagnostics(loaded.issues([...resourceIssues, ...notices]), a.stdinName);
  for (const d of renderDiagnostics(issues)) out.error(d);
  const problems = inputProblems(issues);
  const loadFailed = issues.some((d) => d.severity === 'error');
  if (loadFailed && invalid.length === 0) {
    // Machine-readable formats still get a document naming what failed: an empty file reads as a clean run.
    for (const l of renderLoadFailure(problems, a, options)) out.line(l);
    for (const e of writeReportFiles(
      a.reportFiles,
      { command: 'apply', findings: [], inputProblems: problems },
      options,
    ))
      out.error(e);
    out.error('Error: inputs could not be loaded');
    return out.result(EXIT_INPUT);
  }
  // JSON payloads: only JSON-mode ValidatingPolicies (and DeletingPolicies) evaluate them, as in Kyverno's CLI.
  for (const payload of json.payloads) {
    const results = evaluatePayload(set, offlineRequest(payload.value, inputs), runtime, { celPorts });
    for (const row of applyRows(
      results,
      payload.value,
      a.auditWarn,
      { object: payload.value, source: payload.source },
      true,
    ))
      take(row);
  }
  summary.error += invalid.length;
  if (a.outputPath !== undefined && mutated.length > 0) {
    const failed = writeOutput(resolveOutputTarget(a.outputPath), {
      file: renderMutatedDocuments(mutated),
      files: mutatedFiles(mutated),
    });
    if (failed !== undefined) {
      out.error(`Error: failed to write mutated resources to ${a.outputPath}: ${failed}`);
      return out.result(EXIT_FAILURE);
    }
  }
  const legacyRules = set.policies
    .filter((p) => p.kind === 'cluster-policy')
    .reduce((n, p) => n + p.ruleCount, 0);
  const shown = renameStdinLocations(rows, a.stdinName);
  const run = {
    rows: shown,
    ...(blocks !== undefined ? { violations: blocks.lines() } : {}),
    ...(jsonResults !== undefined ? { results: jsonResults } : {}),
    ...(streamed !== undefined ? { streamed } : {}),
    ...(table !== undefined ? { table } : {}),
    summary,
    mutated,
    generated,
    invalid,
    ruleCount: legacyRules + offline.celCount,
    resourceCount,
    exceptionCount,
    inputProblems: problems,
  };
  out.lines(renderApplyRun(run, a, options));
  // Findings copy every row: built only when a report file asks for them.
  const reportErrors =
    a.reportFiles.length === 0
      ? []
      : writeReportFiles(a.reportFiles, { ...applyFindings(shown), inputProblems: problems }, options);
  for (const e of reportErrors) out.error(e);
  if (reportErrors.length > 0) return out.result(EXIT_INPUT);
  if (loadFailed || invalid.length > 0) return out.result(EXIT_INPUT);
  if (failOnExceeded(a.failOn, summary)) return out.result(EXIT_FAILURE);
  if (summary.warn > 0 && a.warnExitCode !== 0) return out.result(a.warnExitCode);
  if (summary.pass === 0 && a.warnNoPass) return out.result(a.warnExitCode);
  return out.result(EXIT_OK);
}
