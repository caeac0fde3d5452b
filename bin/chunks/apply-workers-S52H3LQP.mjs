import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  ApplyWorkers,
  ChunkedFile,
  chunking,
  hasLargeFile,
  readChunk,
  workerCount,
  workerStats
} from "./chunk-AVA3U7TG.mjs";
import "./chunk-SCR4RYX5.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-6AY34GRZ.mjs";
import "./chunk-NNS4QY3C.mjs";
import "./chunk-QTLVULBO.mjs";
import "./chunk-LMTS6H7B.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-SYSAGFRY.mjs";
import "./chunk-M6U4UWE7.mjs";
import "./chunk-DBKA2XEV.mjs";
import "./chunk-YMPJWN4D.mjs";
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
