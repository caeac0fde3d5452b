/**
 * @module An in-memory ListWatchClient for tests: collections by path that can be served or not,
 * objects added, changed and deleted (sent to open watches), watches expired (410) or broken.
 */
import type {
  KubeObject,
  ListResult,
  ListWatchClient,
  WatchEnd,
  WatchEvent,
} from '../../src/io/cluster/list-watch-client.js';

interface OpenWatch {
  readonly path: string;
  readonly onEvent: (e: WatchEvent) => void;
  readonly end: (how: WatchEnd | Error) => void;
}

export class FakeCluster implements ListWatchClient {
  readonly #collections = new Map<string, Map<string, KubeObject>>();
  #watches: OpenWatch[] = [];
  #version = 1;
  /** How many list calls each path got. */
  readonly lists = new Map<string, number>();
  /** Paths whose next list fails with an error (once each). */
  readonly failNextList = new Set<string>();
  readonly #held = new Map<string, Promise<void>>();
  readonly #release = new Map<string, () => void>();

  /** Lists of `path` wait until `release(path)`. */
  hold(path: string): void {
    this.#held.set(path, new Promise((done) => this.#release.set(path, done)));
  }

  release(path: string): void {
    this.#release.get(path)?.();
    this.#held.delete(path);
  }

  serve(path: string, objects: readonly KubeObject[] = []): void {
    const m = new Map<string, KubeObject>();
    for (const o of objects) m.set(this.#key(o), this.#versioned(o));
    this.#collections.set(path, m);
  }

  unserve(path: string): void {
    this.#collections.delete(path);
    this.#endWatches(path, new Error('HTTP 404'));
  }

  put(path: string, object: KubeObject): void {
    const m = this.#collections.get(path);
    if (m === undefined) throw new Error(`${path} not served`);
    const type = m.has(this.#key(object)) ? 'MODIFIED' : 'ADDED';
    const o = this.#versioned(object);
    m.set(this.#key(o), o);
    for (const w of this.#watches) if (w.path === path) w.onEvent({ type, object: o });
  }

  remove(path: string, name: string, namespace?: string): void {
    const m = this.#collections.get(path);
    const key = `${namespace ?? ''}/${name}`;
    const o = m?.get(key);
    if (m === undefined || o === undefined) return;
    m.delete(key);
    for (const w of this.#watches)
      if (w.path === path) w.onEvent({ type: 'DELETED', object: this.#versioned(o) });
  }

  /** Ends the open watches of `path` with 410 Gone. */
  expire(path: string): void {
    this.#endWatches(path, 'gone');
  }

  /** Breaks the open watches of `path` (a dropped connection). */
  break(path: string): void {
    this.#endWatches(path, new Error('connection reset'));
  }

  get openWatches(): number {
    return this.#watches.length;
  }

  async list(path: string): Promise<ListResult> {
    this.lists.set(path, (this.lists.get(path) ?? 0) + 1);
    await this.#held.get(path);
    if (this.failNextList.delete(path)) throw new Error('HTTP 500: etcd unavailable');
    const m = this.#collections.get(path);
    if (m === undefined) return { kind: 'missing' };
    return { kind: 'listed', items: [...m.values()], resourceVersion: String(this.#version) };
  }

  watch(
    path: string,
    _resourceVersion: string,
    onEvent: (e: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd> {
    return new Promise((done, fail) => {
      const w: OpenWatch = {
        path,
        onEvent,
        end: (how) => {
          this.#watches = this.#watches.filter((x) => x !== w);
          if (how instanceof Error) fail(how);
          else done(how);
        },
      };
      this.#watches.push(w);
      signal.addEventListener('abort', () => w.end(new Error('aborted')), { once: true });
    });
  }

  #endWatches(path: string, how: WatchEnd | Error): void {
    for (const w of this.#watches.filter((x) => x.path === path)) w.end(how);
  }

  #key(o: KubeObject): string {
    return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  }

  #versioned(o: KubeObject): KubeObject {
    this.#version++;
    return { ...o, metadata: { ...o.metadata, resourceVersion: String(this.#version) } };
  }
}
