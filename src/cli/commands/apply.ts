/** @module `palisade apply`: applies policies to resource files without a cluster (reference §8.2). */
import { type CompiledPolicy, compilePolicy, type RequestInfo } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../../io/codes.js';
import { loadExceptions, loadPolicies } from '../../io/files/policies.js';
import { getPolicyDecoder } from '../../io/files/policy-decoder.js';
import { loadResources, removeDuplicates } from '../../io/files/resources.js';
import { loadUserInfoFile } from '../../io/files/user-info.js';
import { loadValuesFile, parseSetPairs, type ValuesSpec } from '../../io/files/values.js';
import { STDIN } from '../../io/files/walk.js';
import { resolveOutputTarget, writeOutput } from '../../io/files/write-output.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { buildPolicyReports, summarize, toReportResult } from '../../io/report/report-result.js';
import { locate } from '../../io/yaml/source-map.js';
import { parseCommandArgs, str, strs } from '../args.js';
import { type CommandContext, type CommandResult, Output } from '../command.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { FAIL_ON_VALUES, failOnExceeded, parseFailOn } from '../fail-on.js';
import { applyEmptyInputRule, LIMIT_OPTIONS, limitFlagsHelp, parseLimitFlags } from '../limits-flags.js';
import {
  type ApplyResultRow,
  renderApplyTable,
  renderReports,
  renderStructured,
  renderViolations,
  summaryLine,
} from '../output/apply-report.js';
import { renderDiagnostics } from '../output/diagnostics.js';
import {
  type GeneratedResource,
  type MutatedResource,
  mutatedFiles,
  renderGeneratedText,
  renderMutatedDocuments,
  renderMutatedText,
} from '../output/mutated-output.js';
import { isReportFormat, renderReport } from '../output/render-report.js';
import { applyFindings } from '../output/to-findings.js';
import { prepareCelPolicies } from '../run/evaluate-cel-policies.js';
import { runLegacyPolicies } from '../run/evaluate-resources.js';
import { loadJsonPayloads } from '../run/json-payloads.js';
import { applyRowSource } from '../run/locate-rows.js';
import { readPackage } from './version.js';

export const APPLY_HELP = `Apply policies to resources, without a cluster.

Usage:
  palisade apply <policy file|folder|->... --resource <file|folder|-> [flags]

Examples:
  # apply a policy to a resource file
  palisade apply require-labels.yaml --resource pod.yaml

  # resources from stdin (multi-document YAML), results as a table
  cat pods.yaml | palisade apply ./policies --resource - --table

  # variables from a values file, output as a policy report
  palisade apply policy.yaml -r deploy.yaml -f values.yaml --policy-report

Flags:
  -r, --resource string        resource file or folder, '-' for stdin (repeatable)
      --json string            JSON/YAML payload for JSON-mode ValidatingPolicies (repeatable;
                               not with --resource)
  -f, --values-file string     Values file (cli.kyverno.io/v1alpha1 kind Values)
  -s, --set string             variables as key=value,key2=value2 (repeatable)
  -u, --userinfo string        UserInfo file (roles, clusterRoles, userInfo)
  -e, --exception string       PolicyException file or folder (repeatable)
      --context-file string    Context file (resources and images CEL policies may read)
      --parameter-resource string  ValidatingAdmissionPolicy param objects (repeatable)
      --target-resource string target resources for mutate-existing rules (repeatable)
      --audit-warn             report failures of Audit policies as warnings
  -o, --output string          table | json | yaml | junit | sarif | github | markdown,
                               or a file/folder to write mutated resources to
      --fail-on string         exit 1 on: fail (default) | warn | error | none
  -t, --table                  print results as a table
  -p, --policy-report          print a wgpolicyk8s.io/v1alpha2 policy report
      --detailed-results       add a MESSAGE column to the table
      --warn-exit-code int     exit code when there are warnings and no failures
      --warn-no-pass           use --warn-exit-code when nothing passed
${limitFlagsHelp(31)}
  -h, --help                   help for apply`;

