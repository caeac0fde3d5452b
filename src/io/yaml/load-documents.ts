/**
 * @module Multi-document YAML/JSON loading with positions and bounds. Kubernetes decodes YAML 1.1-style
 * (go-yaml: `yes`/`on` are booleans) but keeps timestamps and `1:20` as strings, so we do the same.
 */
import { type Document, LineCounter, parseAllDocuments, type Tags } from 'yaml';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { DEFAULT_LIMITS, type InputLimits, valueDepth } from './limits.js';

/** One `---` document of a file, with what is needed to map a data path back to a line. */
export interface LoadedDocument {
  readonly file: string;
  /** 0-based index of the document in the file (after `kind: List` expansion, the List's index). */
  readonly index: number;
  readonly value: unknown;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** For items expanded from a `kind: List`: the path of the item inside the document. */
  readonly basePath: readonly (string | number)[];
}

export interface LoadedFile {
  readonly documents: readonly LoadedDocument[];
  readonly issues: readonly IoDiagnostic[];
}

function kubernetesTags(tags: Tags): Tags {
  return tags.filter((t) => {
    const tag = typeof t === 'object' && t !== null && 'tag' in t ? t : undefined;
    if (tag === undefined) return true;
    return !tag.tag.endsWith(':timestamp') && tag.format !== 'TIME';
  });
}

function errorPosition(lc: LineCounter, offset: number | undefined): { line: number; column: number } {
  if (offset === undefined) return { line: 1, column: 1 };
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

/**
 * Parses every document of `text`. Never throws: syntax errors and exceeded bounds come back as
 * diagnostics with file, line and column. Empty documents are dropped; `kind: List` items are expanded
 * when `expandLists` is set.
 */
export function loadDocuments(
  text: string,
  file: string,
  options: { limits?: InputLimits; expandLists?: boolean } = {},
): LoadedFile {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const issues: IoDiagnostic[] = [];
  const documents: LoadedDocument[] = [];
  if (Buffer.byteLength(text, 'utf8') > limits.maxFileBytes) {
    issues.push(
      ioDiagnostic('limits/exceeded', `input is larger than ${limits.maxFileBytes} bytes`, { file }),
    );
    return { documents, issues };
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      version: '1.1',
      lineCounter,
      uniqueKeys: false,
      customTags: kubernetesTags,
    }) as Document.Parsed[];
  } catch (err) {
    issues.push(
      ioDiagnostic('limits/exceeded', `input could not be parsed safely: ${(err as Error).message}`, {
        file,
      }),
    );
    return { documents, issues };
  }
  if (!Array.isArray(docs)) docs = [docs];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = errorPosition(lineCounter, e.pos[0]);
        const code = e.code === 'RESOURCE_EXHAUSTION' ? 'limits/exceeded' : 'yaml/syntax-error';
        const message =
          code === 'limits/exceeded'
            ? `document nests too deeply to be parsed (limit ${limits.maxDepth})`
            : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        issues.push(ioDiagnostic(code, message, { file, document: index, ...pos }));
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      const msg =
        err instanceof RangeError
          ? `document nests too deeply (limit ${limits.maxDepth})`
          : `too many alias references (limit ${limits.maxAliasCount}): ${(err as Error).message}`;
      issues.push(
        ioDiagnostic('limits/exceeded', msg, {
          file,
          document: index,
          ...errorPosition(lineCounter, doc.range[0]),
        }),
      );
      return;
    }
    if (valueDepth(value, limits.maxDepth) > limits.maxDepth) {
      issues.push(
        ioDiagnostic('limits/exceeded', `document nests deeper than ${limits.maxDepth} levels`, {
          file,
          document: index,
          ...errorPosition(lineCounter, doc.range[0]),
        }),
      );
      return;
    }
    if (value === null || value === undefined) return;
    if (options.expandLists === true && isList(value)) {
      value.items.forEach((item, i) => {
        documents.push({ file, index, value: item, doc, lineCounter, basePath: ['items', i] });
      });
      return;
    }
    documents.push({ file, index, value, doc, lineCounter, basePath: [] });
  });
  return { documents, issues };
}

function isList(v: unknown): v is { items: unknown[] } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.kind === 'string' && o.kind.endsWith('List') && o.apiVersion === 'v1' && Array.isArray(o.items)
  );
}
