import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
} from "./chunk-FEHOZWNU.mjs";
import "./chunk-6M6IR3SX.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-LFVI2WRT.mjs";
import "./chunk-NNS4QY3C.mjs";
import "./chunk-QTLVULBO.mjs";
import "./chunk-HO3LYJF3.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-7S6JQMMB.mjs";
import "./chunk-A7N6QYJH.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-UJLG7PDX.mjs";
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
