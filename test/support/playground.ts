/**
 * @module The playground for end-to-end tests: built into a scratch folder with
 * scripts/playground-build.mjs, served by a real `palisade playground` process (src/main.ts through
 * tsx), and opened in Debian's headless Chromium through playwright-core (the machine downloads no
 * browsers). Also the conformance suites as playground states.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env.PALISADE_CHROMIUM ?? '/usr/bin/chromium';
export const CORPUS = resolve(ROOT, '../shared/conformance/kyverno-policies');

/**
 * Why the browser tests cannot run here, or undefined when they can. With PALISADE_BROWSER=required
 * (CI) a missing browser is an error, not a skip.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set PALISADE_CHROMIUM`;
  if (process.env.PALISADE_BROWSER === 'required') throw new Error(reason);
  return reason;
}

/** Builds the playground into a fresh scratch folder; returns it. */
export function buildPlayground(): string {
  const out = mkdtempSync(join(tmpdir(), 'palisade-playground-'));
  const run = spawnSync(process.execPath, ['scripts/playground-build.mjs', '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`playground build failed:\n${run.stderr}${run.stdout}`);
  return out;
}

export interface PlaygroundServer {
  readonly url: string;
  readonly process: ChildProcess;
  readonly stop: () => Promise<void>;
}

/** `palisade playground --port 0 --dir <dir>` as a child process, once it prints its URL. */
export async function startPlaygroundServer(dir: string): Promise<PlaygroundServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', 'playground', '--port', '0', '--dir', dir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m !== null) ok(m[0]);
    });
    child.once('exit', (code) => fail(new Error(`palisade playground exited (${code}): ${stderr}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** One conformance suite as the playground's inputs (texts), and as files for `palisade apply`. */
export interface SuiteInputs {
  readonly name: string;
  readonly policyFiles: readonly string[];
  readonly resourceFiles: readonly string[];
  readonly valuesFile?: string;
  readonly contextFile?: string;
  readonly state: {
    readonly policies: string;
    readonly resources: string;
    readonly values: string;
    readonly context: string;
  };
}

function findSuites(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findSuites(full, out);
    else if (name === 'kyverno-test.yaml') out.push(full);
  }
  return out;
}

/** The files' documents as one stream (a file's last line keeps its trailing spaces: block scalars hold them). */
const joinTexts = (files: readonly string[]): string =>
  files
    .map((f) => readFileSync(f, 'utf8'))
    .map((t) => (t.endsWith('\n') ? t : `${t}\n`))
    .join('---\n');

/** Every suite of the corpus whose inputs are local files (a suite naming a URL or a folder is left out). */
export function corpusSuites(corpus = CORPUS): { suites: SuiteInputs[]; leftOut: string[] } {
  const suites: SuiteInputs[] = [];
  const leftOut: string[] = [];
  for (const file of findSuites(corpus)) {
    const dir = dirname(file);
    const name = dir.slice(corpus.length + 1);
    const spec = parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS() as Record<string, unknown> | null;
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((p) => join(dir, String(p))) : []);
    const one = (v: unknown): string | undefined => (typeof v === 'string' ? join(dir, v) : undefined);
    const policyFiles = list(spec?.policies);
    const resourceFiles = list(spec?.resources);
    const valuesFile = one(spec?.variables);
    const contextFile = one(spec?.context);
    const all = [...policyFiles, ...resourceFiles, valuesFile, contextFile].filter((f) => f !== undefined);
    if (policyFiles.length === 0 || !all.every((f) => existsSync(f) && statSync(f).isFile())) {
      leftOut.push(name);
      continue;
    }
    suites.push({
      name,
      policyFiles,
      resourceFiles,
      ...(valuesFile !== undefined ? { valuesFile } : {}),
      ...(contextFile !== undefined ? { contextFile } : {}),
      state: {
        policies: joinTexts(policyFiles),
        resources: resourceFiles.length > 0 ? joinTexts(resourceFiles) : '',
        values: valuesFile !== undefined ? readFileSync(valuesFile, 'utf8') : '',
        context: contextFile !== undefined ? readFileSync(contextFile, 'utf8') : '',
      },
    });
  }
  return { suites, leftOut };
}
