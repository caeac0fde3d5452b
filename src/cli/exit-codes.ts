/**
 * @module Process exit codes. These are stable: scripts and CI depend on them, and docs/ci-cd.md
 * documents them. Kyverno's CLI uses 1 for everything; Palisade keeps 1 for findings and gives
 * broken input its own code, so a pipeline can tell "the manifests break policy" from "nothing was checked".
 */
export const EXIT_OK = 0;
/**
 * Policy violations at or above `--fail-on` (apply) or failed test rows (test).
 * `apply --warn-exit-code N` picks another code for warnings only.
 */
export const EXIT_FAILURE = 1;
/** Bad command-line usage, or an input that could not be read or loaded (file, policy, test, values). */
export const EXIT_INPUT = 2;
/** Bad command-line usage (unknown command or flag, missing argument): the same code as broken input. */
export const EXIT_USAGE = EXIT_INPUT;
/** A bug or an environment failure (caught at the edge, never a stack trace). */
export const EXIT_INTERNAL = 3;
