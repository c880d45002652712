import t from 'tap';
import { join } from 'node:path';
import { generateImage } from '../../src/output/generate-image.js';
import { ROOT, bundledTemplates, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';

const templates = bundledTemplates();
const lab = profileAt('profiles/lab.yaml');

t.test('lab image output matches the golden files byte for byte', async (t) => {
  const files = generateImage(lab, templates);
  compareGolden(t, join(ROOT, 'test', 'golden', 'image', 'lab'), new Map(files.map((f) => [f.path, f.content])));
});

t.test('image generation is deterministic and needs no secrets', async (t) => {
  const a = generateImage(lab, templates);
  const b = generateImage(structuredClone(lab), templates);
  t.same(a.map((f) => [f.path, f.mode, Buffer.from(f.content).toString('base64')]), b.map((f) => [f.path, f.mode, Buffer.from(f.content).toString('base64')]));
});
