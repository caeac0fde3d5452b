/**
 * @module The cel-js runtime classes the engine inspects. `Duration` and `UnsignedInt` are
 * exported by the `./evaluator` entry point only (the same module instance `index.js` uses).
 */
import type {
  Duration as DurationClass,
  UnsignedInt as UnsignedIntClass,
} from '@marcbachmann/cel-js/evaluator';

export { Environment, Optional } from '@marcbachmann/cel-js';
export { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
export type CelDuration = DurationClass;
export type CelUnsignedInt = UnsignedIntClass;
