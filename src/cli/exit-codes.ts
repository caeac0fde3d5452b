/** @module Process exit codes. */
export const EXIT_OK = 0;
/** Policy violations, failed tests, or input that could not be loaded. */
export const EXIT_FAILURE = 1;
/** A bug or an environment failure (caught at the edge, never a stack trace). */
export const EXIT_INTERNAL = 2;
/** Bad command-line usage (unknown command or flag). Kyverno uses 1 here too. */
export const EXIT_USAGE = 1;
