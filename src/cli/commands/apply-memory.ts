/**
 * @module How far `apply`'s heaps may grow between full collections. V8 lets an old generation grow
 * to about four times what survived the last full collection when the program allocates fast and
 * collects cheaply, which `apply` does: a 10,000-workload run held ~40 MB live in a 170 MB heap.
 * Each document's values and events are garbage by the next one, so a heap of 1.5 times the live
 * data costs a few more, short, full collections (~25 ms each) and takes ~50 MB less memory per
 * thread. The flag is process-wide (the workers' isolates read it too); the CLI exits after a command.
 */
import { setFlagsFromString } from 'node:v8';

/** Growth of the old generation past its live size after a full collection, in percent. */
const HEAP_GROWING_PERCENT = 50;

let bounded = false;

/** Bounds the heaps' growth, once per process. */
export function boundHeapGrowth(): void {
  if (bounded) return;
  bounded = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
