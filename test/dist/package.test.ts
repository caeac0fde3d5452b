// The shipped package (#13): the CLI is the committed bundle in bin/, the npm package holds only what
// runs and declares no dependencies, and it works installed from the packed tarball, through npx,
// and from a plain git clone with no install step, all offline, from folders outside this repository.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { shellBlocks } from '../support/shell-blocks.js';
import { runGit, snapshotRepo } from '../support/snapshot-repo.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
spec:
  validationFailureAction: Enforce
  rules:
    - name: check-team
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "The label 'team' is required."
        pattern:
          metadata:
            labels:
              team: "?*"
`;
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
`;

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch project folder outside the repository, holding a policy and a failing Pod. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-dist-'));
  mkdirSync(join(dir, 'policies'));
  mkdirSync(join(dir, 'manifests'));
  writeFileSync(join(dir, 'policies/require-team-label.yaml'), POLICY);
  writeFileSync(join(dir, 'manifests/web.yaml'), POD);
  return dir;
}

/** Checks `version` and a failing `apply` through one way of starting the CLI. */
function assertWorks(start: readonly string[], cwd: string): void {
  const [cmd, ...pre] = start as [string, ...string[]];
  const version = run(cmd, [...pre, 'version'], cwd);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), `${PKG.name} version ${PKG.version}`);
  const apply = run(cmd, [...pre, 'apply', 'policies/', '--resource', 'manifests/', '-o', 'json'], cwd);
  assert.equal(apply.code, 1, apply.stderr);
  const report = JSON.parse(apply.stdout) as { summary: { fail: number } };
  assert.equal(report.summary.fail, 1);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

