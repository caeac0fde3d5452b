/** @module Human-readable rendering of a parsed expression, for `palisade jp parse`. */
import type { AstNode } from './ast.js';

function label(node: AstNode): string {
  switch (node.type) {
    case 'Field':
      return `Field ${JSON.stringify(node.name)}`;
    case 'Literal':
      return `Literal ${JSON.stringify(node.value)}`;
    case 'Index':
      return `Index ${node.index}`;
    case 'Slice':
      return `Slice ${node.start ?? ''}:${node.stop ?? ''}:${node.step ?? ''}`;
    case 'Comparator':
      return `Comparator ${node.op}`;
    case 'Function':
      return `Function ${node.name}`;
    default:
      return node.type;
  }
}

function children(node: AstNode): [string, AstNode][] {
  switch (node.type) {
    case 'FilterProjection':
      return [
        ['left', node.left],
        ['condition', node.condition],
        ['right', node.right],
      ];
    case 'Flatten':
    case 'Not':
    case 'ExpressionReference':
      return [['', node.child]];
    case 'MultiSelectList':
      return node.children.map((c) => ['', c]);
    case 'MultiSelectHash':
      return node.entries.map((e) => [e.key, e.value]);
    case 'Function':
      return node.args.map((a) => ['', a]);
    case 'Identity':
    case 'Current':
    case 'Field':
    case 'Literal':
    case 'Index':
    case 'Slice':
      return [];
    default:
      return [
        ['left', node.left],
        ['right', node.right],
      ];
  }
}

/** One node per line, indented by depth; edge names (left/right/condition/keys) prefix a child. */
export function formatAst(root: AstNode): string {
  const lines: string[] = [];
  const stack: [AstNode, number, string][] = [[root, 0, '']];
  while (stack.length > 0) {
    const [node, depth, edge] = stack.pop() as [AstNode, number, string];
    lines.push(`${'  '.repeat(depth)}${edge === '' ? '' : `${edge}: `}${label(node)}`);
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) {
      const [name, child] = kids[i] as [string, AstNode];
      stack.push([child, depth + 1, name]);
    }
  }
  return lines.join('\n');
}
