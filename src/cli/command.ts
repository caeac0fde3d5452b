/** @module What every command receives and returns: commands never touch process or the console. */
import type { StdinReader } from '../io/files/read-text.js';

export interface CommandContext {
  readonly stdin: StdinReader;
  /** Colour the text table: stdout is a TTY and NO_COLOR is unset (decided in main.ts). */
  readonly color?: boolean;
}

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
