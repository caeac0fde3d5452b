/**
 * @module `palisade apply`: applies policies to resource files without a cluster (reference §8.2):
 * load → compile the policy set once → admit each resource as Kyverno's CLI does → render.
 */
import { admit, evaluatePayload } from '../../engine/index.js';
import { removeDuplicates } from '../../io/files/resources.js';
import { resolveOutputTarget, writeOutput } from '../../io/files/write-output.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { summarize } from '../../io/report/report-result.js';
import { offlineRequest } from '../../io/requests/offline-request.js';
import { type CommandContext, type CommandResult, Output } from '../command.js';
import { EXIT_FAILURE, EXIT_INPUT, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { failOnExceeded } from '../fail-on.js';
import { renderApplyRun, renderLoadFailure } from '../output/apply-print.js';
import type { ApplyResultRow } from '../output/apply-report.js';
import { applyRows, generatedResources, mutatedResources } from '../output/apply-rows.js';
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
import { APPLY_HELP, parseApplyArgs } from './apply-args.js';
import { loadApplyInputs } from './apply-inputs.js';
import { readPackage } from './version.js';

export { APPLY_HELP };

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
  const loaded = await loadApplyInputs(a, ctx);
  const { resources, json, exceptionCount, offline, inputs } = loaded;
  const issues = renameStdinDiagnostics(loaded.issues, a.stdinName);
  for (const d of renderDiagnostics(issues)) out.error(d);
  const { invalid, set, celPorts } = offline;
  const problems = inputProblems(issues);
  const options = { color: ctx.color === true, toolVersion: readPackage().version };
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

  // Every document is evaluated, even two with one identity (per-environment folders, overlays); only
  // the fake cluster, which cannot hold both, keeps the first.
  const all = resources.resources;
  const ports = createOfflinePorts({
    clusterObjects: [...removeDuplicates(all).uniques.map((r) => r.object), ...(inputs.targets ?? [])],
    // Mutate-existing rules read their targets from the fake cluster.
    allowClusterReads: a.targetPaths.length > 0,
  });
  const runtime = { ports, limits: a.limits };
  const rows: ApplyResultRow[] = [];
  const mutated: MutatedResource[] = [];
  const generated: GeneratedResource[] = [];
  for (const [index, r] of all.entries()) {
    ctx.progress?.(index, all.length, 'resources');
    const outcome = await admit(set, offlineRequest(r.object, inputs), runtime, { profile: 'cli', celPorts });
    rows.push(...applyRows(outcome.responses, r.object, a.auditWarn, r));
    mutated.push(...mutatedResources(outcome.responses));
    generated.push(...generatedResources(outcome.responses, r.object));
  }
  ctx.progress?.(all.length, all.length, 'resources');
  // JSON payloads: only JSON-mode ValidatingPolicies (and DeletingPolicies) evaluate them, as in Kyverno's CLI.
  for (const payload of json.payloads) {
    const results = evaluatePayload(set, offlineRequest(payload.value, inputs), runtime, { celPorts });
    rows.push(
      ...applyRows(
        results,
        payload.value,
        a.auditWarn,
        { object: payload.value, source: payload.source },
        true,
      ),
    );
  }
  const summary = summarize(rows.map((x) => x.report));
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
    summary,
    mutated,
    generated,
    invalid,
    ruleCount: legacyRules + offline.celCount,
    resourceCount: all.length,
    exceptionCount,
    inputProblems: problems,
  };
  for (const l of renderApplyRun(run, a, options)) out.line(l);
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
