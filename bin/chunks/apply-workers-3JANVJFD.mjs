import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
} from "./chunk-FRY7XL2P.mjs";
import "./chunk-W4TOC7AC.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-75C5GGSW.mjs";
import "./chunk-NNS4QY3C.mjs";
import "./chunk-QTLVULBO.mjs";
import "./chunk-HD2E3QXV.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-QZ4DBDBS.mjs";
import "./chunk-Q4U5UIKN.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-GXD7T5X6.mjs";
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
