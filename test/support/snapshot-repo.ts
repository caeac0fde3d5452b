/**
 * A git repository holding this checkout as it would be committed (tracked files plus new ones git
 * does not ignore, as they are in the working tree), so install tests see uncommitted work too.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

function git(args: readonly string[], cwd: string): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Writes the snapshot into `dir` (created) as a one-commit repository; returns the commit. */
export function snapshotRepo(dir: string): string {
  const listed = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
  for (const f of listed.split('\0')) {
    if (f === '' || f === 'node_modules' || f.startsWith('dist/')) continue;
    try {
      cpSync(join(ROOT, f), join(dir, f), { dereference: false });
    } catch {} // listed but deleted in the working tree
  }
  git(['init', '-q'], dir);
  git(['add', '-A'], dir);
  git(['commit', '-q', '-m', 'snapshot'], dir);
  return git(['rev-parse', 'HEAD'], dir).trim();
}

export { git as runGit };
