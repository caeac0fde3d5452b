/**
 * Microsoft's SARIF Multitool (`@microsoft/sarif-multitool`, a self-contained .NET build shipped in
 * its npm package: no .NET install needed), installed on first use into ~/.cache (outside the
 * repository). `validate` checks a log against the SARIF schema and Microsoft's SARIF rules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const MULTITOOL_VERSION = '5.7.0';
const DIR = join(homedir(), '.cache/palisade-sarif-multitool', MULTITOOL_VERSION);
const BIN = join(DIR, 'node_modules/.bin/sarif-multitool');

/** The Multitool's path, installing it when missing; or why it cannot run here. */
export function ensureMultitool(): { bin: string } | { missing: string } {
  if (!existsSync(BIN)) {
    mkdirSync(DIR, { recursive: true });
    const r = spawnSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--no-save',
        '--prefix',
        DIR,
        `@microsoft/sarif-multitool@${MULTITOOL_VERSION}`,
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (r.status !== 0 || !existsSync(BIN))
      return {
        missing: `npm cannot install @microsoft/sarif-multitool@${MULTITOOL_VERSION}: ${(r.stderr ?? '').trim().split('\n').at(-1) ?? ''}`,
      };
  }
  const version = spawnSync(BIN, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (version.status !== 0)
    return {
      missing: `sarif-multitool does not run here: ${(version.stderr || version.stdout || String(version.error)).trim().split('\n')[0]}`,
    };
  return { bin: BIN };
}

/**
 * `sarif-multitool validate` over the files: one `file: level ruleId message` line per problem it
 * reports. `ruleKind` picks the rule set: `Sarif` (the schema and Microsoft's SARIF rules, the
 * default) or `Gh` (what GitHub code scanning requires of an upload: GH1001…GH2012).
 */
export function multitoolProblems(
  bin: string,
  files: readonly string[],
  ruleKind: 'Sarif' | 'Gh' = 'Sarif',
): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-multitool-'));
  try {
    const out = join(dir, 'validation.sarif');
    const args = ['validate', ...files, '--rule-kind', ruleKind, '-o', out, '--log', 'ForceOverwrite', '-q'];
    const r = spawnSync(bin, args, {
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (!existsSync(out))
      throw new Error(`sarif-multitool validate failed (${r.status}): ${r.stdout}${r.stderr}`);
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: {
        results?: {
          level?: string;
          ruleId: string;
          message: { text?: string; arguments?: string[] };
          locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
        }[];
      }[];
    };
    return (log.runs[0]?.results ?? []).map(
      (x) =>
        `${x.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?'}: ${x.level ?? 'warning'} ${x.ruleId} ${x.message.text ?? (x.message.arguments ?? []).join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
