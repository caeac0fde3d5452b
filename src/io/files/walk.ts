/**
 * @module Expands command-line paths: files as given, folders recursively (hidden entries and
 * non-YAML/JSON files skipped, like Kyverno's loader), `-` for stdin.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';

export const STDIN = '-';
const DOCUMENT_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface WalkResult {
  readonly files: readonly string[];
  readonly issues: readonly IoDiagnostic[];
}

function walkDir(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) walkDir(full, out);
    else if (DOCUMENT_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))) out.push(full);
  }
}

/** Files named by `paths`, in order, without duplicates; `-` is kept as the stdin marker. */
export function expandPaths(paths: readonly string[]): WalkResult {
  const files: string[] = [];
  const issues: IoDiagnostic[] = [];
  for (const p of paths) {
    if (p === STDIN) {
      files.push(STDIN);
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      issues.push(ioDiagnostic('input/not-found', `no such file or directory: ${p}`, { file: p }));
      continue;
    }
    if (st.isDirectory()) {
      try {
        walkDir(p, files);
      } catch (err) {
        issues.push(
          ioDiagnostic('input/read-error', `cannot read folder: ${(err as Error).message}`, { file: p }),
        );
      }
    } else files.push(p);
  }
  return { files: [...new Set(files)], issues };
}
