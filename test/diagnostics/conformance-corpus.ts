// Shared helpers for the tests that run real files from the conformance corpus through the loaders.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** shared/ sits beside the repository (locally and in CI). */
export const CORPUS_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/conformance/kyverno-policies',
);

export function corpusExists(): boolean {
  return existsSync(CORPUS_ROOT);
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listYaml(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

export interface CorpusDocument {
  /** Path relative to the corpus root, with the document index. */
  readonly where: string;
  readonly doc: unknown;
}

/** Every YAML document in the corpus whose file text contains `needle`. */
export function corpusDocuments(needle: string): CorpusDocument[] {
  const out: CorpusDocument[] = [];
  for (const file of listYaml(CORPUS_ROOT)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes(needle)) continue;
    parseAllDocuments(text).forEach((d, i) => {
      if (d.errors.length > 0) return;
      out.push({ where: `${relative(CORPUS_ROOT, file)}#${i}`, doc: d.toJS() });
    });
  }
  return out;
}
