// Issue #5 "done when": SARIF of a run over the visible conformance corpus (every suite's policies
// applied to its resources) must (1) validate against the SARIF 2.1.0 JSON schema and (2) give
// every result a physical location whose line holds the offending field.
//
// (1) uses ajv-draft-04 (the SARIF schema's dialect) with the official schema vendored as
// test/fixtures/sarif/sarif-schema-2.1.0.json (see the README beside it), and (#13) Microsoft's SARIF
// Multitool (`validate`: the schema plus Microsoft's SARIF rules), over the corpus and over runs
// with load errors, standard input and test-row warnings.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import ajvDraft04 from 'ajv-draft-04';
import { parse } from 'yaml';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { testCommand } from '../../src/cli/commands/test.js';
import { CORPUS_ROOT, corpusExists } from '../diagnostics/conformance-corpus.js';
import { ensureMultitool, MULTITOOL_VERSION, multitoolProblems } from '../support/sarif-multitool.js';

// ajv-draft-04 is CommonJS: under NodeNext the default import is `module.exports`, whose
// `default` is the Ajv class (typed that way, and present at run time).
const Ajv = ajvDraft04.default;
const ROOT = resolve(import.meta.dirname, '../..');
const SCHEMA = join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json');

function suites(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'kyverno-test.yaml') out.push(full);
    }
  };
  walk(CORPUS_ROOT);
  return out;
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  properties: { fieldPath?: string };
}

async function corpusSarif(): Promise<{ logs: unknown[]; results: SarifResult[] }> {
  const logs: unknown[] = [];
  const results: SarifResult[] = [];
  for (const file of suites()) {
    let spec: { policies?: string[]; resources?: string[] };
    try {
      spec = parse(readFileSync(file, 'utf8')) ?? {};
    } catch {
      continue;
    }
    const dir = dirname(file);
    const policies = (spec.policies ?? []).map((p) => join(dir, p)).filter(existsSync);
    const resources = (spec.resources ?? []).map((p) => join(dir, p)).filter(existsSync);
    if (policies.length === 0 || resources.length === 0) continue;
    const args = [
      ...policies,
      ...resources.flatMap((r) => ['--resource', r]),
      '-o',
      'sarif',
      '--fail-on',
      'none',
    ];
    const r = await applyCommand(args, { stdin: () => '' });
    if (r.stdout.trim() === '') continue; // inputs that do not load (reported on stderr)
    const log = JSON.parse(r.stdout) as { runs: { results: SarifResult[] }[] };
    logs.push(log);
    results.push(...(log.runs[0]?.results ?? []));
  }
  return { logs, results };
}

/** The keys of a field path: `spec.containers[0].image` → spec, containers, image. */
function pathKeys(fieldPath: string): string[] {
  return [...fieldPath.matchAll(/\["((?:[^"\\]|\\.)*)"\]|([A-Za-z_$][\w$-]*)/g)].map((m) =>
    m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] ?? ''),
  );
}

/** The key a YAML line defines (`  image: x` → image, `- name: a` → name, `"a/b": 1` → a/b). */
function lineKey(line: string): string | undefined {
  const m = /^\s*(?:-\s+)*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s:#'"][^:#]*?))\s*:(\s|$)/.exec(line);
  return m === null ? undefined : (m[1] ?? m[2] ?? m[3]);
}

const skipCorpus = corpusExists() ? false : 'conformance corpus not found';

