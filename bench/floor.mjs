// The floors `npm run bench:cli` compares `palisade apply` with: start Node, read the YAML files named
// on the command line, and parse every document, nothing more.
//   node bench/floor.mjs a FILE...   js-yaml, plain values (floor A)
//   node bench/floor.mjs b FILE...   the `yaml` package, syntax trees with positions (floor B)
import { readFileSync } from 'node:fs';

const [mode, ...files] = process.argv.slice(2);
let documents = 0;
if (mode === 'a') {
  const { loadAll } = await import('js-yaml');
  for (const f of files) documents += loadAll(readFileSync(f, 'utf8')).length;
} else {
  const { Composer, LineCounter, Parser } = await import('yaml');
  for (const f of files) {
    const lines = new LineCounter();
    const docs = new Composer({ version: '1.1' }).compose(
      new Parser(lines.addNewLine).parse(readFileSync(f, 'utf8')),
    );
    for (const d of docs) {
      d.toJS();
      documents++;
    }
  }
}
if (documents === 0) process.exitCode = 1;
