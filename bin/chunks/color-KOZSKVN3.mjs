import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  colorStatus,
  shouldColor,
  visibleLength
} from "./chunk-NNS4QY3C.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  colorStatus,
  shouldColor,
  visibleLength
};
