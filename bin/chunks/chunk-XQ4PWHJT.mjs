import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/cli/command.ts
var Output = class {
  #out = [];
  #err = [];
  line(text = "") {
    this.#out.push(text);
  }
  error(text) {
    this.#err.push(text);
  }
  result(exitCode) {
    const join = (l) => l.length === 0 ? "" : `${l.join("\n")}
`;
    return { stdout: join(this.#out), stderr: join(this.#err), exitCode };
  }
};

export {
  Output
};
