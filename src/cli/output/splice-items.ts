/**
 * @module Outputs written as rows come keep each row's text and stringify the rest of the document
 * at the end, with an empty list where the rows go; these splice the texts into its lines, with the
 * bytes of stringifying the whole document (pure).
 */
import { stringify } from 'yaml';

/** A value's YAML as an item of a top-level `key:` sequence (folding depends on the depth), without its last line feed. */
export function yamlItem(key: string, value: unknown): string {
  const text = stringify({ [key]: [value] });
  const head = `${key}:\n`;
  if (!text.startsWith(head) || !text.endsWith('\n')) throw new Error(`unexpected YAML for a ${key} item`);
  return text.slice(head.length, -1);
}

/** `text` with every line after the first indented by `pad` (JSON text has no raw line feed inside a value). */
export function indentJson(text: string, pad: string): string {
  return `${pad}${text.replaceAll('\n', `\n${pad}`)}`;
}

/**
 * The lines of a stringified skeleton whose empty `results` list (the one line equal to `marker`) is
 * replaced by the items; `close` ends the list (`]` or nothing), `comma` after all items but the last.
 */
export function* spliceItems(
  skeleton: string,
  marker: string,
  open: string,
  close: string | undefined,
  items: Iterable<string>,
  comma: boolean,
): Generator<string> {
  for (const line of skeleton.split('\n')) {
    if (line !== marker && line !== `${marker},`) {
      yield line;
      continue;
    }
    let previous: string | undefined;
    for (const item of items) {
      if (previous === undefined) yield open;
      else yield comma ? `${previous},` : previous;
      previous = item;
    }
    if (previous === undefined) yield line;
    else {
      yield previous;
      if (close !== undefined) yield line.endsWith(',') ? `${close},` : close;
    }
  }
}
