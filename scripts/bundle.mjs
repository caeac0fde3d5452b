#!/usr/bin/env node
// The shipped CLI: esbuild bundles src/main.ts and every runtime dependency into bin/ (committed), so
// a git checkout, the GitHub Action, pre-commit and the npm package run without a compiler or an
// install step. `npm run bundle` rewrites bin/; `npm run bundle:check` (CI) bundles into a scratch
// folder and fails when bin/ differs, i.e. when the committed bundle is stale against the sources;
// `--out DIR` bundles into DIR instead (benchmarks of a branch without rewriting bin/).
// Output is deterministic: paths in it are relative to the repository root, chunk names are content
// hashes, and the third-party licence file lists packages in sorted order.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { stableParserStatePlugin } from './js-yaml-parser-state.mjs';
import { thirdPartyLicenses } from './third-party-licenses.mjs';

const root = resolve(import.meta.dirname, '..');
const LICENSES_HEADING =
  'The bundle in this folder includes the following npm packages. Their licences follow.';
const OUT = 'bin';
const LICENSES = 'THIRD-PARTY-LICENSES.txt';

/** package.json's name and version as string literals (src/io/package-info.ts's PALISADE_NAME, …). */
function packageConstants() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return { PALISADE_NAME: JSON.stringify(pkg.name), PALISADE_VERSION: JSON.stringify(pkg.version) };
}

/** Bundles into `outdir` (emptied first). */
async function bundle(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { palisade: 'src/main.ts' },
    bundle: true,
    splitting: true, // `version` and `--help` load only what they need
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
    metafile: true,
    // node_modules may be a symlink (worktrees): keep the paths written into the bundle the same.
    preserveSymlinks: true,
    // `palisade version` answers from the entry file alone (src/main.ts); bundle:check sees a bump.
    define: packageConstants(),
    // js-yaml's event parser with a state of one map (see js-yaml-parser-state.mjs).
    plugins: [stableParserStatePlugin(join(root, 'node_modules/js-yaml/dist/js-yaml.mjs'), readFileSync)],
    // Bundled CommonJS dependencies call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);",
    },
  });
  // The CommonJS launcher package.json's `bin` names (src/launcher.cts): a bare `version` without
  // starting Node's ES module loader; it imports palisade.mjs for everything else.
  await build({
    absWorkingDir: root,
    entryPoints: { palisade: 'src/launcher.cts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir,
    entryNames: '[name]',
    outExtension: { '.js': '.cjs' },
    logLevel: 'warning',
    define: packageConstants(),
  });
  writeFileSync(
    join(outdir, LICENSES),
    thirdPartyLicenses(Object.keys(result.metafile.inputs), root, LICENSES_HEADING),
  );
}

/** Every file below `dir`, relative to it, sorted. */
function listFiles(dir, base = dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(listFiles(full, base));
    else out.push(relative(base, full));
  }
  return out.sort();
}

const committed = join(root, OUT);
const outAt = process.argv.indexOf('--out');
if (outAt >= 0) {
  // A bundle of the working tree elsewhere (e.g. `--out dist/bin`, for `npm run bench:cli -- --cli
  // 'node dist/bin/palisade.mjs'`), leaving the committed bin/ as it is.
  const dir = resolve(root, process.argv[outAt + 1] ?? 'dist/bin');
  await bundle(dir);
  console.log(`bundle: wrote ${relative(root, dir)}/ (${listFiles(dir).length} files)`);
} else if (process.argv.includes('--check')) {
  const scratch = mkdtempSync(join(tmpdir(), 'palisade-bundle-check-'));
  try {
    await bundle(join(scratch, OUT));
    const fresh = listFiles(join(scratch, OUT));
    let old = [];
    try {
      old = listFiles(committed);
    } catch {}
    const differ = [...new Set([...fresh, ...old])].sort().filter((f) => {
      try {
        return !readFileSync(join(committed, f)).equals(readFileSync(join(scratch, OUT, f)));
      } catch {
        return true;
      }
    });
    if (differ.length > 0) {
      console.error(
        `bundle:check: ${OUT}/ is stale against the sources (${differ.length} file(s) differ: ${differ
          .slice(0, 5)
          .join(', ')}${differ.length > 5 ? ', …' : ''}). Run \`npm run bundle\` and commit ${OUT}/.`,
      );
      process.exit(1);
    }
    console.log(`bundle:check: ${OUT}/ matches the sources (${fresh.length} files)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  await bundle(committed);
  console.log(`bundle: wrote ${relative(root, committed)}/ (${listFiles(committed).length} files)`);
}
