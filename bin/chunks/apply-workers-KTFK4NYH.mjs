import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
} from "./chunk-4SE2PB36.mjs";
import "./chunk-EMCNPMYN.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-5N7EFI2I.mjs";
import "./chunk-NNS4QY3C.mjs";
import "./chunk-QTLVULBO.mjs";
import "./chunk-RZVZJZFH.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-2GELVW7N.mjs";
import "./chunk-UZAANSQL.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-KMH3FW3U.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
};
