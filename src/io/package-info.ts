/**
 * @module The tool's name and version: in the bundle, the constant scripts/bundle.mjs writes into it
 * (`PALISADE_NAME`, `PALISADE_VERSION`, which the entry also prints for a bare `palisade version` without loading
 * this module); under tsc or tsx, the nearest package.json.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** package.json's name and version, defined by the bundler (strings); undefined under tsc or tsx. */
declare const PALISADE_NAME: string | undefined;
declare const PALISADE_VERSION: string | undefined;

/** The bundled constant, else a walk up from this file to the nearest package.json (src/, dist/). */
export function readPackage(): { name: string; version: string } {
  if (typeof PALISADE_NAME === 'string' && typeof PALISADE_VERSION === 'string') {
    return { name: PALISADE_NAME, version: PALISADE_VERSION };
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      return { name: pkg.name ?? 'palisade', version: pkg.version ?? '0.0.0' };
    } catch {
      dir = dirname(dir);
    }
  }
  return { name: 'palisade', version: '0.0.0' };
}

/** `palisade version`'s line: `NAME version VERSION`. */
export function versionLine(): string {
  const { name, version } = readPackage();
  return `${name} version ${version}`;
}