test('package.json: a scoped name, the bundle as bin, no runtime dependencies, no install-time build', () => {
  assert.match(PKG.name, /^@[a-z0-9-]+\/[a-z0-9-]+$/);
  assert.deepEqual(PKG.bin, { palisade: 'bin/palisade.cjs' });
  assert.match(readFileSync(join(ROOT, PKG.bin.palisade!), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'] as const)
    assert.equal(PKG[field], undefined, `${field}: everything the CLI needs is in the bundle`);
  // npm runs these on install (prepare also on git installs); none may need a compiler.
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack'])
    assert.equal(PKG.scripts[hook], undefined, hook);
  assert.ok(PKG.scripts.bundle && PKG.scripts['bundle:check'], 'npm run bundle / bundle:check');
});

test('the CommonJS launcher answers as the ES module entry does, and passes every other command on', () => {
  const run = (file: string, args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin', file), ...args], { cwd: ROOT, encoding: 'utf8' });
  for (const args of [['version'], ['--version'], ['version', '-o', 'json'], ['apply', '--no-such-flag']]) {
    const viaLauncher = run('palisade.cjs', args);
    const direct = run('palisade.mjs', args);
    assert.deepEqual(
      [viaLauncher.status, viaLauncher.stdout, viaLauncher.stderr],
      [direct.status, direct.stdout, direct.stderr],
      args.join(' '),
    );
  }
  assert.equal(run('palisade.cjs', ['version']).stdout, `${PKG.name} version ${PKG.version}\n`);
});

test('the bundle imports nothing but Node built-ins and its own chunks', () => {
  const builtins = new Set(builtinModules);
  const bad: string[] = [];
  const files = listFiles(join(ROOT, 'bin')).filter((f) => f.endsWith('.mjs') || f.endsWith('.cjs'));
  assert.ok(files.length > 1);
  // Static imports/re-exports, dynamic import() and require() with a literal specifier.
  const patterns = [
    /^\s*(?:import|export)\b[^'"]*?from\s*["']([^"'\s]+)["']/gm,
    /^\s*import\s*["']([^"'\s]+)["']/gm,
    /\b(?:import|require)\(\s*["']([^"'\s]+)["']\s*\)/g,
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of patterns.flatMap((p) => [...text.matchAll(p)])) {
      const spec = m[1]!;
      if (spec.startsWith('./') || spec.startsWith('../')) continue;
      if (spec.startsWith('node:') || builtins.has(spec.split('/')[0]!) || builtins.has(spec)) continue;
      bad.push(`${file.slice(ROOT.length + 1)}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
  assert.match(readFileSync(join(ROOT, 'bin/THIRD-PARTY-LICENSES.txt'), 'utf8'), /^yaml@\S+ \(ISC\)$/m);
});

describe('the packed package', () => {
  let packDir = '';
  let tarball = '';
  let files: string[] = [];
  before(() => {
    packDir = mkdtempSync(join(tmpdir(), 'palisade-pack-'));
    // What `prepublishOnly` does before `npm publish`: the playground is built, not committed.
    assert.equal(PKG.scripts.prepublishOnly, 'node scripts/playground-build.mjs');
    const built = run(process.execPath, ['scripts/playground-build.mjs'], ROOT);
    assert.equal(built.code, 0, built.stderr);
    const r = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], ROOT);
    assert.equal(r.code, 0, r.stderr);
    const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(packDir, info!.filename);
    files = info!.files.map((f) => f.path).sort();
  });
  after(() => rmSync(packDir, { recursive: true, force: true }));

  test('holds only the bundle, the playground, their licences, README, LICENSE and package.json', () => {
    const outside = files.filter(
      (f) =>
        !f.startsWith('bin/') &&
        !f.startsWith('dist-playground/') &&
        !['package.json', 'README.md', 'LICENSE'].includes(f),
    );
    assert.deepEqual(outside, []);
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist-playground/')),
      [
        'dist-playground/THIRD-PARTY-LICENSES.txt',
        'dist-playground/app.js',
        'dist-playground/catalogue.js',
        'dist-playground/index.html',
        'dist-playground/style.css',
      ],
    );
    for (const f of [
      'bin/palisade.cjs',
      'bin/palisade.mjs',
      'bin/THIRD-PARTY-LICENSES.txt',
      'LICENSE',
      'README.md',
    ])
      assert.ok(files.includes(f), f);
    assert.ok(files.some((f) => f.startsWith('bin/chunks/')));
  });

  test('installs offline into an empty project and runs', () => {
    const dir = scratch();
    try {
      writeFileSync(join(dir, 'package.json'), '{"name":"scratch","private":true}\n');
      const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], dir);
      assert.equal(install.code, 0, install.stderr);
      // Nothing but the package itself: it has no dependencies to install.
      assert.deepEqual(
        readdirSync(join(dir, 'node_modules')).sort(),
        ['.bin', '.package-lock.json', '@palisade-policy'].sort(),
      );
      assertWorks([join(dir, 'node_modules/.bin/palisade')], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the installed package serves its playground with no --dir', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'package.json'), '{"name":"scratch","private":true}\n');
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], dir);
    assert.equal(install.code, 0, install.stderr);
    const child = spawn(join(dir, 'node_modules/.bin/palisade'), ['playground', '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((found, failed) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) found(m[0]);
        });
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
        });
        child.once('exit', (code) => failed(new Error(`playground exited ${code}: ${err}`)));
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script[^>]+app\.js/);
      const app = await fetch(new URL('app.js', url));
      assert.equal(app.status, 200);
      assert.ok((await app.arrayBuffer()).byteLength > 100_000, 'the engine bundle is served');
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('runs through npx from a folder with no package.json', () => {
    const dir = scratch();
    try {
      // --package stands in for the registry: npx installs the tarball into its cache, offline.
      const cache = join(dir, '.npm-cache');
      assertWorks(['npx', '--yes', '--offline', `--cache=${cache}`, `--package=${tarball}`, 'palisade'], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the README's first run works as written, twice, in an empty folder", () => {
    const blocks = shellBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).filter((b) => b.run);
    assert.ok(blocks.length > 0, 'the README has a `sh run` block');
    const dir = mkdtempSync(join(tmpdir(), 'palisade-readme-'));
    try {
      // `npx <our name>` as the registry would serve it: the packed tarball, offline.
      const bin = join(dir, '.bin');
      mkdirSync(bin);
      const npx = run('sh', ['-c', 'command -v npx'], dir).stdout.trim();
      const cache = join(dir, '.npm-cache');
      writeFileSync(
        join(bin, 'npx'),
        `#!/bin/sh\nif [ "$1" = "${PKG.name}" ]; then shift; exec "${npx}" --yes --offline --cache="${cache}" --package="${tarball}" palisade "$@"; fi\nexec "${npx}" "$@"\n`,
      );
      chmodSync(join(bin, 'npx'), 0o755);
      const work = join(dir, 'work');
      mkdirSync(work);
      for (const round of [1, 2])
        for (const b of blocks) {
          const r = run('/bin/sh', ['-e', '-c', b.script], work, {
            PATH: `${bin}:${process.env.PATH ?? ''}`,
          });
          assert.equal(r.code, b.exit, `round ${round}, README line ${b.line}\n${r.stdout}\n${r.stderr}`);
          assert.match(r.stdout, /fail: 1/);
        }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a plain git clone runs bin/palisade.mjs with no npm install', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-clone-'));
  try {
    const repo = join(dir, 'repo');
    snapshotRepo(repo);
    const work = scratch();
    try {
      runGit(['clone', '-q', `file://${repo}`, join(work, 'palisade')], work);
      assertWorks([process.execPath, join(work, 'palisade/bin/palisade.mjs')], work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
