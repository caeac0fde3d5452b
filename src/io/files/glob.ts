/**
 * @module Path globs for `--resource 'manifests/**\/*.yaml'` and `--exclude`: `*` and `?` within one
 * path segment, `**` for any number of segments, `{a,b}` alternatives. Paths use `/`; a leading `./`
 * is ignored. Segments are matched by the engine's linear wildcard matcher, never a RegExp.
 */
import { wildcardMatch } from '../../engine/index.js';

/** Characters that make a command-line path a glob (when no file of that literal name exists). */
export function isGlob(path: string): boolean {
  return /[*?{]/.test(path);
}

/** `a/{b,c}/*.{yaml,yml}` → its alternatives; braces do not nest (a `{` inside one is literal). */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  const close = open < 0 ? -1 : pattern.indexOf('}', open);
  if (open < 0 || close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  return pattern
    .slice(open + 1, close)
    .split(',')
    .flatMap((alt) => expandBraces(`${head}${alt}${tail}`));
}

export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}

function segments(path: string): string[] {
  return normalizePath(path)
    .split('/')
    .filter((s) => s !== '' && s !== '.');
}

/** Whether `path` matches one brace-free pattern, segment by segment; `**` takes zero or more segments. */
function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  // Positions reachable in `path` after each pattern segment: linear in |pattern| × |path|.
  let reachable = new Set<number>([0]);
  for (const seg of pattern) {
    const next = new Set<number>();
    for (const at of reachable) {
      if (seg === '**') for (let k = at; k <= path.length; k++) next.add(k);
      else if (at < path.length && wildcardMatch(seg, path[at]!)) next.add(at + 1);
    }
    if (next.size === 0) return false;
    reachable = next;
  }
  return reachable.has(path.length);
}

export type PathMatcher = (path: string) => boolean;

/** A matcher for a glob (all brace alternatives). */
export function globMatcher(pattern: string): PathMatcher {
  const alternatives = expandBraces(pattern).map(segments);
  return (path) => {
    const p = segments(path);
    return alternatives.some((alt) => matchSegments(alt, p));
  };
}

/** The folder a glob's walk starts in: its segments before the first that holds a wildcard or brace. */
export function globBase(pattern: string): string {
  const literal: string[] = [];
  for (const seg of normalizePath(pattern).split('/')) {
    if (isGlob(seg)) break;
    literal.push(seg);
  }
  if (literal.length === 0) return '.';
  const base = literal.join('/');
  return base === '' ? '/' : base;
}

/**
 * `--exclude` patterns: one without `/` names a file or folder anywhere (`node_modules`, `*.tmpl.yaml`);
 * one with `/` matches the whole path from where the walk started (`charts/**`, `overlays/dev/*.yaml`).
 */
export function excludeMatcher(patterns: readonly string[]): PathMatcher {
  const anywhere = patterns.filter((p) => !normalizePath(p).includes('/')).flatMap(expandBraces);
  const rooted = patterns.filter((p) => normalizePath(p).includes('/')).map(globMatcher);
  return (path) => {
    const segs = segments(path);
    if (anywhere.some((p) => segs.some((s) => wildcardMatch(p, s)))) return true;
    return rooted.some((m) => m(path));
  };
}
