import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import "./chunk-34UHWEGN.mjs";

// src/cli/output/progress.ts
var MIN_INTERVAL_MS = 100;
var MIN_ITEMS = 50;
function createTtyProgress(write, now) {
  let last = 0;
  let shown = false;
  return (done, total, what) => {
    if ((total ?? done) < MIN_ITEMS) return;
    if (total !== void 0 && done >= total) {
      if (shown) write("\r\x1B[K");
      shown = false;
      return;
    }
    const t = now();
    if (t - last < MIN_INTERVAL_MS) return;
    last = t;
    shown = true;
    write(`\r[${total !== void 0 ? `${done}/${total}` : done}] ${what}`);
  };
}
export {
  createTtyProgress
};
