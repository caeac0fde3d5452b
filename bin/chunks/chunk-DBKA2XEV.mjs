import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/yaml/limits.ts
var DEFAULT_LIMITS = {
  maxFileBytes: 50 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 1e3
};
function valueDepth(value, stopAbove) {
  let max = 0;
  const stack = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop();
    if (v === null || typeof v !== "object") continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAbove) return max;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (c !== null && typeof c === "object") stack.push([c, depth]);
  }
  return max;
}

// src/io/files/read-bounded.ts
import { readSync } from "node:fs";
function readBounded(fd, maxBytes) {
  const chunks = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 20);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (total <= maxBytes) {
    let n;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      const code = err.code;
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (code === "EOF") break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

export {
  DEFAULT_LIMITS,
  valueDepth,
  readBounded
};
