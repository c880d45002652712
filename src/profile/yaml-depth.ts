/**
 * Nesting depth of YAML, measured without recursion so that hostile nesting
 * ("[[[[…", or a deep block structure) becomes a diagnostic instead of a stack
 * overflow in the parser or in any later walk over the data.
 */
import { isMap, isPair, isSeq, type Document, type Node } from 'yaml';

/**
 * An upper bound on the flow-collection nesting ("[" and "{") of YAML text, read
 * before parsing: the parser's recursion makes deep flow nesting slow (seconds for
 * 1 MB of "["). Quoted strings and comments are skipped.
 */
export function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1] as string))) {
      quote = c;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return max;
}

/** The deepest node of a parsed document and its depth (the top-level collection is 1). */
export function documentDepth(doc: Document): { depth: number; node: Node | undefined } {
  let deepest = { depth: 0, node: undefined as Node | undefined };
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > deepest.depth) deepest = { depth, node: node as Node };
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 });
        stack.push({ node: item.value, depth: depth + 1 });
      } else {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return deepest;
}
