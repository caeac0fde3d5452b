/** @module The shape of a CEL library table (after cel-es `ext/*.ts` and Kyverno's FunctionEntry). */
import type { CelRuntime } from '../runtime.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers receive CEL runtime values of many shapes.
export type CelImpl = (...args: any[]) => unknown;

export interface CelFunctionEntry {
  /** cel-js overload signature: `name(args): ret` or `Receiver.name(args): ret`. */
  readonly signature: string;
  readonly impl: CelImpl;
  readonly note?: string;
}

export interface CelTypeEntry {
  readonly name: string;
  /** Any class: `never[]` parameters accept every constructor signature. */
  readonly ctor: new (
    ...args: never[]
  ) => unknown;
}

export interface CelConstantEntry {
  readonly name: string;
  readonly type: string;
  readonly value: unknown;
}

/** An operator overload, e.g. `net.IP == net.IP` (cel-js adds the matching `!=`). */
export interface CelOperatorEntry {
  readonly signature: string;
  readonly impl: CelImpl;
}

export interface CelLibrary {
  readonly name: string;
  readonly types?: readonly CelTypeEntry[];
  readonly operators?: readonly CelOperatorEntry[];
  readonly constants?: readonly CelConstantEntry[];
  readonly functions: readonly CelFunctionEntry[];
}

/** Libraries are built per environment; I/O libraries read ports from the runtime at call time. */
export type CelLibraryFactory = (runtime: CelRuntime) => CelLibrary;

/** A namespace value such as `sets` in `sets.contains(a, b)`; cel-js resolves it as a typed constant. */
export function namespaceLibraryParts(
  typeName: string,
  constantName: string,
): { types: CelTypeEntry[]; constants: CelConstantEntry[] } {
  const ctor = class {};
  Object.defineProperty(ctor, 'name', { value: typeName });
  return {
    types: [{ name: typeName, ctor }],
    constants: [{ name: constantName, type: typeName, value: new ctor() }],
  };
}
