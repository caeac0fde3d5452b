// Every YAML document of the conformance corpora (policies and resources), for differential tests
// of the engine's fast paths against their general forms.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAll } from 'js-yaml';

const CORPORA = ['kyverno-policies', 'kyverno-cli'].map((c) =>
  resolve(import.meta.dirname, '../../../shared/conformance', c),
);

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

let cached: readonly Record<string, unknown>[] | undefined;

/** The corpora's documents that are objects, in file order (read once per process). */
export function corpusDocuments(): readonly Record<string, unknown>[] {
  if (cached !== undefined) return cached;
  const out: Record<string, unknown>[] = [];
  for (const corpus of CORPORA.filter((c) => existsSync(c))) {
    for (const file of yamlFiles(corpus)) {
      let docs: unknown[];
      try {
        docs = loadAll(readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      for (const d of docs)
        if (typeof d === 'object' && d !== null && !Array.isArray(d)) out.push(d as Record<string, unknown>);
    }
  }
  cached = out;
  return out;
}
