/** @module `palisade apply` arguments: help text, flags, and their checks (usage errors as values). */
import type { Limits } from '../../engine/index.js';
import { STDIN } from '../../io/files/walk.js';
import { parseCommandArgs, str, strs } from '../../io/flags/args.js';
import { closest } from '../../io/flags/did-you-mean.js';
import { LIMIT_OPTIONS, limitFlagsHelp, parseLimitFlags } from '../../io/flags/limits-flags.js';
import { FAIL_ON_VALUES, type FailOn, parseFailOn } from '../fail-on.js';
import { isReportFormat, type ReportFormat } from '../output/render-report.js';
import { parseReportFiles, type ReportFile } from '../output/report-files.js';

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

  # a repository's manifests by glob (quoted, so the shell does not expand it), minus some
  palisade apply policies/ -r 'deploy/**/*.yaml' --exclude 'kustomization.yaml' --exclude 'charts/**'

Flags:
  -r, --resource string        resource file, folder or glob ('dir/**/*.yaml'), '-' for stdin
                               (repeatable). Folders: YAML that is not a Kubernetes object and
                               Helm chart folders are skipped with a notice
      --stdin-name string      the file name findings from stdin ('-') are reported under
                               (annotations and SARIF point at it; default <stdin>)
      --exclude string         skip files and folders: a name or glob ('*.tmpl.yaml', 'vendor'),
                               or a path glob ('charts/**') (repeatable)
      --json string            JSON/YAML payload for JSON-mode ValidatingPolicies (repeatable;
                               not with --resource)
  -f, --values-file string     Values file (cli.kyverno.io/v1alpha1 kind Values)
  -s, --set string             variables as key=value,key2=value2 (repeatable)
  -u, --userinfo string        UserInfo file (roles, clusterRoles, userInfo)
  -e, --exception string       PolicyException file or folder (repeatable)
      --exceptions-within-policies  also bind the PolicyExceptions found among the policies
      --context-file string    Context file (resources and images CEL policies may read)
      --parameter-resource string  ValidatingAdmissionPolicy param objects (repeatable)
      --target-resource string target resources for mutate-existing rules (repeatable)
      --crd-paths string       CRD files whose schemas type MutatingPolicy ApplyConfiguration
                               patches of custom resources (repeatable or comma-separated; as
                               in Kyverno, every CRD in the folder of each path is read)
      --audit-warn             report failures of Audit policies as warnings
  -o, --output string          table | json | yaml | junit | sarif | github | markdown,
                               or (as in Kyverno) a file/folder to write mutated resources to
      --mutated-output string  file or folder to write mutated resources to (with any -o format)
      --report format=file     also write junit | sarif | github | markdown to a file from the
                               same run, e.g. --report sarif=palisade.sarif (repeatable)
      --fail-on string         exit 1 on: fail (default) | warn | error | none
  -t, --table                  print results as a table
  -p, --policy-report          print a wgpolicyk8s.io/v1alpha2 policy report
      --detailed-results       add a MESSAGE column to the table
      --warn-exit-code int     exit code when there are warnings and no failures
      --warn-no-pass           use --warn-exit-code when nothing passed
      --workers int            threads that read and evaluate resource files of 500 documents
                               or more, output unchanged (default: one per core; 1: none)
