import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  startBackground
} from "./chunk-Q7LO7FR4.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-ZOSQFG4F.mjs";
import "./chunk-M5ZV5SI3.mjs";
import "./chunk-BZZJRPMU.mjs";
import "./chunk-CIHTMZJI.mjs";
import "./chunk-DUEQKOJN.mjs";
import "./chunk-74TYKONL.mjs";
import "./chunk-KMH3FW3U.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  startBackground
};
