/**
 * @module Expands command-line paths: files as given, folders recursively (hidden entries and
 * non-YAML/JSON files skipped, like Kyverno's loader), `-` for stdin. Symbolic links are followed,
 * but a folder already walked (a link loop) is not walked again, and a broken link is a warning.
 * A walk yields regular files only: a FIFO would block the reader forever, and sockets and devices
 * are not documents, so they (and links to them) are skipped with a warning naming them.
 */
import { existsSync, lstatSync, readdirSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { excludeMatcher, globBase, globMatcher, isGlob, type PathMatcher } from './glob.js';

export const STDIN = '-';
const DOCUMENT_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface WalkResult {
  readonly files: readonly string[];
  readonly issues: readonly IoDiagnostic[];
}

/** What a non-regular, non-folder entry is, for the notice that skips it. */
function specialKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Walks `root` without recursion, calling `onFile` for every regular file below it (sorted by name),
 * and reports entries that cannot be read instead of failing the whole walk. Entries are examined with
 * lstat/stat only, never opened. A special file whose name `accept` takes is skipped with a warning.
 */
export function walkFolder(
  root: string,
  onFile: (full: string, name: string) => void,
  issues: IoDiagnostic[],
  options: { skipHidden: boolean; accept?: (name: string) => boolean; exclude?: PathMatcher },
): void {
  const visited = new Set<string>();
  // Explicit frames keep the order of a recursive walk (entries by name, folders entered in place).
  const frames: { dir: string; names: string[]; next: number }[] = [];
  const enter = (dir: string): void => {
    try {
      const real = realpathSync(dir);
      if (visited.has(real)) return;
      visited.add(real);
      frames.push({ dir, names: readdirSync(dir).sort(), next: 0 });
    } catch (err) {
      issues.push(
        ioDiagnostic('input/read-error', `cannot read folder ${dir}: ${(err as Error).message}`, {
          file: dir,
        }),
      );
    }
  };
  enter(root);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const name = frame.names[frame.next++];
    if (name === undefined) {
      frames.pop();
      continue;
    }
    if (options.skipHidden && name.startsWith('.')) continue;
    const full = join(frame.dir, name);
    if (options.exclude?.(full) === true) continue;
    let st: Stats;
    let link = false;
    try {
      st = lstatSync(full);
      if (st.isSymbolicLink()) {
        link = true;
        st = statSync(full);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'broken symbolic link' : (err as Error).message;
      issues.push(
        ioDiagnostic('input/read-error', `skipped ${full}: ${why}`, { file: full, severity: 'warning' }),
      );
      continue;
    }
    if (st.isDirectory()) {
      if (isHelmChart(full)) issues.push(helmChartNotice(full));
      else enter(full);
    } else if (st.isFile()) onFile(full, name);
    else if (options.accept?.(name) ?? true) {
      const what = `${link ? 'a symbolic link to ' : ''}${specialKind(st)}`;
      issues.push(
        ioDiagnostic('input/read-error', `skipped ${full}: ${what}, not a regular file`, {
          file: full,
          severity: 'warning',
        }),
      );
    }
  }
}

/** A Helm chart's templates are not manifests until rendered; `Chart.yaml` marks its folder. */
function isHelmChart(dir: string): boolean {
  try {
    return statSync(join(dir, 'Chart.yaml')).isFile();
  } catch {
    return false;
  }
}

function helmChartNotice(dir: string): IoDiagnostic {
  return ioDiagnostic(
    'input/skipped',
    `skipped Helm chart ${dir}: its templates are not manifests until rendered; run \`helm template\` and pass the output (\`--resource -\`)`,
    { file: join(dir, 'Chart.yaml'), severity: 'warning' },
  );
}

/**
 * The files named by `paths`, in order: a file as given, a folder walked for the names `accept`
 * takes. A path that cannot be read is a diagnostic, never an exception.
 */
export function collectFiles(
  paths: readonly string[],
  accept: (name: string) => boolean,
  options: PathOptions & { readonly skipHidden: boolean; readonly stdinMarker?: boolean },
): { files: string[]; issues: IoDiagnostic[] } {
  const files: string[] = [];
  const issues: IoDiagnostic[] = [];
  const exclude =
    options.exclude !== undefined && options.exclude.length > 0 ? excludeMatcher(options.exclude) : undefined;
  for (const p of paths) {
    if (p === STDIN && options.stdinMarker === true) {
      files.push(STDIN);
      continue;
    }
    if (isGlob(p) && !existsSync(p)) {
      const matched = globFiles(p, accept, issues, {
        skipHidden: options.skipHidden,
        ...(exclude !== undefined ? { exclude } : {}),
      });
      if (matched.length === 0)
        issues.push(ioDiagnostic('input/not-found', `no files match ${p}`, { file: p }));
      files.push(...matched);
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      issues.push(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? ioDiagnostic('input/not-found', `no such file or directory: ${p}`, { file: p })
          : ioDiagnostic('input/read-error', `cannot read ${p}: ${(err as Error).message}`, { file: p }),
      );
      continue;
    }
    if (st.isDirectory() && isHelmChart(p)) {
      issues.push(helmChartNotice(p));
    } else if (st.isDirectory()) {
      walkFolder(
        p,
        (full, name) => {
          if (accept(name)) files.push(full);
        },
        issues,
        { skipHidden: options.skipHidden, accept, ...(exclude !== undefined ? { exclude } : {}) },
      );
    } else files.push(p);
  }
  return { files, issues };
}

/** How command-line paths are expanded: `--exclude` patterns (see glob.ts). */
export interface PathOptions {
  readonly exclude?: readonly string[];
}

/** The files a glob names: its literal base folder walked, each file matched against the whole pattern. */
function globFiles(
  pattern: string,
  accept: (name: string) => boolean,
  issues: IoDiagnostic[],
  options: { readonly skipHidden: boolean; readonly exclude?: PathMatcher },
): string[] {
  const base = globBase(pattern);
  const matches = globMatcher(pattern);
  const out: string[] = [];
  if (!existsSync(base)) return out;
  walkFolder(
    base,
    (full, name) => {
      if (accept(name) && matches(full)) out.push(full);
    },
    issues,
    options,
  );
  return out;
}

/** Files named by `paths`, in order, without duplicates; `-` is kept as the stdin marker. */
export function expandPaths(paths: readonly string[], options: PathOptions = {}): WalkResult {
  const isDocument = (name: string) => DOCUMENT_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
  const { files, issues } = collectFiles(paths, isDocument, {
    ...options,
    skipHidden: true,
    stdinMarker: true,
  });
  return { files: [...new Set(files)], issues };
}
