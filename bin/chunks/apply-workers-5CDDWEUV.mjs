import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
} from "./chunk-UBYOH7ME.mjs";
import "./chunk-QRCZOGJ6.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-7CQJUF72.mjs";
import "./chunk-NNS4QY3C.mjs";
import "./chunk-QTLVULBO.mjs";
import "./chunk-CA4P3IWM.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-BBH2JR7Z.mjs";
import "./chunk-4LS6LCCT.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-VGGIHGUQ.mjs";
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
