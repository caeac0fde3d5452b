/**
 * @module Reads the expected-resource files test rows name (`patchedResources`,
 * `generatedResource(s)`), relative to the test file, once each.
 */
import { loadResources } from '../../io/files/resources.js';
import type { ExpectedResourceLoader } from './check-results.js';

/** `resolve` turns a path as written in the test into a filesystem path. */
export function createExpectedResourceLoader(resolve: (file: string) => string): ExpectedResourceLoader {
  const cache = new Map<string, ReturnType<ExpectedResourceLoader>>();
  return (file) => {
    const hit = cache.get(file);
    if (hit !== undefined) return hit;
    const loaded = loadResources([resolve(file)]);
    const error = loaded.issues.find((d) => d.severity === 'error');
    const result =
      error !== undefined ? { error: error.message } : { objects: loaded.resources.map((r) => r.object) };
    cache.set(file, result);
    return result;
  };
}
