/** @module The kind a resource (plural) of a group/version is served as, from the API server's discovery. */
import type { PortResult } from '../../../engine/index.js';
import type { KubeHttp } from '../kube-http.js';

export function discoverKind(http: KubeHttp) {
  return async (
    group: string,
    version: string,
    resource: string,
    signal: AbortSignal,
  ): Promise<PortResult<string>> => {
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    try {
      const answer = await http.getJson(path, signal);
      if (answer.status === 404) return { ok: false, code: 'not-found', message: `${path} is not served` };
      if (answer.status !== 200)
        return { ok: false, code: 'unavailable', message: `discovery of ${path}: HTTP ${answer.status}` };
      const list = (answer.body as { resources?: { name?: unknown; kind?: unknown }[] }).resources ?? [];
      const found = list.find((r) => r.name === resource);
      return typeof found?.kind === 'string'
        ? { ok: true, value: found.kind }
        : { ok: false, code: 'not-found', message: `resource ${resource} is not served by ${path}` };
    } catch (err) {
      return {
        ok: false,
        code: 'unavailable',
        message: `discovery of ${path}: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  };
}
