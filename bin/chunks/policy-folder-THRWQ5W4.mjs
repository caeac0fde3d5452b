import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  loadPolicyFolder,
  watchPolicyFolder
} from "./chunk-MZ54UTDY.mjs";
import "./chunk-B636O7HU.mjs";
import "./chunk-NHID5TVY.mjs";
import "./chunk-L5O25CKA.mjs";
import "./chunk-JKZ2CQ2I.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  loadPolicyFolder,
  watchPolicyFolder
};
