import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  startBackground
} from "./chunk-VYUKPOEJ.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-S3L4M4DS.mjs";
import "./chunk-M5ZV5SI3.mjs";
import "./chunk-BZZJRPMU.mjs";
import "./chunk-CIHTMZJI.mjs";
import "./chunk-DUEQKOJN.mjs";
import "./chunk-74TYKONL.mjs";
import "./chunk-VRWKX5IU.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  startBackground
};
