import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/cli/command.ts
var PIECE = 1 << 16;
var Output = class {
  #out = [];
  #err = [];
  line(text = "") {
    this.#out.push(text);
  }
  /** Lines made as they are read (a generator): read once, when the result is written. */
  lines(source) {
    this.#out.push(source);
  }
  error(text) {
    this.#err.push(text);
  }
  result(exitCode) {
    const join = (l) => l.length === 0 ? "" : `${l.join("\n")}
`;
    const stderr = join(this.#err);
    const parts = this.#out;
    if (parts.every((p) => typeof p === "string"))
      return { stdout: join(parts), stderr, exitCode };
    const each = function* () {
      for (const p of parts) {
        if (typeof p === "string") yield p;
        else yield* p;
      }
    };
    let all;
    return {
      get stdout() {
        all ??= join([...each()]);
        return all;
      },
      stderr,
      exitCode,
      writeStdout: (write) => {
        let piece = "";
        for (const line of each()) {
          piece += `${line}
`;
          if (piece.length >= PIECE) {
            write(piece);
            piece = "";
          }
        }
        if (piece !== "") write(piece);
      }
    };
  }
};

export {
  Output
};
