/** js-yaml's ES module source with `parseEvents`' state built from a literal (one map for every call). */
export function stableParserState(source: string): string;
/** The esbuild plugin applying `stableParserState` to js-yaml's ES module build. */
export function stableParserStatePlugin(
  file: string,
  readFile: (path: string, encoding: 'utf8') => string,
): {
  name: string;
  setup(build: unknown): void;
};
