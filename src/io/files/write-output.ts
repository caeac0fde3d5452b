/**
 * @module Writes `palisade apply --output` results: one multi-document file, or one file per
 * resource in a directory (created when the path does not exist and has no .yaml/.yml/.json
 * extension, as Kyverno's CLI does).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

export type OutputTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'dir'; readonly path: string };

export function resolveOutputTarget(path: string): OutputTarget {
  if (existsSync(path)) return statSync(path).isDirectory() ? { kind: 'dir', path } : { kind: 'file', path };
  if (path.endsWith('/')) return { kind: 'dir', path };
  const ext = extname(path).toLowerCase();
  return ext === '.yaml' || ext === '.yml' || ext === '.json'
    ? { kind: 'file', path }
    : { kind: 'dir', path };
}

/** Writes and returns undefined, or returns the error message. */
export function writeOutput(
  target: OutputTarget,
  content: { readonly file: string; readonly files: readonly { name: string; content: string }[] },
): string | undefined {
  try {
    if (target.kind === 'file') {
      mkdirSync(dirname(target.path), { recursive: true });
      writeFileSync(target.path, content.file);
    } else {
      mkdirSync(target.path, { recursive: true });
      for (const f of content.files) writeFileSync(join(target.path, f.name), f.content);
    }
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
