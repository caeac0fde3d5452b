/**
 * @module Whether a clone's source still exists (Kyverno deletes a synchronized clone when its
 * source is deleted: the legacy webhook's processRequest for a ClusterPolicy's, the watch manager's
 * handleDelete for a GeneratingPolicy's). Palisade polls instead of watching: each resync asks once
 * per source. A source named by its labels is read by name (and must keep the labelled uid); one
 * known only by uid (a GeneratingPolicy's clone) is found by listing its kind once, then remembered
 * by name for the rest of the term. A read that fails is no answer: nothing is deleted on it.
 */
import type { KubeObject } from '../../engine/index.js';
import type { ClusterObjects } from '../../io/cluster/cluster-objects.js';
import type { CloneSource } from './downstream.js';

interface Located {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

/** One resync's questions: reads are shared within it. */
export interface SourceRound {
  /**
   * True when the source is gone (or replaced by another object of the same name), false when it
   * exists or the cluster could not say. `scope` bounds the search for a source the labels do not
   * place (a NamespacedGeneratingPolicy's namespace).
   */
  gone(source: CloneSource, scope?: string): Promise<boolean>;
  /** Forgets where the sources not asked about in this round were. */
  done(): void;
}

export interface SourceTracker {
  round(): SourceRound;
  /** A new term: nothing is remembered. */
  reset(): void;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const FAILED = Symbol('failed');

export function createSourceTracker(objects: ClusterObjects): SourceTracker {
  let located = new Map<string, Located>();
  return {
    reset() {
      located = new Map();
    },
    round() {
      const reads = new Map<string, Promise<KubeObject | undefined | typeof FAILED>>();
      const lists = new Map<string, Promise<KubeObject[] | typeof FAILED>>();
      const asked = new Set<string>();
      const get = (apiVersion: string, kind: string, namespace: string | undefined, name: string) => {
        const key = `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;
        let read = reads.get(key);
        if (read === undefined) {
          read = objects.get(apiVersion, kind, namespace, name).catch(() => FAILED);
          reads.set(key, read);
        }
        return read;
      };
      const list = (apiVersion: string, kind: string, namespace: string | undefined) => {
        const key = `${apiVersion}/${kind}/${namespace ?? ''}`;
        let read = lists.get(key);
        if (read === undefined) {
          read = objects.list(apiVersion, kind, namespace).catch(() => FAILED);
          lists.set(key, read);
        }
        return read;
      };
      /** Gone when the name now holds nothing, or another object than `uid`. */
      const goneByName = async (at: Located, uid: string | undefined): Promise<boolean> => {
        const o = await get(at.apiVersion, at.kind, at.namespace, at.name);
        if (o === FAILED) return false;
        return o === undefined || (uid !== undefined && str(o.metadata?.uid) !== uid);
      };
      return {
        async gone(source, scope) {
          const namespace = source.namespace !== undefined ? source.namespace || undefined : scope;
          if (source.name !== undefined)
            return goneByName({ ...source, namespace, name: source.name }, source.uid);
          const uid = source.uid;
          if (uid === undefined) return false;
          asked.add(uid);
          const at = located.get(uid);
          if (at !== undefined) {
            const gone = await goneByName(at, uid);
            if (gone) located.delete(uid);
            return gone;
          }
          const all = await list(source.apiVersion, source.kind, namespace);
          if (all === FAILED) return false;
          const found = all.find((o) => str(o.metadata?.uid) === uid);
          if (found === undefined) return true;
          located.set(uid, {
            apiVersion: source.apiVersion,
            kind: source.kind,
            namespace: str(found.metadata?.namespace) || undefined,
            name: str(found.metadata?.name),
          });
          return false;
        },
        done() {
          for (const uid of located.keys()) if (!asked.has(uid)) located.delete(uid);
        },
      };
    },
  };
}
