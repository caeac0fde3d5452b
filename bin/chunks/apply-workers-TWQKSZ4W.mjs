import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
} from "./chunk-NAPOZFEI.mjs";
import "./chunk-UDUFEVJO.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-DNTYCI5T.mjs";
import "./chunk-NNS4QY3C.mjs";
import "./chunk-QTLVULBO.mjs";
import "./chunk-G5XHT7KU.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-B25Y5PAN.mjs";
import "./chunk-BEDWXCWF.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-VRWKX5IU.mjs";
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
