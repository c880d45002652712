import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * Returns the 1-based {line, col} of the deepest node along a JSON pointer
 * ("/ca/cert") in a parsed YAML document: the key of a mapping entry, or the
 * item of a sequence. Falls back to the closest existing ancestor, or 1:1 for
 * an empty document, so a diagnostic always points somewhere useful.
 */
export function locatePointer(doc: Document, lineCounter: LineCounter, pointer: string): { line: number; col: number } {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0];
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === seg);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
}
