/**
 * @module A GlobalContextEntry's `kubernetesResource`: the collection (every namespace, or one) kept
 * in a local copy by list-then-watch, as Kyverno's informer-backed entry. It answers once the first
 * list arrived; before that, and while the resource is not served, reads fail with a reason.
 */
import type { ListWatchClient } from '../list-watch-client.js';
import { type Reflector, startReflector } from '../reflector.js';
import type { EntryAnswer, EntryData, Projection } from './entry-data.js';
import { Projector } from './entry-data.js';

export interface ResourceSource {
  readonly group?: string;
  readonly version: string;
  readonly resource: string;
  readonly namespace?: string;
}

export type EntryLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Record<string, unknown>,
) => void;

/** The collection's path: `/api/v1[/namespaces/ns]/pods` or `/apis/g/v[/namespaces/ns]/res`. */
export function collectionPath(source: ResourceSource): string {
  const gv =
    source.group === undefined || source.group === ''
      ? `/api/${source.version}`
      : `/apis/${source.group}/${source.version}`;
  const ns =
    source.namespace !== undefined && source.namespace !== ''
      ? `/namespaces/${encodeURIComponent(source.namespace)}`
      : '';
  return `${gv}${ns}/${encodeURIComponent(source.resource)}`;
}

export function resourceEntry(options: {
  readonly name: string;
  readonly source: ResourceSource;
  /** The kind the resource is served as (stamped on listed objects, which come without one). */
  readonly kind: string;
  readonly projections: readonly Projection[];
  readonly client: ListWatchClient;
  readonly log: EntryLog;
}): EntryData {
  const { source } = options;
  const apiVersion =
    source.group === undefined || source.group === '' ? source.version : `${source.group}/${source.version}`;
  const projector = new Projector(options.projections);
  const reflector: Reflector = startReflector({
    resource: `${source.resource}${source.group ? `.${source.group}` : ''}`,
    kind: options.kind,
    versions: [{ apiVersion, path: collectionPath(source) }],
    client: options.client,
    onChange: () => projector.invalidate(),
    log: (level, message, fields) =>
      options.log(level, message, { globalContextEntry: options.name, ...fields }),
  });
  const objects = (): unknown[] => reflector.items();
  return {
    get(projection): EntryAnswer {
      if (reflector.state === 'pending')
        return { ok: false, error: `global context entry ${options.name} is not synced yet` };
      if (reflector.state === 'missing')
        return {
          ok: false,
          error: `global context entry ${options.name}: resource ${collectionPath(source)} is not served`,
        };
      if (projection === '') return { ok: true, data: objects() };
      return (
        projector.project(projection, objects) ?? { ok: false, error: `projection "${projection}" not found` }
      );
    },
    stop: () => reflector.stop(),
  };
}
