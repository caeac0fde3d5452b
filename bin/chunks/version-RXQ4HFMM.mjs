import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  VERSION_HELP,
  readPackage,
  versionCommand
} from "./chunk-BFDCXSMU.mjs";
import "./chunk-O3KOCDW3.mjs";
import "./chunk-4HTNUG6Q.mjs";
import "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  VERSION_HELP,
  readPackage,
  versionCommand
};
