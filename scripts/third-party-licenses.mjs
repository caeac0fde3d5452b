/** @module The licence text of every npm package whose code is in an esbuild bundle (their licences ask for it). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `inputs` are the bundle's input paths (esbuild's metafile, relative to `root`); `heading` opens the
 * text. Packages are sorted by name@version, so the output is deterministic.
 */
export function thirdPartyLicenses(inputs, root, heading) {
  const packages = new Map();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m === null) continue;
    const dir = resolve(root, m[1]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    packages.set(`${pkg.name}@${pkg.version}`, { dir, license: pkg.license ?? 'see package' });
  }
  const parts = [`${heading}\n`];
  for (const id of [...packages.keys()].sort()) {
    const { dir, license } = packages.get(id);
    const file = readdirSync(dir)
      .sort()
      .find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    const text = file !== undefined ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${license}`;
    parts.push(`${'-'.repeat(72)}\n${id} (${license})\n\n${text}\n`);
  }
  return parts.join('\n');
}
