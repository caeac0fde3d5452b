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
  /** All of stdout at once (made on first read when the command gave lines to be made as written). */
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /**
   * Writes stdout in pieces as its lines are made, without holding all of it (a long run's text is
   * hundreds of MB); once only, instead of reading `stdout`. Absent: write `stdout`.
   */
  readonly writeStdout?: (write: (piece: string) => void) => void;
}

/** Characters per piece `writeStdout` hands out. */
const PIECE = 1 << 16;

/** Collects output lines; `lines` takes lines that are made only when they are written. */
export class Output {
  readonly #out: (string | Iterable<string>)[] = [];
  readonly #err: string[] = [];
  line(text = ''): void {
    this.#out.push(text);
  }
  /** Lines made as they are read (a generator): read once, when the result is written. */
  lines(source: Iterable<string>): void {
    this.#out.push(source);
  }
  error(text: string): void {
    this.#err.push(text);
  }
  result(exitCode: number): CommandResult {
    const join = (l: readonly string[]): string => (l.length === 0 ? '' : `${l.join('\n')}\n`);
    const stderr = join(this.#err);
    const parts = this.#out;
    if (parts.every((p) => typeof p === 'string'))
      return { stdout: join(parts as string[]), stderr, exitCode };
    const each = function* (): Generator<string> {
      for (const p of parts) {
        if (typeof p === 'string') yield p;
        else yield* p;
      }
    };
    let all: string | undefined;
    return {
      get stdout() {
        all ??= join([...each()]);
        return all;
      },
      stderr,
      exitCode,
      writeStdout: (write) => {
        let piece = '';
        for (const line of each()) {
          piece += `${line}\n`;
          if (piece.length >= PIECE) {
            write(piece);
            piece = '';
          }
        }
        if (piece !== '') write(piece);
      },
    };
  }
}
