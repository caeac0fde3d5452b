/**
 * @module Where the API server serves a kind: the plural resource and its scope, from the discovery
 * document of the kind's group version (`/api/v1`, `/apis/group/version`), read when first needed and
 * kept for a while. The engine names kinds, and for CEL `resource.get/list` it guesses the kind from a
 * plural (`kindOfResource`), so a resource also matches when its plural gives that guess (custom
 * resources with irregular plurals). Memory is bounded by the group versions the server has.
 */

import type { PortResult } from '../../engine/index.js';
import { kindOfResource } from '../../engine/index.js';
import { failure, statusCode, statusMessage } from './port-errors.js';

export interface ServedResource {
  /** The plural, e.g. `configmaps`. */
  readonly resource: string;
  readonly namespaced: boolean;
}

interface ResourceList {
  readonly resources?: readonly { name: string; kind: string; namespaced: boolean }[];
}

/** GETs one discovery document: its status and body text (the live ports' bounded request). */
export type DiscoveryGet = (path: string, signal: AbortSignal) => Promise<{ status: number; text: string }>;

/** A document is trusted this long; a kind it lacks is asked again at most this often. */
const KEEP_MS = 5 * 60_000;
const RECHECK_MS = 10_000;

/** `/api/v1` or `/apis/group/version` for an apiVersion, or undefined when it is not one. */
export function groupVersionPath(apiVersion: string): string | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0] !== '' && parts[0] !== '*') return `/api/${parts[0]}`;
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return `/apis/${apiVersion}`;
  return undefined;
}

export class ResourcePaths {
  readonly #get: DiscoveryGet;
  readonly #now: () => number;
  readonly #lists = new Map<string, { at: number; list: ResourceList }>();

  constructor(get: DiscoveryGet, now: () => number = Date.now) {
    this.#get = get;
    this.#now = now;
  }

  /** The path prefix and resource serving `kind` of `apiVersion`, or why there is none. */
  async resolve(
    apiVersion: string,
    kind: string,
    signal: AbortSignal,
  ): Promise<PortResult<ServedResource & { readonly base: string }>> {
    const base = groupVersionPath(apiVersion);
    if (base === undefined) return failure('failed', `"${apiVersion}" is not an apiVersion (group/version)`);
    let cached = this.#lists.get(base);
    const age = cached === undefined ? Number.POSITIVE_INFINITY : this.#now() - cached.at;
    let found = cached !== undefined && age < KEEP_MS ? find(cached.list, kind) : undefined;
    if (found === undefined && (cached === undefined || age >= RECHECK_MS)) {
      const answer = await this.#get(base, signal);
      if (answer.status === 404)
        return failure('not-found', `the API server does not serve ${apiVersion} (${base}: 404)`);
      if (answer.status < 200 || answer.status > 299)
        return failure(
          statusCode(answer.status),
          `discovery of ${apiVersion}: HTTP ${answer.status}: ${statusMessage(answer.text)}`,
        );
      let list: ResourceList;
      try {
        list = JSON.parse(answer.text) as ResourceList;
      } catch {
        return failure('failed', `discovery of ${apiVersion}: the response is not JSON`);
      }
      cached = { at: this.#now(), list };
      this.#lists.set(base, cached);
      found = find(list, kind);
    }
    if (found === undefined)
      return failure('not-found', `the API server serves no resource of kind ${kind} in ${apiVersion}`);
    return { ok: true, value: { ...found, base } };
  }
}

function find(list: ResourceList, kind: string): ServedResource | undefined {
  // Subresources (`pods/status`) share their parent's kind: only top-level resources count.
  const top = (list.resources ?? []).filter((r) => !r.name.includes('/'));
  const r = top.find((x) => x.kind === kind) ?? top.find((x) => kindOfResource(x.name) === kind);
  return r === undefined ? undefined : { resource: r.name, namespaced: r.namespaced };
}