describe('SARIF over the conformance corpus', { skip: skipCorpus }, () => {
  let run: Promise<{ logs: unknown[]; results: SarifResult[] }> | undefined;
  const get = () => {
    run ??= corpusSarif();
    return run;
  };

  test('every result has a physical location whose line holds the offending field', async () => {
    const { results } = await get();
    assert.ok(results.length > 100, `expected many findings, got ${results.length}`);
    let withField = 0;
    for (const res of results) {
      const loc = res.locations[0]?.physicalLocation;
      assert.ok(loc, `${res.ruleId}: no physical location`);
      const file = decodeURI(loc.artifactLocation.uri.replace(/^file:\/\//, ''));
      const line = readFileSync(file, 'utf8').split(/\r?\n/)[loc.region.startLine - 1] ?? '';
      const fp = res.properties.fieldPath;
      if (fp === undefined || fp === '') continue; // no path known: the resource's own line
      withField++;
      // The field's own key, or (when the field is missing) the key of its deepest existing parent.
      const key = lineKey(line);
      const onPath = key !== undefined && pathKeys(fp).includes(key);
      assert.ok(
        onPath || /^\s*-/.test(line),
        `${file}:${loc.region.startLine} should hold a key of ${fp}: "${line}"`,
      );
    }
    assert.ok(withField > 50, `expected many results with a field path, got ${withField}`);
  });

  test('validates against the SARIF 2.1.0 JSON schema', async () => {
    const { logs } = await get();
    assert.ok(logs.length > 0, 'expected SARIF logs from the corpus');
    const validate = sarifValidator();
    for (const log of logs) assert.deepEqual(validate(log), []);
  });
  test(`Microsoft's SARIF Multitool ${MULTITOOL_VERSION} reports nothing for any corpus log`, async (t) => {
    const tool = multitool();
    if ('missing' in tool) return t.skip(tool.missing);
    const { logs } = await get();
    assert.deepEqual(validateFiles(tool.bin, logs), []);
  });
});

let multitoolMemo: ReturnType<typeof ensureMultitool> | undefined;
function multitool(): ReturnType<typeof ensureMultitool> {
  multitoolMemo ??= ensureMultitool();
  return multitoolMemo;
}

/** Writes the logs to files and runs the Multitool's `validate` over them once. */
function validateFiles(bin: string, logs: readonly unknown[], ruleKind: 'Sarif' | 'Gh' = 'Sarif'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-sarif-logs-'));
  try {
    const files = logs.map((log, i) => {
      const file = join(dir, `run-${i}.sarif`);
      writeFileSync(file, JSON.stringify(log));
      return file;
    });
    return multitoolProblems(bin, files, ruleKind);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const EXAMPLES = join(ROOT, 'docs/examples');

/** Runs whose SARIF is not just findings: load errors, standard input, test rows that name nothing. */
async function specialRuns(): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-sarif-special-'));
  try {
    const broken = 'apiVersion: v1\nkind: Pod\nmetadata: a: b\n';
    const pods = readFileSync(join(EXAMPLES, 'manifests/debug-pod.yaml'), 'utf8');
    writeFileSync(join(dir, 'broken.yaml'), broken);
    const policies = join(EXAMPLES, 'policies');
    const outputs = [
      await applyCommand(
        [
          policies,
          '--resource',
          join(dir, 'broken.yaml'),
          '--resource',
          join(dir, 'nope.yaml'),
          '-o',
          'sarif',
        ],
        { stdin: () => '' },
      ),
      await applyCommand([policies, '--resource', '-', '-o', 'sarif'], { stdin: () => broken }),
      await applyCommand([policies, '--resource', '-', '-o', 'sarif'], { stdin: () => pods }),
      await applyCommand(
        [policies, '--resource', '-', '--stdin-name', 'manifests/debug-pod.yaml', '-o', 'sarif'],
        { stdin: () => pods },
      ),
      await applyCommand([policies, '--resource', '-', '-o', 'sarif'], { stdin: () => '' }),
      await testCommand([join(EXAMPLES, 'tests'), '-o', 'sarif'], { stdin: () => '' }),
      await testCommand(
        [join(ROOT, 'test/cli/fixtures/cel-kinds/json-payloads'), '-o', 'sarif', '--strict'],
        { stdin: () => '' },
      ),
    ];
    return outputs.map((r) => JSON.parse(r.stdout) as unknown);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('SARIF of runs with load errors, standard input and test warnings', () => {
  let runs: Promise<unknown[]> | undefined;
  const get = () => {
    runs ??= specialRuns();
    return runs;
  };
  test('validates against the SARIF 2.1.0 JSON schema', async () => {
    const validate = sarifValidator();
    for (const log of await get()) assert.deepEqual(validate(log), []);
  });
  test(`Microsoft's SARIF Multitool ${MULTITOOL_VERSION} reports nothing`, async (t) => {
    const tool = multitool();
    if ('missing' in tool) return t.skip(tool.missing);
    assert.deepEqual(validateFiles(tool.bin, await get()), []);
  });
  // GitHub cannot be reached from here; the Multitool's GitHub ingestion rules (`--rule-kind Gh`)
  // are the checks GitHub documents for an upload (locations, sizes, rule metadata).
  test("GitHub code scanning's upload rules (Multitool --rule-kind Gh) report nothing", async (t) => {
    const tool = multitool();
    if ('missing' in tool) return t.skip(tool.missing);
    assert.deepEqual(validateFiles(tool.bin, await get(), 'Gh'), []);
  });
});

/** A validator for the vendored SARIF 2.1.0 schema: `instancePath: message` per schema error. */
function sarifValidator(): (log: unknown) => string[] {
  // ajv-formats is not installed: light stand-ins for the schema's three formats.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    formats: {
      uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
      'uri-reference': /^[^\s]*$/,
      'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i,
    },
  });
  const check = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
  return (log) =>
    check(log) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
