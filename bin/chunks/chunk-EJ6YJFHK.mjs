import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/abortable-sleep.ts
function abortableSleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

export {
  abortableSleep
};
