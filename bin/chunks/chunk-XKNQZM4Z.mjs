import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/package-info.ts
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function readPackage() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return { name: pkg.name ?? "palisade", version: pkg.version ?? "0.0.0" };
    } catch {
      dir = dirname(dir);
    }
  }
  return { name: "palisade", version: "0.0.0" };
}
function versionLine() {
  const { name, version } = readPackage();
  return `${name} version ${version}`;
}

export {
  readPackage,
  versionLine
};
