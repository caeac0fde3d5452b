/** @module Pratt parser for the JMESPath 2015 grammar, producing the AST the fork's interpreter walks. */
import type { AstNode, ComparatorOp, FieldNode, KeyValue, SliceNode } from './ast.js';
import { childrenOf, MissingKey } from './ast.js';
import { JmespathError } from './errors.js';
import { type Token, type TokenType, tokenize } from './lexer.js';

/** A field node with the answer for a map without the field (one per node, not per miss). */
function fieldNode(name: string): FieldNode {
  return { type: 'Field', name, missing: new MissingKey(name) };
}

/** Deepest AST (and parser recursion) we accept; keeps evaluation far from the JS stack limit. */
export const MAX_AST_DEPTH = 1000;

const BINDING_POWER: Readonly<Partial<Record<TokenType, number>>> = {
  '|': 1,
  '||': 2,
  '&&': 3,
  '==': 5,
  '!=': 5,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '[]': 9,
  '*': 20,
  '[?': 21,
  '.': 40,
  '!': 45,
  '{': 50,
  '[': 55,
  '(': 60,
};

function bp(type: TokenType): number {
  return BINDING_POWER[type] ?? 0;
}

const COMPARATORS: ReadonlySet<TokenType> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const IDENTITY: AstNode = { type: 'Identity' };

