/** @module `podSecurity.level`/`version` as Kyverno parses them (pss.ParseVersion). */

export type PssVersion = number | 'latest';

export interface LevelVersion {
  /** Kept verbatim: only `baseline` filters checks; any other level runs all of them, as in Kyverno. */
  readonly level: string;
  /** Minor version of v1.<minor>, or `latest`. */
  readonly version: PssVersion;
}

export class PodSecurityVersionError extends Error {
  constructor(version: string) {
    super(`invalid version "${version}", must match v1.<minor> or "latest"`);
    this.name = 'PodSecurityVersionError';
  }
}

const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/** Empty or `latest` → latest; otherwise `v1.<minor>`. */
export function parseLevelVersion(level: string | undefined, version: string | undefined): LevelVersion {
  const v = version ?? '';
  if (v === '' || v === 'latest') return { level: level ?? '', version: 'latest' };
  const m = VERSION.exec(v);
  if (m === null) throw new PodSecurityVersionError(v);
  return { level: level ?? '', version: Number(m[1]) };
}
