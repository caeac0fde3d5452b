// Writes config/crds/<group>_<plural>.yaml from the engine's kind schemas (`npm run crds`); removes
// CRD files the catalog no longer has. src/io/crds/crds.test.ts fails when the committed files are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderCrdFiles } from '../src/io/crds/build-crd.js';

const dir = resolve(import.meta.dirname, '../config/crds');
mkdirSync(dir, { recursive: true });
const files = renderCrdFiles();
const names = new Set(files.map((f) => f.name));
for (const old of readdirSync(dir)) if (old.endsWith('.yaml') && !names.has(old)) rmSync(join(dir, old));
for (const f of files) writeFileSync(join(dir, f.name), f.text);
console.log(`wrote ${files.length} CRDs to ${dir}`);
