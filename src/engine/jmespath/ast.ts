/** @module AST of the JMESPath 2015 grammar, as Kyverno's go-jmespath fork parses it. */

export type ComparatorOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface IdentityNode {
  readonly type: 'Identity';
}
/** `@` */
export interface CurrentNode {
  readonly type: 'Current';
}
/**
 * A missing map key (Kyverno's not-found error) on its way out of a path: returned rather than thrown,
 * since nearly every one is read as null by an enclosing expression. Only sub-expressions and the
 * right side of `&&` pass it on, as they passed the error on; `search` throws it if it gets there.
 * Immutable, so each field node keeps one (`FieldNode.missing`) instead of one per missing field.
 */
export class MissingKey {
  readonly key: string;
  constructor(key: string) {
    this.key = key;
  }
}

export interface FieldNode {
  readonly type: 'Field';
  readonly name: string;
  /** What reading `name` from a map without it answers, made once with the node. */
  readonly missing: MissingKey;
}
export interface LiteralNode {
  readonly type: 'Literal';
  readonly value: unknown;
}
export interface IndexNode {
  readonly type: 'Index';
  readonly index: number;
}
export interface SliceNode {
  readonly type: 'Slice';
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
}
export type BinaryType =
  | 'Subexpression'
  | 'IndexExpression'
  | 'Pipe'
  | 'Or'
  | 'And'
  | 'Projection'
  | 'ValueProjection';
export interface BinaryNode {
  readonly type: BinaryType;
  readonly left: AstNode;
  readonly right: AstNode;
}
export interface FilterProjectionNode {
  readonly type: 'FilterProjection';
  readonly left: AstNode;
  readonly right: AstNode;
  readonly condition: AstNode;
}
export type UnaryType = 'Flatten' | 'Not' | 'ExpressionReference';
export interface UnaryNode {
  readonly type: UnaryType;
  readonly child: AstNode;
}
export interface ComparatorNode {
  readonly type: 'Comparator';
  readonly op: ComparatorOp;
  readonly left: AstNode;
  readonly right: AstNode;
}
export interface MultiSelectListNode {
  readonly type: 'MultiSelectList';
  readonly children: readonly AstNode[];
}
export interface KeyValue {
  readonly key: string;
  readonly value: AstNode;
}
export interface MultiSelectHashNode {
  readonly type: 'MultiSelectHash';
  readonly entries: readonly KeyValue[];
}
export interface FunctionNode {
  readonly type: 'Function';
  readonly name: string;
  readonly args: readonly AstNode[];
}

export type AstNode =
  | IdentityNode
  | CurrentNode
  | FieldNode
  | LiteralNode
  | IndexNode
  | SliceNode
  | BinaryNode
  | FilterProjectionNode
  | UnaryNode
  | ComparatorNode
  | MultiSelectListNode
  | MultiSelectHashNode
  | FunctionNode;

/** Direct children of a node, in evaluation order. */
export function childrenOf(node: AstNode): readonly AstNode[] {
  switch (node.type) {
    case 'Identity':
    case 'Current':
    case 'Field':
    case 'Literal':
    case 'Index':
    case 'Slice':
      return [];
    case 'FilterProjection':
      return [node.left, node.condition, node.right];
    case 'Flatten':
    case 'Not':
    case 'ExpressionReference':
      return [node.child];
    case 'MultiSelectList':
      return node.children;
    case 'MultiSelectHash':
      return node.entries.map((e) => e.value);
    case 'Function':
      return node.args;
    default:
      return [node.left, node.right];
  }
}
