/**
 * @module A one-line progress indicator for long runs on a terminal: `\r[120/4000] resources`,
 * redrawn at most every 100 ms, cleared when the run ends. main.ts decides whether to use it.
 */
import type { ProgressReporter } from '../command.js';

const MIN_INTERVAL_MS = 100;
/** Short runs finish before a counter would help; stay quiet below this many items. */
const MIN_ITEMS = 50;

export function createTtyProgress(write: (text: string) => void, now: () => number): ProgressReporter {
  let last = 0;
  let shown = false;
  return (done, total, what) => {
    if ((total ?? done) < MIN_ITEMS) return;
    if (total !== undefined && done >= total) {
      if (shown) write('\r\x1b[K');
      shown = false;
      return;
    }
    const t = now();
    if (t - last < MIN_INTERVAL_MS) return;
    last = t;
    shown = true;
    write(`\r[${total !== undefined ? `${done}/${total}` : done}] ${what}`);
  };
}
