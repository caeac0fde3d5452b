/** @module The shape of a CEL library table (after cel-es `ext/*.ts` and Kyverno's FunctionEntry). */
import type { EvaluationRuntime } from '../../runtime.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers receive CEL runtime values of many shapes.
export type CelImpl = (...args: any[]) => unknown;

export interface CelFunctionEntry {
  /** cel-js overload signature: `name(args): ret` or `Receiver.name(args): ret`. */
  readonly signature: string;
  readonly impl: CelImpl;
  readonly note?: string;
  /**
   * For a global function that needs per-evaluation state: the activation key whose value the
   * handler receives as one extra last argument (see `appendContextArguments`).
   */
  readonly contextArgument?: symbol;
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
  /** Values bound per evaluation (the I/O namespaces); see `CelContextVariable`. */
  readonly variables?: readonly CelContextVariable[];
  readonly functions: readonly CelFunctionEntry[];
}

/** Libraries are built per environment and hold no ports: those come with each evaluation. */
export type CelLibraryFactory = () => CelLibrary;

/** The value of an I/O namespace in one evaluation: it carries that evaluation's runtime. */
export class CelLibraryContext {
  readonly runtime: EvaluationRuntime;
  constructor(runtime: EvaluationRuntime) {
    this.runtime = runtime;
  }
}

/**
 * An I/O namespace (`resource`, `http`, …) declared as a CEL variable of an opaque type, as Kyverno
 * binds `resource.Context` and friends: an evaluation of a program naming it binds a `ctor(runtime)`,
 * and the namespace's functions, called with that value as receiver, read the ports from it.
 */
export interface CelContextVariable {
  readonly name: string;
  readonly type: string;
  readonly ctor: new (runtime: EvaluationRuntime) => CelLibraryContext;
}

/** A namespace bound per evaluation, with its own opaque type `typeName` (created once per process). */
export function contextVariable(typeName: string, name: string): CelContextVariable {
  const ctor = class extends CelLibraryContext {};
  Object.defineProperty(ctor, 'name', { value: typeName });
  return { name, type: typeName, ctor };
}

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
