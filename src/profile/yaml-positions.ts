/**
 * Maps JSON pointers back to places in the YAML source, so every diagnostic
 * can name a line and column. Works on the yaml library's Document (which keeps
 * node ranges) and a LineCounter filled during parsing.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

/** Escapes one JSON pointer segment (RFC 6901: "~" → "~0", "/" → "~1"). */
export function escapeSegment(seg: string | number): string {
  return String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins segments into a JSON pointer; [] gives "" (the whole document). */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + escapeSegment(s)).join('');
}

/** Splits a JSON pointer into unescaped segments; "" gives []. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Returns the string form of a map key node (scalar keys only; others stringify). */
export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

interface Walk {
  /** Node at the full path, or at the deepest prefix that exists. */
  node: Node | null;
  /** Key node (or sequence item) of the last segment that was found. */
  key: Node | null;
  complete: boolean;
}

/** Looks paths up in one parsed document. */
export class SourceLocator {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
  ) {}

  /**
   * Returns the position of the value at `pointer`, or of its key when `key`
   * is true. A path that does not exist in the source (a defaulted field, a
   * missing key) resolves to the key of its deepest existing ancestor.
   */
  locate(pointer: string, opts: { key?: boolean } = {}): Position {
    const w = this.walk(fromPointer(pointer));
    // A block mapping or list starts on the line after its key; the key line
    // ("nodes:") is where a reader looks for a problem with the whole list.
    const block = (isMap(w.node) || isSeq(w.node)) && !w.node.flow;
    const preferKey = opts.key || block || !w.complete;
    return this.positionOf(preferKey ? (w.key ?? w.node) : (w.node ?? w.key));
  }

  /** Returns the source text of the node at `pointer` (e.g. "1.30" for a number), or undefined. */
  sourceText(pointer: string): string | undefined {
    const w = this.walk(fromPointer(pointer));
    const r = w.complete ? w.node?.range : undefined;
    return r ? this.text.slice(r[0], r[1]).trim() : undefined;
  }

  /** Position of a node's first character; 1:1 when the node is absent. */
  positionOf(node: Node | null | undefined): Position {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, col: 1 };
    return this.lineCounter.linePos(offset);
  }

  private walk(segments: readonly string[]): Walk {
    let node = this.resolve(this.doc.contents as Node | null);
    let key: Node | null = null;
    for (const seg of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === seg);
        if (!pair) return { node, key, complete: false };
        key = pair.key as Node;
        node = this.resolve(pair.value as Node | null);
      } else if (isSeq(node) && /^\d+$/.test(seg) && Number(seg) < node.items.length) {
        node = this.resolve(node.items[Number(seg)] as Node | null);
        key = node;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }

  private resolve(node: Node | null): Node | null {
    return isAlias(node) ? ((node.resolve(this.doc) as Node | undefined) ?? node) : node;
  }
}

/** A repeated key in one mapping: its JSON pointer and the node of the repeat. */
export interface DuplicateKey {
  pointer: string;
  name: string;
  key: Node;
}

/**
 * Finds repeated keys in every mapping of the document. The yaml library's own
 * check reports an offset that can sit on the previous line, so we parse with
 * `uniqueKeys: false` and report the second key node ourselves.
 */
export function findDuplicateKeys(doc: Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = keyText(pair.key);
        if (seen.has(k)) found.push({ pointer: toPointer([...path, k]), name: k, key: pair.key as Node });
        seen.add(k);
        visit(pair.value, [...path, k]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(doc.contents, []);
  return found;
}
