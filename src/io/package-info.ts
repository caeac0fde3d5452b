/**
 * @module The tool's name and version, from the nearest package.json. A module of its own, which the
 * binary's entry imports statically: a bare `palisade version` is answered without loading the CLI.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from this file to the nearest package.json (works from src/, dist/ and the bundle in bin/). */
export function readPackage(): { name: string; version: string } {
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
