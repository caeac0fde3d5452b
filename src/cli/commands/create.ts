/**
 * @module `palisade create test|values|exception|policy`: starter files with a comment on every
 * field (Kyverno's `kyverno create`). Prints to stdout, or writes `-o file` (never overwriting
 * an existing file unless --force).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadPolicies } from '../../io/files/policies.js';
import { getPolicyDecoder } from '../../io/files/policy-decoder.js';
import { loadResources } from '../../io/files/resources.js';
import { parseCommandArgs, str, strs } from '../../io/flags/args.js';
import { type CommandContext, type CommandResult, Output } from '../command.js';
import {
  exceptionTemplate,
  policyTemplate,
  type TestRowOptions,
  testTemplate,
  valuesTemplate,
} from '../create/templates.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

export const CREATE_HELP = `Create starter files, with a comment explaining every field.

Usage:
  palisade create policy [--name string] [--kind string] [--audit] [-o file]
  palisade create test --policy file --resource file [--pass|--fail|--skip row]... [-o file]
  palisade create values [--global key=value]... [--namespace-label ns:key=value]... [-o file]
  palisade create exception <name> --policy-rules policy,rule[,rule...] [--kind kind]... [-o file]

Examples:
  palisade create policy --name require-team-label -o policies/require-team-label.yaml
  palisade create test --policy ../require-team-label.yaml --resource pods.yaml \\
    --pass require-team-label,check-team-label,good-pod --fail require-team-label,check-team-label,bad-pod
  palisade create values --global request.operation=UPDATE
  palisade create exception allow-legacy --policy-rules require-team-label,check-team-label --name-match 'legacy-*'

Flags:
  -o, --output string            write to this file instead of stdout
      --force                    overwrite the --output file if it exists
  policy:
      --name string              policy name (default "require-team-label")
      --kind string              kind the rule matches (default "Pod")
      --audit                    report only (validationFailureAction: Audit) instead of Enforce
  test:
      --test-name string         name of the test (default: the first policy's name)
      --policy string            policy file, relative to the test file (repeatable)
      --resource string          resource file, relative to the test file (repeatable)
      --values string            values file, relative to the test file
      --pass/--fail/--skip row   expected result: policy,rule,resource[,namespace[,kind]] (repeatable)
                                 (without rows: one row per rule, expecting pass, to edit)
  values:
      --global key=value         a global variable (repeatable)
      --namespace-label ns:k=v   a namespace label for namespaceSelector rules (repeatable)
  exception:
      --policy-rules string      policy,rule[,rule...] to skip
      --kind string              kind to except (repeatable, default "Pod")
      --name-match string        resource name, wildcards allowed (repeatable)
      --namespace-match string   resource namespace (repeatable)
      --namespace string         namespace of the exception itself (default "default")
  -h, --help                     help for create`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  name: { type: 'string' },
  kind: { type: 'string', multiple: true },
  audit: { type: 'boolean' },
  'test-name': { type: 'string' },
  policy: { type: 'string', multiple: true },
  resource: { type: 'string', multiple: true },
  values: { type: 'string' },
  pass: { type: 'string', multiple: true },
  fail: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  global: { type: 'string', multiple: true },
  'namespace-label': { type: 'string', multiple: true },
  'policy-rules': { type: 'string' },
  'name-match': { type: 'string', multiple: true },
  'namespace-match': { type: 'string', multiple: true },
  namespace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Rendered = { ok: true; text: string } | { ok: false; error: string };

function usage(out: Output, message: string): CommandResult {
  out.error(`Error: ${message}`);
  out.error("Run 'palisade create --help' for usage.");
  return out.result(EXIT_USAGE);
}

function createPolicy(v: Values): Rendered {
  return {
    ok: true,
    text: policyTemplate({
      name: str(v.name) ?? 'require-team-label',
      kind: strs(v.kind)[0] ?? 'Pod',
      action: v.audit === true ? 'Audit' : 'Enforce',
    }),
  };
}

/** Kyverno's row syntax `policy,rule,resource[,namespace[,kind]]`; kind from the resource files. */
function parseRow(
  text: string,
  result: TestRowOptions['result'],
  kindOf: ReadonlyMap<string, string>,
): TestRowOptions | string {
  const [policy, rule, resource, namespace, kind] = text.split(',').map((s) => s.trim());
  if (policy === undefined || rule === undefined || resource === undefined || resource === '')
    return `expected policy,rule,resource[,namespace[,kind]], got "${text}"`;
  const name = namespace !== undefined && namespace !== '' ? `${namespace}/${resource}` : resource;
  const k = kind !== undefined && kind !== '' ? kind : kindOf.get(resource);
  if (k === undefined)
    return `kind of resource "${resource}" unknown: give it as the fifth field of "${text}"`;
  return { policy, rule, resources: [name], kind: k, result };
}

