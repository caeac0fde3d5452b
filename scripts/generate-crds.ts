// Writes config/crds/<group>_<plural>.yaml from the engine's kind schemas (`npm run crds`), and the
// same files into the Helm chart's crds/ folder; removes CRD files the catalog no longer has.
// src/io/crds/crds.test.ts fails when the committed files are stale, test/deploy/chart.test.ts when
// the chart's copies differ from config/crds.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderCrdFiles } from '../src/io/crds/build-crd.js';

const root = resolve(import.meta.dirname, '..');
const files = renderCrdFiles();
const names = new Set(files.map((f) => f.name));
for (const dir of [join(root, 'config/crds'), join(root, 'deploy/helm/palisade/crds')]) {
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir)) if (old.endsWith('.yaml') && !names.has(old)) rmSync(join(dir, old));
  for (const f of files) writeFileSync(join(dir, f.name), f.text);
  console.log(`wrote ${files.length} CRDs to ${dir}`);
}
