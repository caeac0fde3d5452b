import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  APPLY_WORKER_FLAG,
  LARGE_FILE_BYTES,
  WORKER_YOUNG_MB,
  adoptPrestarted,
  discardPrestarted,
  hasLargeFile,
  prestartApplyWorker,
  wouldPrestart
} from "./chunk-QTLVULBO.mjs";
import "./chunk-34UHWEGN.mjs";
export {
  APPLY_WORKER_FLAG,
  LARGE_FILE_BYTES,
  WORKER_YOUNG_MB,
  adoptPrestarted,
  discardPrestarted,
  hasLargeFile,
  prestartApplyWorker,
  wouldPrestart
};