const OPTIONS = {
  'context-file': { type: 'string' },
  'parameter-resource': { type: 'string', multiple: true },
  resource: { type: 'string', short: 'r', multiple: true },
  resources: { type: 'string', multiple: true },
  json: { type: 'string', multiple: true },
  'values-file': { type: 'string', short: 'f' },
  set: { type: 'string', short: 's', multiple: true },
  userinfo: { type: 'string', short: 'u' },
  exception: { type: 'string', short: 'e', multiple: true },
  exceptions: { type: 'string', multiple: true },
  'target-resource': { type: 'string', multiple: true },
  'target-resources': { type: 'string', multiple: true },
  'audit-warn': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  table: { type: 'boolean', short: 't' },
  'policy-report': { type: 'boolean', short: 'p' },
  'detailed-results': { type: 'boolean' },
  'warn-exit-code': { type: 'string' },
  'warn-no-pass': { type: 'boolean' },
  'fail-on': { type: 'string' },
  'remove-color': { type: 'boolean' },
  'continue-on-fail': { type: 'boolean' },
  ...LIMIT_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(out: Output, message: string): CommandResult {
  out.error(`Error: ${message}`);
  out.error("Run 'palisade apply --help' for usage.");
  return out.result(EXIT_USAGE);
}

export async function applyCommand(argv: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const out = new Output();
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usage(out, parsed.error);
  const v = parsed.values;
  if (v.help === true) {
    out.line(APPLY_HELP);
    return out.result(EXIT_OK);
  }
  const policyPaths = parsed.positionals;
  const resourcePaths = [...strs(v.resource), ...strs(v.resources)];
  const format = str(v.output);
  if (policyPaths.length === 0) return usage(out, 'require policy');
  const jsonPaths = strs(v.json);
  if (resourcePaths.length > 0 && jsonPaths.length > 0)
    return usage(out, '--json and --resource cannot be used together');
  if (resourcePaths.length === 0 && jsonPaths.length === 0)
    return usage(out, 'a resource is required (--resource <file|folder|->)');
  if (policyPaths.includes(STDIN) && resourcePaths.includes(STDIN))
    return usage(out, "'-' (stdin) can be used for policies or resources, not both");
  if (str(v['values-file']) !== undefined && strs(v.set).length > 0)
    return usage(out, '--values-file and --set cannot be used together');
  // Anything but json/yaml names the file or folder mutated resources are written to (Kyverno -o).
  const structured = format === 'json' || format === 'yaml' ? format : undefined;
  const reportFormat = isReportFormat(format) || format === 'table' ? format : undefined;
  const outputPath =
    format !== undefined && structured === undefined && reportFormat === undefined ? format : undefined;
  const failOn = parseFailOn(str(v['fail-on']));
  if (failOn === undefined) return usage(out, `--fail-on expects one of ${FAIL_ON_VALUES.join(', ')}`);
  const warnExitCode = str(v['warn-exit-code']) !== undefined ? Number(str(v['warn-exit-code'])) : 0;
  if (!Number.isInteger(warnExitCode)) return usage(out, '--warn-exit-code expects an integer');
  const limitFlags = parseLimitFlags(v);
  if (!limitFlags.ok) return usage(out, limitFlags.error);

  const issues: IoDiagnostic[] = [];
  const decoder = await getPolicyDecoder();
  const pol = loadPolicies(policyPaths, decoder, ctx.stdin);
  issues.push(...pol.issues);
  const res = loadResources(resourcePaths, ctx.stdin);
  issues.push(...res.issues);
  const json = loadJsonPayloads(
    jsonPaths.map((key) => ({ key, file: key })),
    ctx.stdin,
  );
  issues.push(...json.issues);
  const exc = loadExceptions([...strs(v.exception), ...strs(v.exceptions)], decoder, ctx.stdin);
  issues.push(...exc.issues);
  const targetPaths = [...strs(v['target-resource']), ...strs(v['target-resources'])];
  const targets = loadResources(targetPaths, ctx.stdin);
  issues.push(...targets.issues);
  let values: ValuesSpec | undefined;
  const valuesFile = str(v['values-file']);
  if (valuesFile !== undefined) {
    const loaded = loadValuesFile(valuesFile);
    issues.push(...loaded.issues);
    values = loaded.spec;
  }
  const set = parseSetPairs(strs(v.set));
  issues.push(...set.issues);
  let requestInfo: RequestInfo | undefined;
  const userInfoFile = str(v.userinfo);
  if (userInfoFile !== undefined) {
    const u = loadUserInfoFile(userInfoFile);
    issues.push(...u.issues);
    requestInfo = u.info;
  }
  const compiled: CompiledPolicy[] = [];
  const invalid: string[] = [];
  for (const lp of pol.policies) {
    const c = compilePolicy(lp.policy);
    if (c.ok) compiled.push(c.value);
    else {
      invalid.push(lp.policy.metadata.name);
      for (const d of c.issues) issues.push({ ...d, source: d.source ?? locate(lp.source, d.path) });
    }
  }
  const cel = prepareCelPolicies({
    policies: pol.validatingPolicies,
    celKinds: pol,
    paramResources: [...strs(v['parameter-resource'])],
    mutatingPolicies: pol.mutatingPolicies,
    mutatingAdmissionPolicies: pol.mutatingAdmissionPolicies,
    mutatingAdmissionPolicyBindings: pol.mutatingAdmissionPolicyBindings,
    exceptions: [...pol.celExceptions, ...exc.celExceptions].map((e) => e.exception),
    ...(values !== undefined ? { values } : {}),
    setValues: set.values,
    ...(requestInfo !== undefined ? { requestInfo } : {}),
    ...(str(v['context-file']) !== undefined ? { contextFile: str(v['context-file'])! } : {}),
    targetResources: targets.resources.map((r) => r.object),
  });
  issues.push(...cel.issues);
  invalid.push(...cel.invalid);
  for (const u of pol.unsupported)
    issues.push(
      ioDiagnostic('policy/unsupported-kind', `${u.kind} ${u.name}: ${u.reason}`, { severity: 'warning' }),
    );
  applyEmptyInputRule(issues, v);
  for (const d of renderDiagnostics(issues)) out.error(d);
  if (issues.some((d) => d.severity === 'error') && invalid.length === 0) {
    out.error('Error: inputs could not be loaded');
    return out.result(EXIT_FAILURE);
  }

  const { uniques } = removeDuplicates(res.resources);
  const exceptions = exc.exceptions.map((e) => e.exception);
  const ports = createOfflinePorts({
    clusterObjects: [...uniques.map((r) => r.object), ...targets.resources.map((r) => r.object)],
    // Mutate-existing rules read their targets from the fake cluster.
    allowClusterReads: targetPaths.length > 0,
  });
  const auditWarn = v['audit-warn'] === true;
  const rows: ApplyResultRow[] = [];
  const mutated: MutatedResource[] = [];
  const generated: GeneratedResource[] = [];
  for (const [index, r] of uniques.entries()) {
    ctx.progress?.(index, uniques.length, 'resources');
    const legacy = runLegacyPolicies(r.object, {
      policies: compiled,
      ...(values !== undefined ? { values } : {}),
      setValues: set.values,
      ...(requestInfo !== undefined ? { requestInfo } : {}),
      exceptions,
      ports,
      limits: limitFlags.limits,
    });
    // Kyverno's CLI order: the CEL kinds start from what legacy mutate rules left; legacy
    // generate rules run last, on the resource as every mutating policy left it.
    const celRun = cel.run(r.object, undefined, legacy.patched);
    const responses = [...legacy.responses, ...celRun.responses, ...legacy.generate(celRun.patched)];
    for (const er of responses) {
      const { policy } = er.compiled;
      for (const rule of er.response.rules) {
        const report = toReportResult(
          policy,
          er.compiled.key,
          er.response.resource,
          er.response,
          rule,
          auditWarn,
        );
        rows.push({
          policy: er.compiled.key,
          ...(er.compiled.namespace !== undefined ? { policyNamespace: er.compiled.namespace } : {}),
          rule: rule.name,
          ruleType: rule.type,
          resource: r.object,
          status: report.result,
          message: rule.message,
          auditWarning:
            auditWarn && er.response.validationFailureAction === 'Audit' && rule.status === 'fail',
          report,
          ...applyRowSource(r, rule, policy.metadata.annotations),
        });
      }
      const passed = er.response.rules.filter((x) => x.type === 'Mutation' && x.status === 'pass');
      if (passed.some((x) => x.patchedTargets === undefined))
        mutated.push({ policy: er.compiled.key, resource: er.response.patchedResource });
      for (const t of passed.flatMap((x) => x.patchedTargets ?? []))
        mutated.push({ policy: er.compiled.key, resource: t });
      for (const g of er.response.rules.flatMap((x) =>
        x.type === 'Generation' ? (x.generatedResources ?? []) : [],
      ))
        generated.push({ policy: er.compiled.key, trigger: r.object, resource: g });
    }
  }
  ctx.progress?.(uniques.length, uniques.length, 'resources');
  // JSON payloads: only JSON-mode ValidatingPolicies evaluate them (Kyverno's CLI skips the rest).
  for (const payload of json.payloads) {
    for (const er of cel.evaluateJson(payload.value)) {
      for (const rule of er.response.rules) {
        const report = toReportResult(
          er.compiled.policy,
          er.compiled.key,
          payload.value,
          er.response,
          rule,
          auditWarn,
        );
        rows.push({
          policy: er.compiled.key,
          rule: rule.name,
          ruleType: rule.type,
          resource: payload.value,
          status: report.result,
          message: rule.message,
          auditWarning:
            auditWarn && er.response.validationFailureAction === 'Audit' && rule.status === 'fail',
          report,
        });
      }
    }
  }
  const summary = summarize(rows.map((x) => x.report));
  summary.error += invalid.length;
  const outFormat = structured === 'json' ? 'json' : 'yaml';
  if (outputPath !== undefined && mutated.length > 0) {
    const failed = writeOutput(resolveOutputTarget(outputPath), {
      file: renderMutatedDocuments(mutated),
      files: mutatedFiles(mutated),
    });
    if (failed !== undefined) {
      out.error(`Error: failed to write mutated resources to ${outputPath}: ${failed}`);
      return out.result(EXIT_FAILURE);
    }
  }
  if (reportFormat !== undefined && reportFormat !== 'table') {
    out.line(renderReport(reportFormat, applyFindings(rows), { toolVersion: readPackage().version }));
  } else if (v['policy-report'] === true) {
    const reports = buildPolicyReports(
      rows.map((x) => ({
        ...(x.policyNamespace !== undefined ? { namespace: x.policyNamespace } : {}),
        result: x.report,
      })),
    );
    out.line(renderReports(reports, outFormat));
  } else if (structured !== undefined) {
    out.line(renderStructured(rows, summary, outFormat));
  } else {
    const ruleCount = compiled.reduce((n, c) => n + c.rules.length, 0) + cel.count;
    const withExc = exceptions.length > 0 ? ` with ${exceptions.length} exception(s)` : '';
    out.line(`\nApplying ${ruleCount} policy rule(s) to ${uniques.length} resource(s)${withExc}...`);
    if (invalid.length > 0) {
      out.line(
        '----------------------------------------------------------------------\nPolicies Skipped (as required variables are not provided by the user or policies are invalid):',
      );
      for (const [i, name] of invalid.entries()) out.line(`${i + 1}. ${name}`);
      out.line('----------------------------------------------------------------------');
    }
    if (outputPath === undefined) for (const l of renderMutatedText(mutated)) out.line(l);
    for (const l of renderGeneratedText(generated)) out.line(l);
    if (v.table === true || reportFormat === 'table')
      out.line(renderApplyTable(rows, v['detailed-results'] === true, ctx.color === true));
    else for (const l of renderViolations(rows)) out.line(l);
    out.line(`\n${summaryLine(summary)}`);
  }
  if (invalid.length > 0 || failOnExceeded(failOn, summary)) return out.result(EXIT_FAILURE);
  if (summary.warn > 0 && warnExitCode !== 0) return out.result(warnExitCode);
  if (summary.pass === 0 && v['warn-no-pass'] === true) return out.result(warnExitCode);
  return out.result(EXIT_OK);
}
