/** @module Tokeniser for the JMESPath 2015 grammar (no `$`, variables, arithmetic or ternary). */
import { JmespathError } from './errors.js';

export type TokenType =
  | 'eof'
  | 'identifier'
  | 'quoted-identifier'
  | 'raw-string'
  | 'literal'
  | 'number'
  | '.'
  | '*'
  | '[]'
  | '[?'
  | '['
  | ']'
  | '{'
  | '}'
  | '('
  | ')'
  | ','
  | ':'
  | '|'
  | '||'
  | '&&'
  | '&'
  | '!'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '@';

export interface Token {
  readonly type: TokenType;
  /** Identifier name, string, number or parsed JSON literal. */
  readonly value: unknown;
  readonly start: number;
}

const SIMPLE: Readonly<Record<string, TokenType>> = {
  '.': '.',
  '*': '*',
  ']': ']',
  '{': '{',
  '}': '}',
  '(': '(',
  ')': ')',
  ',': ',',
  ':': ':',
  '@': '@',
};

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function syntax(message: string, position: number): JmespathError {
  return new JmespathError('syntax', `SyntaxError: ${message} (at position ${position})`, { position });
}

/** Index of the closing delimiter, skipping backslash-escaped characters. */
function findClose(text: string, from: number, delim: string, what: string): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === delim) return i;
    i++;
  }
  throw syntax(`Unclosed ${what}`, from - 1);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j] as string)) j++;
      tokens.push({ type: 'identifier', value: text.slice(i, j), start });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '-' && i + 1 < text.length && isDigit(text[i + 1] as string))) {
      let j = i + 1;
      while (j < text.length && isDigit(text[j] as string)) j++;
      tokens.push({ type: 'number', value: Number.parseInt(text.slice(i, j), 10), start });
      i = j;
      continue;
    }
    const simple = SIMPLE[c];
    if (simple !== undefined) {
      tokens.push({ type: simple, value: c, start });
      i++;
      continue;
    }
    const next = text[i + 1];
    switch (c) {
      case '[':
        if (next === ']') {
          tokens.push({ type: '[]', value: '[]', start });
          i += 2;
        } else if (next === '?') {
          tokens.push({ type: '[?', value: '[?', start });
          i += 2;
        } else {
          tokens.push({ type: '[', value: '[', start });
          i++;
        }
        continue;
      case '|':
      case '&':
        if (next === c) {
          tokens.push({ type: c === '|' ? '||' : '&&', value: c + c, start });
          i += 2;
        } else {
          tokens.push({ type: c, value: c, start });
          i++;
        }
        continue;
      case '!':
      case '<':
      case '>':
        if (next === '=') {
          tokens.push({ type: `${c}=` as TokenType, value: `${c}=`, start });
          i += 2;
        } else {
          tokens.push({ type: c, value: c, start });
          i++;
        }
        continue;
      case '=':
        if (next !== '=') throw syntax("Unknown character '=', did you mean '=='?", start);
        tokens.push({ type: '==', value: '==', start });
        i += 2;
        continue;
      case "'": {
        const end = findClose(text, i + 1, "'", 'raw string literal');
        // The 2015 grammar only unescapes \' inside raw strings.
        tokens.push({ type: 'raw-string', value: text.slice(i + 1, end).replaceAll("\\'", "'"), start });
        i = end + 1;
        continue;
      }
      case '"': {
        const end = findClose(text, i + 1, '"', 'quoted identifier');
        let name: unknown;
        try {
          name = JSON.parse(text.slice(i, end + 1));
        } catch {
          throw syntax(`Invalid quoted identifier ${text.slice(i, end + 1)}`, start);
        }
        tokens.push({ type: 'quoted-identifier', value: name, start });
        i = end + 1;
        continue;
      }
      case '`': {
        const end = findClose(text, i + 1, '`', 'JSON literal');
        const raw = text.slice(i + 1, end).replaceAll('\\`', '`');
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          throw syntax(`Invalid JSON literal \`${raw}\``, start);
        }
        tokens.push({ type: 'literal', value, start });
        i = end + 1;
        continue;
      }
      default:
        throw syntax(`Unknown character '${c}'`, start);
    }
  }
  tokens.push({ type: 'eof', value: null, start: text.length });
  return tokens;
}
