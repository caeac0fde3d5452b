/**
 * @module What CEL library functions may reach while an expression runs. The compiled environment
 * is shared across evaluations, so the ports are placed here for the duration of one evaluation.
 */
import type { Ports } from '../ports.js';

export interface CelRuntime {
  ports: Ports | undefined;
}

/** Runs `fn` with `ports` installed, restoring the previous ports afterwards (nested evaluations). */
export function withPorts<T>(runtime: CelRuntime, ports: Ports | undefined, fn: () => T): T {
  const saved = runtime.ports;
  runtime.ports = ports;
  try {
    return fn();
  } finally {
    runtime.ports = saved;
  }
}
