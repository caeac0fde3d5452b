/**
 * @module random(pattern): a string matching a simple regex (goregen-style), drawn from `ctx.random`.
 * Supported: literals, escapes (\d \w \s and their negations), classes with ranges and negation,
 * `.`, groups, alternation, and `* + ? {n} {n,} {n,m}` (unbounded repeats stop at 10, like goregen).
 */
import { RE2JS } from 're2js';
import { budgetOf } from '../budget.js';
import { fail } from './function-errors.js';
import type { FunctionContext, FunctionEntry } from './types.js';

const NAME = 'random';
const MAX_UNBOUNDED = 10;
const PRINTABLE = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i));
const DIGITS = PRINTABLE.filter((c) => c >= '0' && c <= '9');
const WORD = PRINTABLE.filter((c) => /\w/.test(c));
const SPACE = [' ', '\t', '\n', '\f', '\r'];

type Node =
  | { readonly kind: 'chars'; readonly set: readonly string[] }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly options: readonly Node[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number };

class PatternError extends Error {}

const complement = (set: readonly string[]): string[] => PRINTABLE.filter((c) => !set.includes(c));

function escapeSet(ch: string): readonly string[] {
  switch (ch) {
    case 'd':
      return DIGITS;
    case 'D':
      return complement(DIGITS);
    case 'w':
      return WORD;
    case 'W':
      return complement(WORD);
    case 's':
      return SPACE;
    case 'S':
      return complement(SPACE);
    case 'n':
      return ['\n'];
    case 't':
      return ['\t'];
    default:
      if (/[a-zA-Z0-9]/.test(ch)) throw new PatternError(`unsupported escape \\${ch}`);
      return [ch];
  }
}

class Parser {
  private pos = 0;
  private readonly s: readonly string[];
  constructor(pattern: string) {
    this.s = Array.from(pattern);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.s.length) throw new PatternError(`unexpected ${this.s[this.pos]}`);
    return node;
  }

  private peek(): string | undefined {
    return this.s[this.pos];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const atom = this.atom();
      if (atom) items.push(this.quantified(atom));
    }
    return { kind: 'seq', items };
  }

  private atom(): Node | undefined {
    const c = this.s[this.pos++];
    switch (c) {
      case '^':
      case '$':
        return undefined;
      case '.':
        return { kind: 'chars', set: PRINTABLE };
      case '(': {
        if (this.peek() === '?') {
          // Only non-capturing `(?:` and named `(?P<n>` / `(?<n>` groups.
          const rest = this.s.slice(this.pos).join('');
          const m = /^\?(?::|P?<\w+>)/.exec(rest);
          if (!m) throw new PatternError('unsupported group flags');
          this.pos += Array.from(m[0]).length;
        }
        const inner = this.alternation();
        if (this.s[this.pos++] !== ')') throw new PatternError('missing )');
        return inner;
      }
      case '[':
        return { kind: 'chars', set: this.charClass() };
      case '\\': {
        const e = this.s[this.pos++];
        if (e === undefined) throw new PatternError('trailing backslash');
        if (e === 'b' || e === 'B' || e === 'A' || e === 'z') return undefined;
        return { kind: 'chars', set: escapeSet(e) };
      }
      case undefined:
        throw new PatternError('unexpected end');
      default:
        if ('*+?{'.includes(c)) throw new PatternError(`missing argument to repetition operator ${c}`);
        return { kind: 'chars', set: [c] };
    }
  }

  private charClass(): string[] {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const set = new Set<string>();
    let first = true;
    for (;;) {
      let c = this.s[this.pos++];
      if (c === undefined) throw new PatternError('missing ]');
      if (c === ']' && !first) break;
      first = false;
      if (c === '\\') {
        const e = this.s[this.pos++] ?? '';
        const members = escapeSet(e);
        if (members.length !== 1) {
          for (const m of members) set.add(m);
          continue;
        }
        c = members[0] ?? '';
      }
      if (this.peek() === '-' && this.s[this.pos + 1] !== undefined && this.s[this.pos + 1] !== ']') {
        this.pos++;
        let hi = this.s[this.pos++] ?? '';
        if (hi === '\\') hi = this.s[this.pos++] ?? '';
        const from = c.codePointAt(0) ?? 0;
        const to = hi.codePointAt(0) ?? 0;
        if (to < from) throw new PatternError('invalid character class range');
        for (let cp = from; cp <= to && cp - from < 0x10000; cp++) set.add(String.fromCodePoint(cp));
      } else {
        set.add(c);
      }
    }
    const members = [...set];
    return negate ? complement(members) : members;
  }

  private quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, MAX_UNBOUNDED];
      else if (c === '+') [min, max] = [1, MAX_UNBOUNDED];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.pos).join(''));
        if (!m) return node;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Math.max(min, MAX_UNBOUNDED) : Number(m[3]);
        this.pos += m[0].length - 1;
      } else return node;
      this.pos++;
      if (this.peek() === '?') this.pos++; // lazy marker: same strings
      node = { kind: 'repeat', node, min, max };
    }
  }
}

/**
 * `charge(n)` is told of every `n` characters before they are added: nested repeats (`(a{1000}){1000}`)
 * multiply, and an unchecked pattern would build without bound.
 */
function generate(node: Node, rnd: () => number, charge: (n: number) => void): string {
  const pick = (n: number): number => Math.min(n - 1, Math.floor(rnd() * n));
  switch (node.kind) {
    case 'chars':
      if (node.set.length === 0) throw new PatternError('empty character class');
      charge(1);
      return node.set[pick(node.set.length)] ?? '';
    case 'seq':
      return node.items.map((n) => generate(n, rnd, charge)).join('');
    case 'alt':
      return generate(node.options[pick(node.options.length)] as Node, rnd, charge);
    case 'repeat': {
      const count = node.min + pick(node.max - node.min + 1);
      let out = '';
      for (let i = 0; i < count; i++) {
        // Repeats of empty groups build nothing yet still take time.
        charge(0);
        out += generate(node.node, rnd, charge);
      }
      return out;
    }
  }
}

export function randomMatching(pattern: string, ctx: FunctionContext): string {
  if (pattern === '') return fail(NAME, 'no pattern provided');
  if (!ctx.random) return fail(NAME, 'no source of randomness available');
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    return fail(NAME, e instanceof Error ? e.message : String(e));
  }
  const budget = budgetOf(ctx);
  let length = 0;
  const charge = (n: number): void => {
    length += n;
    if (length > budget.maxValueSize) budget.output(NAME, length);
    budget.spend(Math.max(1, n));
  };
  try {
    return generate(new Parser(pattern).parse(), ctx.random, charge);
  } catch (e) {
    if (e instanceof PatternError)
      return fail(NAME, `unsupported pattern ${JSON.stringify(pattern)}: ${e.message}`);
    throw e;
  }
}

export const randomFunctions: readonly FunctionEntry[] = [
  {
    name: 'random',
    args: [{ types: ['string'] }],
    returns: ['string'],
    note: 'Generates a random sequence of characters',
    impl: ([pattern], ctx) => randomMatching(pattern as string, ctx),
  },
];
