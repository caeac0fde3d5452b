/**
 * @module Regular expressions on RE2 (re2js), the engine Kyverno and Kubernetes run: linear time and
 * RE2 syntax. Covers CEL's `matches`, Kubernetes' regex library (`find`, `findAll`) and cel-go's
 * ext regex (`regex.replace`, `regex.extract`, `regex.extractAll`).
 */
import { Optional } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { activeStepBudget } from '../budget.js';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

/**
 * The compiled RE2 pattern: the running program's own (its literals, compiled with it), else the
 * evaluated set's memo, else compiled for this call. A bad pattern is an evaluation error, as in cel-go.
 */
export function compileRegex(pattern: string): RE2JS {
  const scope = activeStepBudget();
  const pinned = scope?.patterns?.get(pattern);
  if (pinned !== undefined) return pinned;
  try {
    return scope?.memo !== undefined ? scope.memo.regex(pattern) : RE2JS.compile(pattern);
  } catch (e) {
    throw new CelEvalError(
      `invalid regular expression '${pattern}': ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Method calls whose first argument is a pattern (`s.matches(p)` is renamed `re2Matches` before). */
const PATTERN_METHODS: ReadonlySet<string> = new Set(['re2Matches', 'find', 'findAll']);
/** `regex.<name>(s, pattern, ...)`. */
const PATTERN_NAMESPACE_FUNCTIONS: ReadonlySet<string> = new Set(['replace', 'extract', 'extractAll']);

interface CallShape {
  readonly op: string;
  readonly args: unknown;
}

function literalString(node: unknown): string | undefined {
  const n = node as CallShape | undefined;
  return n?.op === 'value' && typeof n.args === 'string' ? n.args : undefined;
}

/**
 * The pattern of a regex call node of the parsed AST when it is a string literal (`matches(s, '^a')`,
 * `s.find('[0-9]+')`, `regex.replace(s, 'a+', 'b')`), to be compiled with the program.
 */
export function literalPatternOf(node: CallShape): string | undefined {
  if (!Array.isArray(node.args)) return undefined;
  const name = node.args[0];
  if (node.op === 'call' && name === 'matches') return literalString(node.args[1]?.[1]);
  if (node.op !== 'rcall') return undefined;
  const [, receiver, args] = node.args as [string, CallShape | undefined, unknown[] | undefined];
  if (PATTERN_METHODS.has(name)) return literalString(args?.[0]);
  if (PATTERN_NAMESPACE_FUNCTIONS.has(name) && receiver?.op === 'id' && receiver.args === 'regex')
    return literalString(args?.[1]);
  return undefined;
}

function matches(s: string, pattern: string): boolean {
  return compileRegex(pattern).test(s);
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  const out: string[] = [];
  if (limit === 0n) return out;
  const m = compileRegex(pattern).matcher(s);
  let lastEnd = -1;
  while (m.find()) {
    // Go skips an empty match that directly follows the previous match.
    if (m.start() === m.end() && m.start() === lastEnd) continue;
    out.push(m.group(0) ?? '');
    lastEnd = m.end();
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

/** `\1`…`\9` refer to groups, `\\` is a backslash (cel-go ext regex replacement syntax). */
function expandReplacement(template: string, group: (i: number) => string | null, groups: number): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === '\\') {
      out += '\\';
      i++;
    } else if (next !== undefined && next >= '0' && next <= '9') {
      const n = Number(next);
      if (n > groups) throw new CelEvalError(`replacement string references unknown group \\${n}`);
      out += group(n) ?? '';
      i++;
    } else
      throw new CelEvalError(
        'invalid replacement string: backslash must be followed by a digit or backslash',
      );
  }
  return out;
}

function replace(s: string, pattern: string, replacement: string, count: bigint): string {
  const re = compileRegex(pattern);
  if (count === 0n) return s;
  const m = re.matcher(s);
  let out = '';
  let last = 0;
  let done = 0n;
  while (m.find()) {
    out += s.slice(last, m.start());
    out += expandReplacement(replacement, (i) => m.group(i), re.groupCount());
    last = m.end();
    done++;
    if (count > 0n && done >= count) break;
  }
  return out + s.slice(last);
}

function extract(s: string, pattern: string): Optional<string> {
  const re = compileRegex(pattern);
  if (re.groupCount() > 1) throw new CelEvalError('regular expression has more than one capturing group');
  const m = re.matcher(s);
  if (!m.find()) return Optional.none();
  return Optional.of((re.groupCount() === 1 ? m.group(1) : m.group(0)) ?? '');
}

function extractAll(s: string, pattern: string): string[] {
  const re = compileRegex(pattern);
  if (re.groupCount() > 1) throw new CelEvalError('regular expression has more than one capturing group');
  const m = re.matcher(s);
  const out: string[] = [];
  while (m.find()) {
    const v = re.groupCount() === 1 ? m.group(1) : m.group(0);
    if (v !== null && v !== '') out.push(v);
  }
  return out;
}

export function regexLibrary(): CelLibrary {
  return {
    name: 'regex',
    ...namespaceLibraryParts('RegexNamespace', 'regex'),
    functions: [
      { signature: 'string.re2Matches(string): bool', impl: matches, note: 'CEL `matches`, on RE2' },
      { signature: 'matches(string, string): bool', impl: matches },
      {
        signature: 'string.find(string): string',
        impl: (s: string, p: string) => findAll(s, p, 1n)[0] ?? '',
      },
      {
        signature: 'string.findAll(string): list<string>',
        impl: (s: string, p: string) => findAll(s, p, -1n),
      },
      { signature: 'string.findAll(string, int): list<string>', impl: findAll },
      {
        signature: 'RegexNamespace.replace(string, string, string): string',
        impl: (_: unknown, s: string, p: string, r: string) => replace(s, p, r, -1n),
      },
      {
        signature: 'RegexNamespace.replace(string, string, string, int): string',
        impl: (_: unknown, s: string, p: string, r: string, n: bigint) => replace(s, p, r, n),
      },
      {
        signature: 'RegexNamespace.extract(string, string): optional<string>',
        impl: (_: unknown, s: string, p: string) => extract(s, p),
      },
      {
        signature: 'RegexNamespace.extractAll(string, string): list<string>',
        impl: (_: unknown, s: string, p: string) => extractAll(s, p),
      },
    ],
  };
}
