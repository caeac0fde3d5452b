// js-yaml 5.5's `parseEvents` builds its parser state as `{ ...DEFAULT_PARSER_OPTIONS, ...options,
// input, position, … }`. On Node 20 (V8 11.3) an object made by a spread and then given more
// properties gets a map of its own from the second call on (the spread's copy of the source's map is
// outside the transition tree, so each added property makes a new map). Every inline cache of the
// parser that reads the state then goes megamorphic after a few calls: parsing a file one document per
// call cost ~2× parsing it in one call (docs/decisions/0007-performance.md, tenth round). The bundle
// builds the state from a literal instead, so it has one map; the spread's result is read for the two
// options the parser uses, so behaviour is the same for any options (src/io/yaml/js-yaml-state.test.ts
// compares events and errors of both parsers).

/** js-yaml's line `input: \`${input}\\0\`,` (split so that it is not read as a template here). */
const INPUT_LINE = '\t\tinput: `$' + '{input}\\0`,';
/** The text replaced, exactly as js-yaml 5.5.0 ships it (dist/js-yaml.mjs). */
const SPREAD_STATE = [
  '\tconst state = {',
  '\t\t...DEFAULT_PARSER_OPTIONS,',
  '\t\t...options,',
  INPUT_LINE,
].join('\n');
const LITERAL_STATE = [
  '\tconst parserOptions = {',
  '\t\t...DEFAULT_PARSER_OPTIONS,',
  '\t\t...options',
  '\t};',
  '\tconst state = {',
  '\t\tfilename: parserOptions.filename,',
  '\t\tmaxDepth: parserOptions.maxDepth,',
  INPUT_LINE,
].join('\n');
/** The options the parser reads: the only keys of DEFAULT_PARSER_OPTIONS. */
const PARSER_OPTIONS = 'var DEFAULT_PARSER_OPTIONS = {\n\tfilename: "",\n\tmaxDepth: 100\n};';

/**
 * js-yaml's ES module source with the parser state built from a literal. Throws when the source is
 * not the one this was written for (another js-yaml version): the bundle must not silently go slow.
 */
export function stableParserState(source) {
  const at = source.indexOf(SPREAD_STATE);
  if (at < 0 || source.indexOf(SPREAD_STATE, at + 1) >= 0 || !source.includes(PARSER_OPTIONS)) {
    throw new Error(
      "js-yaml-parser-state: js-yaml's parseEvents state is not the one this patch knows; check the patch against the new version",
    );
  }
  return source.slice(0, at) + LITERAL_STATE + source.slice(at + SPREAD_STATE.length);
}

/**
 * The esbuild plugin applying `stableParserState` to `file` (Palisade's own js-yaml, not the copy
 * another package depends on); the build fails if that file was not bundled.
 */
export function stableParserStatePlugin(file, readFile) {
  return {
    name: 'js-yaml-parser-state',
    setup(build) {
      let patched = false;
      build.onLoad({ filter: /[\\/]js-yaml[\\/]dist[\\/]js-yaml\.mjs$/ }, (args) => {
        if (args.path !== file) return undefined;
        patched = true;
        return { contents: stableParserState(readFile(args.path, 'utf8')), loader: 'js' };
      });
      build.onEnd((result) => {
        if (!patched && result.errors.length === 0)
          throw new Error(`js-yaml-parser-state: ${file} was not bundled`);
      });
    },
  };
}
