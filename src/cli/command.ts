/** @module What every command receives and returns: commands never touch process or the console. */
import type { StdinReader } from '../io/files/read-text.js';

export interface CommandContext {
  readonly stdin: StdinReader;
  /** Colour the text table: stdout is a TTY and NO_COLOR is unset (decided in main.ts). */
  readonly color?: boolean;
  /** Reports progress of long runs; given by main.ts only when stderr is a TTY (never in pipelines). */
  readonly progress?: ProgressReporter;
}

/**
 * `done` of `total` items of a kind (`resources`, `tests`) are finished; `done === total` ends the
 * line. `total` is undefined while a stream's length is not known yet.
 */
export type ProgressReporter = (done: number, total: number | undefined, what: string) => void;

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Collects output lines. */
export class Output {
  readonly #out: string[] = [];
  readonly #err: string[] = [];
  line(text = ''): void {
    this.#out.push(text);
  }
  error(text: string): void {
    this.#err.push(text);
  }
  result(exitCode: number): CommandResult {
    const join = (l: string[]): string => (l.length === 0 ? '' : `${l.join('\n')}\n`);
    return { stdout: join(this.#out), stderr: join(this.#err), exitCode };
  }
}
