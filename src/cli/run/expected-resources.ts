/**
 * @module Reads the expected-resource files test rows name (`patchedResources`,
 * `generatedResource(s)`), relative to the test file, once each.
 */
import { statSync } from 'node:fs';
import { loadResources } from '../../io/files/resources.js';
import type { ExpectedResourceLoader } from './check-results.js';

/** `resolve` turns a path as written in the test into a filesystem path. */
export function createExpectedResourceLoader(resolve: (file: string) => string): ExpectedResourceLoader {
  const cache = new Map<string, ReturnType<ExpectedResourceLoader>>();
  return (file) => {
    const hit = cache.get(file);
    if (hit !== undefined) return hit;
    const path = resolve(file);
    // A row names one file, which Kyverno reads as such: a folder is a read error (a `Resource
    // error` row), not a walk that finds no resource and lets the row pass unchecked.
    if (isDirectory(path)) {
      const result = { error: `read ${file}: is a directory` };
      cache.set(file, result);
      return result;
    }
    const loaded = loadResources([path]);
    const error = loaded.issues.find((d) => d.severity === 'error');
    const result =
      error !== undefined ? { error: error.message } : { objects: loaded.resources.map((r) => r.object) };
    cache.set(file, result);
    return result;
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
