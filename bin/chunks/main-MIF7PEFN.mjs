import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  startBackground
} from "./chunk-6BNMOJCG.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-DTL7S6NV.mjs";
import "./chunk-M5ZV5SI3.mjs";
import "./chunk-BZZJRPMU.mjs";
import "./chunk-CIHTMZJI.mjs";
import "./chunk-DUEQKOJN.mjs";
import "./chunk-74TYKONL.mjs";
import "./chunk-6KS43A5O.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  startBackground
};
