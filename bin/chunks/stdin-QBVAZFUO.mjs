import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  DEFAULT_LIMITS,
  readBounded
} from "./chunk-DBKA2XEV.mjs";
import "./chunk-34UHWEGN.mjs";

// src/io/files/stdin.ts
var cached;
function readStdinOnce() {
  cached ??= readBounded(0, DEFAULT_LIMITS.maxFileBytes);
  return cached;
}
export {
  readStdinOnce
};
