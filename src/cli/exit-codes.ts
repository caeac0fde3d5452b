/**
 * @module Process exit codes. These are stable: scripts and CI depend on them, and
 * docs/ci-cd.md documents them. Usage errors share 1 with failures, as Kyverno's CLI does.
 */
export const EXIT_OK = 0;
/**
 * Policy violations at or above `--fail-on` (apply), failed test rows (test), or input that could
 * not be loaded. `apply --warn-exit-code N` picks another code for warnings only.
 */
export const EXIT_FAILURE = 1;
/** A bug or an environment failure (caught at the edge, never a stack trace). */
export const EXIT_INTERNAL = 2;
/** Bad command-line usage (unknown command or flag). Kyverno uses 1 here too. */
export const EXIT_USAGE = 1;
