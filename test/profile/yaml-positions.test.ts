import t from 'tap';
import { LineCounter, parseDocument } from 'yaml';
import { escapeSegment, findDuplicateKeys, fromPointer, SourceLocator, toPointer } from '../../src/profile/yaml-positions.js';

function locator(text: string): SourceLocator {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  return new SourceLocator(doc, lineCounter, text);
}

t.test('JSON pointer escaping round-trips', async (t) => {
  t.equal(escapeSegment('a/b~c'), 'a~1b~0c');
  t.equal(toPointer(['nodes', 1, 'a/b~c']), '/nodes/1/a~1b~0c');
  t.strictSame(fromPointer('/nodes/1/a~1b~0c'), ['nodes', '1', 'a/b~c']);
  t.strictSame(fromPointer(''), []);
  t.equal(toPointer([]), '');
});

t.test('values, keys, block collections and missing paths', async (t) => {
  const text = ['a:', '  b: 1', '  "x/y": 2', 'list:', '  - n: p', '    m: q', 'flow: [1, 2]'].join('\n');
  const loc = locator(text);
  t.strictSame(loc.locate('/a/b'), { line: 2, col: 6 }, 'scalar value');
  t.strictSame(loc.locate('/a/b', { key: true }), { line: 2, col: 3 }, 'its key');
  t.strictSame(loc.locate('/a/x~1y'), { line: 3, col: 10 }, 'escaped key');
  t.strictSame(loc.locate('/a'), { line: 1, col: 1 }, 'block mapping → its key line');
  t.strictSame(loc.locate('/list/0/m'), { line: 6, col: 8 });
  t.strictSame(loc.locate('/list/0'), { line: 5, col: 5 }, 'list item');
  t.strictSame(loc.locate('/flow'), { line: 7, col: 7 }, 'flow list → the value');
  t.strictSame(loc.locate('/flow/1'), { line: 7, col: 11 });
  t.strictSame(loc.locate('/a/missing'), { line: 1, col: 1 }, 'missing → deepest existing key');
  t.strictSame(loc.locate('/list/5/x'), { line: 4, col: 1 });
  t.strictSame(loc.locate('/nope'), { line: 1, col: 1 });
  t.equal(loc.sourceText('/a/b'), '1');
});

t.test('aliases are followed', async (t) => {
  const loc = locator(['base: &b', '  k: v', 'use: *b'].join('\n'));
  t.strictSame(loc.locate('/use/k'), { line: 2, col: 6 });
});

t.test('duplicate keys are found at every depth', async (t) => {
  const doc = parseDocument(['a: 1', 'b:', '  - {x: 1, x: 2}', 'a: 3'].join('\n'), { uniqueKeys: false });
  t.strictSame(
    findDuplicateKeys(doc).map((d) => d.pointer),
    ['/b/0/x', '/a'],
  );
});