function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'end of expression';
    case 'identifier':
    case 'quoted-identifier':
      return `identifier ${JSON.stringify(token.value)}`;
    case 'raw-string':
      return `raw string '${String(token.value)}'`;
    case 'literal':
      return 'JSON literal';
    case 'number':
      return `number ${String(token.value)}`;
    default:
      return `'${token.type}'`;
  }
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parse(): AstNode {
    const ast = this.expression(0);
    const rest = this.peek();
    if (rest.type !== 'eof') throw this.unexpected(rest);
    return ast;
  }

  private peek(offset = 0): Token {
    // The token list always ends with 'eof'.
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private expect(type: TokenType): Token {
    const token = this.peek();
    if (token.type !== type) {
      throw this.error(`Expected '${type}', found ${describe(token)}`, token.start);
    }
    return this.advance();
  }

  private error(message: string, position: number): JmespathError {
    return new JmespathError('syntax', `SyntaxError: ${message} (at position ${position})`, { position });
  }

  private unexpected(token: Token): JmespathError {
    return this.error(`Unexpected ${describe(token)}`, token.start);
  }

  private expression(rbp: number): AstNode {
    if (++this.depth > MAX_AST_DEPTH) {
      throw this.error(`Expression nests deeper than ${MAX_AST_DEPTH} levels`, this.peek().start);
    }
    let left = this.nud(this.advance());
    while (rbp < bp(this.peek().type)) {
      left = this.led(this.advance(), left);
    }
    this.depth--;
    return left;
  }

  private nud(token: Token): AstNode {
    switch (token.type) {
      case 'literal':
        return { type: 'Literal', value: token.value };
      case 'raw-string':
        return { type: 'Literal', value: token.value };
      case 'identifier':
        return fieldNode(token.value as string);
      case 'quoted-identifier':
        if (this.peek().type === '(') {
          throw this.error('Quoted identifier not allowed for function names', token.start);
        }
        return fieldNode(token.value as string);
      case '!':
        return { type: 'Not', child: this.expression(bp('!')) };
      case '*': {
        // `[a, *]`: a bare star inside a multi-select projects the current object's values.
        const right = this.peek().type === ']' ? IDENTITY : this.projectionRhs(bp('*'));
        return { type: 'ValueProjection', left: IDENTITY, right };
      }
      case '[?':
        return this.led(token, IDENTITY);
      case '{':
        return this.multiSelectHash();
      case '[]':
        return {
          type: 'Projection',
          left: { type: 'Flatten', child: IDENTITY },
          right: this.projectionRhs(bp('[]')),
        };
      case '[': {
        const next = this.peek().type;
        if (next === 'number' || next === ':') {
          return this.projectIfSlice(IDENTITY, this.indexExpression());
        }
        if (next === '*' && this.peek(1).type === ']') {
          this.advance();
          this.advance();
          return { type: 'Projection', left: IDENTITY, right: this.projectionRhs(bp('*')) };
        }
        return this.multiSelectList();
      }
      case '@':
        return { type: 'Current' };
      case '&':
        return { type: 'ExpressionReference', child: this.expression(0) };
      case '(': {
        const inner = this.expression(0);
        this.expect(')');
        return inner;
      }
      default:
        throw this.unexpected(token);
    }
  }

  private led(token: Token, left: AstNode): AstNode {
    const type = token.type;
    switch (type) {
      case '.': {
        if (this.peek().type === '*') {
          this.advance();
          return { type: 'ValueProjection', left, right: this.projectionRhs(bp('.')) };
        }
        return { type: 'Subexpression', left, right: this.dotRhs(bp('.')) };
      }
      case '|':
        return { type: 'Pipe', left, right: this.expression(bp('|')) };
      case '||':
        return { type: 'Or', left, right: this.expression(bp('||')) };
      case '&&':
        return { type: 'And', left, right: this.expression(bp('&&')) };
      case '(': {
        if (left.type !== 'Field') throw this.error('Function name must be an identifier', token.start);
        const args: AstNode[] = [];
        while (this.peek().type !== ')') {
          args.push(this.expression(0));
          if (this.peek().type === ',') {
            this.advance();
            if (this.peek().type === ')') throw this.unexpected(this.peek());
          } else if (this.peek().type !== ')') {
            throw this.unexpected(this.peek());
          }
        }
        this.advance();
        return { type: 'Function', name: left.name, args };
      }
      case '[?': {
        const condition = this.expression(0);
        this.expect(']');
        const right = this.peek().type === '[]' ? IDENTITY : this.projectionRhs(bp('[?'));
        return { type: 'FilterProjection', left, right, condition };
      }
      case '[]':
        return {
          type: 'Projection',
          left: { type: 'Flatten', child: left },
          right: this.projectionRhs(bp('[]')),
        };
      case '[': {
        const next = this.peek().type;
        if (next === 'number' || next === ':') {
          return this.projectIfSlice(left, this.indexExpression());
        }
        this.expect('*');
        this.expect(']');
        return { type: 'Projection', left, right: this.projectionRhs(bp('*')) };
      }
      default:
        if (COMPARATORS.has(type)) {
          return { type: 'Comparator', op: type as ComparatorOp, left, right: this.expression(bp(type)) };
        }
        throw this.unexpected(token);
    }
  }

  private projectIfSlice(left: AstNode, right: AstNode): AstNode {
    const indexExpr: AstNode = { type: 'IndexExpression', left, right };
    if (right.type === 'Slice') {
      return { type: 'Projection', left: indexExpr, right: this.projectionRhs(bp('*')) };
    }
    return indexExpr;
  }

  /** After `[` (already consumed) when the next token is a number or `:`. */
  private indexExpression(): AstNode {
    if (this.peek().type === ':' || this.peek(1).type === ':') return this.sliceExpression();
    const token = this.expect('number');
    this.expect(']');
    return { type: 'Index', index: token.value as number };
  }

  private sliceExpression(): SliceNode {
    const parts: (number | null)[] = [null, null, null];
    let part = 0;
    for (;;) {
      const token = this.peek();
      if (token.type === ']') break;
      if (token.type === ':') {
        if (++part > 2) throw this.error('Too many colons in slice expression', token.start);
        this.advance();
      } else if (token.type === 'number') {
        parts[part] = token.value as number;
        this.advance();
        if (this.peek().type !== ':' && this.peek().type !== ']') throw this.unexpected(this.peek());
      } else {
        throw this.unexpected(token);
      }
    }
    const close = this.expect(']');
    if (parts[2] === 0) throw this.error('Invalid slice, step cannot be 0', close.start);
    return { type: 'Slice', start: parts[0] ?? null, stop: parts[1] ?? null, step: parts[2] ?? null };
  }

  private projectionRhs(rbp: number): AstNode {
    const next = this.peek();
    if (bp(next.type) < 10) return IDENTITY;
    if (next.type === '[' || next.type === '[?') return this.expression(rbp);
    if (next.type === '.') {
      this.advance();
      return this.dotRhs(rbp);
    }
    throw this.unexpected(next);
  }

  private dotRhs(rbp: number): AstNode {
    const next = this.peek();
    if (next.type === 'identifier' || next.type === 'quoted-identifier' || next.type === '*') {
      return this.expression(rbp);
    }
    if (next.type === '[') {
      this.advance();
      return this.multiSelectList();
    }
    if (next.type === '{') {
      this.advance();
      return this.multiSelectHash();
    }
    throw this.error(`Expected identifier, '*', '[' or '{' after '.', found ${describe(next)}`, next.start);
  }

  /** After `[` (already consumed). */
  private multiSelectList(): AstNode {
    const children: AstNode[] = [];
    for (;;) {
      children.push(this.expression(0));
      const token = this.peek();
      if (token.type === ']') break;
      this.expect(',');
    }
    this.advance();
    return { type: 'MultiSelectList', children };
  }

  /**
   * After `{` (already consumed). As in Kyverno's go-jmespath, the comma between two key-value pairs
   * may be left out (`{a: x b: y}`): after a value, a `,` or `}` is consumed if present, else the
   * next key is read.
   */
  private multiSelectHash(): AstNode {
    const entries: KeyValue[] = [];
    for (;;) {
      const keyToken = this.advance();
      if (keyToken.type !== 'identifier' && keyToken.type !== 'quoted-identifier') {
        throw this.error(
          `Expected a key name in multi-select hash, found ${describe(keyToken)}`,
          keyToken.start,
        );
      }
      this.expect(':');
      entries.push({ key: keyToken.value as string, value: this.expression(0) });
      const token = this.peek();
      if (token.type === '}') break;
      if (token.type === ',') this.advance();
    }
    this.advance();
    return { type: 'MultiSelectHash', entries };
  }
}

/** Depth of the tree, iteratively, so a long left-deep chain (`a.a.a…`) cannot overflow the stack. */
function astDepth(root: AstNode): number {
  let max = 0;
  const stack: [AstNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [AstNode, number];
    if (depth > max) max = depth;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/** Parses a JMESPath expression; throws JmespathError('syntax'). */
export function parseJmespath(expression: string): AstNode {
  const ast = new Parser(tokenize(expression)).parse();
  if (astDepth(ast) > MAX_AST_DEPTH) {
    throw new JmespathError('syntax', `SyntaxError: Expression nests deeper than ${MAX_AST_DEPTH} levels`);
  }
  return ast;
}
