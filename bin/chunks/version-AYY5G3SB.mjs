import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  VERSION_HELP,
  versionCommand
} from "./chunk-LGWBX3AA.mjs";
import "./chunk-XQ4PWHJT.mjs";
import {
  readPackage
} from "./chunk-XKNQZM4Z.mjs";
import "./chunk-4HTNUG6Q.mjs";
import "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  VERSION_HELP,
  readPackage,
  versionCommand
};
