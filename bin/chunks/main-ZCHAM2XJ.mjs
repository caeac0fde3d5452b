import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  startBackground
} from "./chunk-5D2YNEKX.mjs";
import "./chunk-JCGDWRDO.mjs";
import "./chunk-35RUICKL.mjs";
import "./chunk-M5ZV5SI3.mjs";
import "./chunk-Q7EKNDC4.mjs";
import "./chunk-74TYKONL.mjs";
import "./chunk-DUEQKOJN.mjs";
import "./chunk-Z5DEH4BP.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  startBackground
};
