/**
 * @module Watches a folder tree and reports changes after a quiet period (editors and `kubectl cp`
 * write a file in several steps; a mounted ConfigMap swaps a symbolic link). Events say nothing
 * reliable about what changed, so the caller simply reloads.
 */
import { type FSWatcher, watch } from 'node:fs';

export interface FolderWatch {
  close(): void;
}

export interface WatchFolderOptions {
  /** Quiet time after the last event before `onChange` runs. */
  readonly debounceMs: number;
  /** The watch failed (the folder went away, too many watches); no more changes are reported. */
  readonly onError?: (message: string) => void;
}

/** Calls `onChange` once per burst of changes below `folder`. Throws if the folder cannot be watched. */
export function watchFolder(folder: string, onChange: () => void, options: WatchFolderOptions): FolderWatch {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = (): void => {
    timer = undefined;
    if (!closed) onChange();
  };
  const watcher: FSWatcher = watch(folder, { recursive: true, persistent: false }, () => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fire, options.debounceMs);
  });
  watcher.on('error', (err: Error) => {
    if (closed) return;
    options.onError?.(`watching ${folder} failed: ${err.message}`);
  });
  return {
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
    },
  };
}