async function createTest(v: Values, outFile: string | undefined): Promise<Rendered> {
  const policies = strs(v.policy);
  const resources = strs(v.resource);
  if (policies.length === 0 || resources.length === 0)
    return { ok: false, error: 'create test needs --policy and --resource' };
  // Paths are relative to the test file, as in kyverno-test.yaml.
  const base = outFile !== undefined ? dirname(outFile) : '.';
  const rel = (p: string): string => (base === '.' ? p : `${base}/${p}`);
  const loadedResources = loadResources(resources.map(rel)).resources;
  const kindOf = new Map(loadedResources.map((r) => [r.object.metadata?.name ?? '', r.object.kind ?? '']));
  const rows: TestRowOptions[] = [];
  for (const [flag, result] of [
    ['pass', 'pass'],
    ['fail', 'fail'],
    ['skip', 'skip'],
  ] as const) {
    for (const text of strs(v[flag])) {
      const row = parseRow(text, result, kindOf);
      if (typeof row === 'string') return { ok: false, error: row };
      rows.push(row);
    }
  }
  const loadedPolicies = loadPolicies(policies.map(rel), await getPolicyDecoder()).policies;
  if (rows.length === 0) {
    const byKind = new Map<string, string[]>();
    for (const r of loadedResources) {
      const k = r.object.kind ?? '';
      byKind.set(k, [...(byKind.get(k) ?? []), r.object.metadata?.name ?? '']);
    }
    for (const p of loadedPolicies)
      for (const rule of p.policy.spec.rules ?? [])
        for (const [kind, names] of byKind)
          rows.push({
            policy: p.policy.metadata.name,
            rule: rule.name,
            kind,
            resources: names,
            result: 'pass',
          });
    if (rows.length === 0)
      rows.push({ policy: 'my-policy', rule: 'my-rule', kind: 'Pod', resources: ['my-pod'], result: 'pass' });
  }
  const name = str(v['test-name']) ?? loadedPolicies[0]?.policy.metadata.name ?? 'my-test';
  const values = str(v.values);
  return {
    ok: true,
    text: testTemplate({ name, policies, resources, rows, ...(values !== undefined ? { values } : {}) }),
  };
}

function createValues(v: Values): Rendered {
  const globals: Record<string, string> = {};
  for (const g of strs(v.global)) {
    const eq = g.indexOf('=');
    if (eq <= 0) return { ok: false, error: `--global expects key=value, got "${g}"` };
    globals[g.slice(0, eq)] = g.slice(eq + 1);
  }
  const namespaceLabels: Record<string, Record<string, string>> = {};
  for (const l of strs(v['namespace-label'])) {
    const m = /^([^:]+):([^=]+)=(.*)$/.exec(l);
    if (m === null) return { ok: false, error: `--namespace-label expects ns:key=value, got "${l}"` };
    const [, ns = '', key = '', value = ''] = m;
    namespaceLabels[ns] = { ...(namespaceLabels[ns] ?? {}), [key]: value };
  }
  return { ok: true, text: valuesTemplate({ globals, namespaceLabels }) };
}

function createException(name: string | undefined, v: Values): Rendered {
  if (name === undefined) return { ok: false, error: 'create exception needs a name' };
  const [policy, ...rules] = (str(v['policy-rules']) ?? '').split(',').map((s) => s.trim());
  if (policy === undefined || policy === '' || rules.length === 0)
    return { ok: false, error: 'create exception needs --policy-rules policy,rule[,rule...]' };
  const kinds = strs(v.kind);
  return {
    ok: true,
    text: exceptionTemplate({
      name,
      namespace: str(v.namespace) ?? 'default',
      policy,
      rules,
      kinds: kinds.length > 0 ? kinds : ['Pod'],
      names: strs(v['name-match']),
      namespaces: strs(v['namespace-match']),
    }),
  };
}

export async function createCommand(argv: readonly string[], _ctx: CommandContext): Promise<CommandResult> {
  const out = new Output();
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usage(out, parsed.error);
  const v = parsed.values;
  const [what, ...rest] = parsed.positionals;
  if (v.help === true || what === undefined) {
    out.line(CREATE_HELP);
    return out.result(what === undefined && v.help !== true ? EXIT_USAGE : EXIT_OK);
  }
  const outFile = str(v.output);
  let rendered: Rendered;
  if (what === 'policy') rendered = createPolicy(v);
  else if (what === 'test') rendered = await createTest(v, outFile);
  else if (what === 'values') rendered = createValues(v);
  else if (what === 'exception') rendered = createException(rest[0], v);
  else return usage(out, `unknown file type "${what}" (policy, test, values or exception)`);
  if (!rendered.ok) return usage(out, rendered.error);
  if (outFile === undefined) {
    out.line(rendered.text.trimEnd());
    return out.result(EXIT_OK);
  }
  if (existsSync(outFile) && v.force !== true) {
    out.error(`Error: ${outFile} exists; use --force to overwrite it`);
    return out.result(EXIT_FAILURE);
  }
  try {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, rendered.text);
  } catch (err) {
    out.error(`Error: cannot write ${outFile}: ${(err as Error).message}`);
    return out.result(EXIT_FAILURE);
  }
  out.error(`created ${outFile}`);
  return out.result(EXIT_OK);
}
