import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/cli/exit-codes.ts
var EXIT_OK = 0;
var EXIT_FAILURE = 1;
var EXIT_INPUT = 2;
var EXIT_USAGE = EXIT_INPUT;
var EXIT_INTERNAL = 3;

export {
  EXIT_OK,
  EXIT_FAILURE,
  EXIT_INPUT,
  EXIT_USAGE,
  EXIT_INTERNAL
};
