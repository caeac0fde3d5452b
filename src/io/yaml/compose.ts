/**
 * @module The `yaml` package set up as Kubernetes decodes YAML, composing syntax trees with positions:
 * the full loader uses it for every document it reads, the fast loader only to find positions again.
 */
import {
  Composer,
  type Document,
  type DocumentOptions,
  isScalar,
  type LineCounter,
  type ParseOptions,
  Parser,
  type SchemaOptions,
  type Tags,
} from 'yaml';

type TagLike = {
  tag: string;
  format?: string;
  resolve?: (...args: never[]) => unknown;
};

/**
 * Kubernetes' YAML: no timestamps, no sexagesimal numbers, and a plain scalar is only a float when Go
 * can parse it (`.`, `-.` or `0x_` stay strings, where the YAML 1.1 tags would give NaN).
 */
function kubernetesTagsOf(tags: Tags): Tags {
  return tags
    .filter((t) => {
      const tag = typeof t === 'object' && t !== null && 'tag' in t ? (t as TagLike) : undefined;
      if (tag === undefined) return true;
      return !tag.tag.endsWith(':timestamp') && tag.format !== 'TIME';
    })
    .map((t) => {
      const tag = typeof t === 'object' && t !== null && 'tag' in t ? (t as TagLike) : undefined;
      if (tag?.resolve === undefined || !(tag.tag.endsWith(':float') || tag.tag.endsWith(':int'))) return t;
      const resolve = tag.resolve as (src: string, ...rest: unknown[]) => unknown;
      return {
        ...tag,
        resolve: (src: string, ...rest: unknown[]) => {
          const v = resolve(src, ...rest);
          const n = isScalar(v) ? v.value : v;
          return typeof n === 'number' && Number.isNaN(n) && !/^\.nan$/i.test(src) ? src : v;
        },
      } as unknown as typeof t;
    });
}

let lastTags: { readonly input: Tags; readonly output: Tags } | undefined;

/** `kubernetesTagsOf`, computed once: yaml asks for the tags again for every document it composes. */
function kubernetesTags(tags: Tags): Tags {
  const same = lastTags?.input.length === tags.length && tags.every((t, i) => t === lastTags?.input[i]);
  if (!same || lastTags === undefined) lastTags = { input: tags, output: kubernetesTagsOf(tags) };
  return lastTags.output.slice();
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  customTags: kubernetesTags,
  // yaml would print a process warning for a mapping used as a key (an unrendered Helm `{{ }}`);
  // problems are reported as diagnostics, never as stray stderr lines.
  logLevel: 'error',
};

/** The documents of `text`, composed one at a time so that each can be dropped once it is decoded. */
export function composeDocuments(text: string, lineCounter?: LineCounter): Generator<Document.Parsed> {
  const parser = new Parser(lineCounter?.addNewLine);
  return new Composer(PARSE_OPTIONS).compose(parser.parse(text)) as Generator<Document.Parsed>;
}
