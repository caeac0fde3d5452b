import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
} from "./chunk-VFTJCRF6.mjs";
import "./chunk-LQPZGGXZ.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-PENX2ZZW.mjs";
import "./chunk-NNS4QY3C.mjs";
import "./chunk-QTLVULBO.mjs";
import "./chunk-6EWERAWI.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-DUKMHHF6.mjs";
import "./chunk-ISDS3ZD5.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-U5FGLW6M.mjs";
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