${limitFlagsHelp(31)}
  -h, --help                   help for apply`;

const OPTIONS = {
  'context-file': { type: 'string' },
  'parameter-resource': { type: 'string', multiple: true },
  resource: { type: 'string', short: 'r', multiple: true },
  resources: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'stdin-name': { type: 'string' },
  json: { type: 'string', multiple: true },
  'values-file': { type: 'string', short: 'f' },
  set: { type: 'string', short: 's', multiple: true },
  userinfo: { type: 'string', short: 'u' },
  exception: { type: 'string', short: 'e', multiple: true },
  exceptions: { type: 'string', multiple: true },
  'exceptions-within-policies': { type: 'boolean' },
  'target-resource': { type: 'string', multiple: true },
  'target-resources': { type: 'string', multiple: true },
  'crd-paths': { type: 'string', multiple: true },
  'crd-path': { type: 'string', multiple: true },
  'audit-warn': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  'mutated-output': { type: 'string' },
  report: { type: 'string', multiple: true },
  table: { type: 'boolean', short: 't' },
  'policy-report': { type: 'boolean', short: 'p' },
  'detailed-results': { type: 'boolean' },
  'warn-exit-code': { type: 'string' },
  'warn-no-pass': { type: 'boolean' },
  'fail-on': { type: 'string' },
  'remove-color': { type: 'boolean' },
  'continue-on-fail': { type: 'boolean' },
  workers: { type: 'string' },
  ...LIMIT_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ApplyArgs {
  readonly policyPaths: readonly string[];
  readonly resourcePaths: readonly string[];
  /** `--exclude` patterns, applied to folder walks and globs of policies and resources. */
  readonly exclude: readonly string[];
  readonly jsonPaths: readonly string[];
  readonly exceptionPaths: readonly string[];
  /** `--exceptions-within-policies`: PolicyExceptions in the policy files are bound too (Kyverno ignores them otherwise). */
  readonly exceptionsWithinPolicies: boolean;
  readonly targetPaths: readonly string[];
  readonly paramResources: readonly string[];
  /** `--crd-paths` (and Kyverno's deprecated `--crd-path`): CRD files typing ApplyConfiguration patches. */
  readonly crdPaths: readonly string[];
  readonly valuesFile?: string;
  readonly set: readonly string[];
  readonly userInfoFile?: string;
  readonly contextFile?: string;
  readonly auditWarn: boolean;
  /** json | yaml output of the results. */
  readonly structured?: 'json' | 'yaml';
  readonly reportFormat?: ReportFormat | 'table';
  /** File or folder mutated resources are written to (any other `-o` value, as Kyverno's). */
  readonly outputPath?: string;
  /** `--report FORMAT=FILE`: more formats written from the same run. */
  readonly reportFiles: readonly ReportFile[];
  readonly failOn: FailOn;
  readonly warnExitCode: number;
  readonly warnNoPass: boolean;
  readonly table: boolean;
  readonly policyReport: boolean;
  readonly detailed: boolean;
  /** Evaluation limits given on the command line (docs/limits.md). */
  readonly limits: Partial<Limits>;
  /** `--allow-empty`: no input document is a warning, not an error. */
  readonly allowEmpty: boolean;
  /** `--stdin-name`: the file name findings from stdin are reported under. */
  readonly stdinName?: string;
  /** `--workers N`: threads that read and evaluate large resource files (1: none; default: one per core). */
  readonly workers?: number;
}

export type ParsedApplyArgs =
  | { readonly ok: true; readonly help: true }
  | { readonly ok: true; readonly help?: false; readonly args: ApplyArgs }
  | { readonly ok: false; readonly error: string };

/** Parses and checks the flags; never throws. */
export function parseApplyArgs(argv: readonly string[]): ParsedApplyArgs {
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return parsed;
  const v = parsed.values;
  if (v.help === true) return { ok: true, help: true };
  const policyPaths = parsed.positionals;
  const resourcePaths = [...strs(v.resource), ...strs(v.resources)];
  const jsonPaths = strs(v.json);
  const format = str(v.output);
  const fail = (error: string): ParsedApplyArgs => ({ ok: false, error });
  if (policyPaths.length === 0) return fail('require policy');
  if (resourcePaths.length > 0 && jsonPaths.length > 0)
    return fail('--json and --resource cannot be used together');
  if (resourcePaths.length === 0 && jsonPaths.length === 0)
    return fail('a resource is required (--resource <file|folder|->)');
  if (policyPaths.includes(STDIN) && resourcePaths.includes(STDIN))
    return fail("'-' (stdin) can be used for policies or resources, not both");
  const stdinName = str(v['stdin-name']);
  if (stdinName !== undefined && !resourcePaths.includes(STDIN) && !policyPaths.includes(STDIN))
    return fail("--stdin-name names standard input: give '-' as a policy or --resource");
  if (stdinName !== undefined && stdinName.trim() === '') return fail('--stdin-name expects a file name');
  if (str(v['values-file']) !== undefined && strs(v.set).length > 0)
    return fail('--values-file and --set cannot be used together');
  const structured = format === 'json' || format === 'yaml' ? format : undefined;
  const formatTypo = format !== undefined ? outputFormatTypo(format) : undefined;
  if (formatTypo !== undefined) return fail(formatTypo);
  const mutatedOutput = str(v['mutated-output']);
  const reportFormat = isReportFormat(format) || format === 'table' ? format : undefined;
  const reportFiles = parseReportFiles(strs(v.report));
  if (!reportFiles.ok) return fail(reportFiles.error);
  const failOn = parseFailOn(str(v['fail-on']));
  if (failOn === undefined) return fail(`--fail-on expects one of ${FAIL_ON_VALUES.join(', ')}`);
  const warnExitCode = str(v['warn-exit-code']) !== undefined ? Number(str(v['warn-exit-code'])) : 0;
  if (!Number.isInteger(warnExitCode)) return fail('--warn-exit-code expects an integer');
  const limitFlags = parseLimitFlags(v);
  if (!limitFlags.ok) return fail(limitFlags.error);
  const workers = str(v.workers) !== undefined ? Number(str(v.workers)) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64))
    return fail('--workers expects a whole number from 1 to 64');
  const optional = <K extends string>(key: K, value: string | undefined) =>
    (value !== undefined ? { [key]: value } : {}) as { [P in K]?: string };
  return {
    ok: true,
    args: {
      policyPaths,
      resourcePaths,
      exclude: strs(v.exclude),
      jsonPaths,
      exceptionPaths: [...strs(v.exception), ...strs(v.exceptions)],
      exceptionsWithinPolicies: v['exceptions-within-policies'] === true,
      targetPaths: [...strs(v['target-resource']), ...strs(v['target-resources'])],
      paramResources: strs(v['parameter-resource']),
      crdPaths: crdPathList([...strs(v['crd-paths']), ...strs(v['crd-path'])]),
      ...optional('valuesFile', str(v['values-file'])),
      set: strs(v.set),
      ...optional('userInfoFile', str(v.userinfo)),
      ...optional('contextFile', str(v['context-file'])),
      auditWarn: v['audit-warn'] === true,
      ...(structured !== undefined ? { structured } : {}),
      ...(reportFormat !== undefined ? { reportFormat } : {}),
      // Anything but json/yaml/a report format names where mutated resources are written (Kyverno -o).
      ...optional(
        'outputPath',
        mutatedOutput ??
          (format !== undefined && structured === undefined && reportFormat === undefined
            ? format
            : undefined),
      ),
      reportFiles: reportFiles.files,
      failOn,
      warnExitCode,
      warnNoPass: v['warn-no-pass'] === true,
      table: v.table === true,
      policyReport: v['policy-report'] === true,
      detailed: v['detailed-results'] === true,
      limits: limitFlags.limits,
      allowEmpty: v['allow-empty'] === true,
      ...optional('stdinName', str(v['stdin-name'])),
      ...(workers !== undefined ? { workers } : {}),
    },
  };
}

/** Kyverno's string-slice flag: comma-separated values, blank ones dropped. */
export function crdPathList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).filter((p) => p.trim() !== '');
}

const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'junit', 'sarif', 'github', 'markdown'];

/**
 * `-o` also names where mutated resources go (Kyverno's `-o DIR`), so a mistyped format would
 * silently become a file name. A bare word (no `/` or `.`) close to a format is refused instead.
 */
function outputFormatTypo(value: string): string | undefined {
  if (OUTPUT_FORMATS.includes(value) || /[/.\\]/.test(value)) return undefined;
  const near = closest(value, OUTPUT_FORMATS);
  if (near === undefined) return undefined;
  return `unknown output format "${value}". Did you mean "${near}"? (to write mutated resources to a file named "${value}", use --mutated-output ${value})`;
}
