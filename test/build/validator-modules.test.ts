// The committed, precompiled validators must be exactly what the schemas
// compile to today; otherwise a schema edit would silently not take effect.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { validatorModules } from '../../src/build/validator-modules.js';

const ROOT = new URL('../../', import.meta.url);

for (const { path, text } of validatorModules()) {
  t.test(`${path} is up to date with its schema`, async (t) => {
    const committed = readFileSync(new URL(path, ROOT), 'utf8');
    t.ok(committed === text, `${path} differs from the schema's compiled code; run npm run generate:validators`);
  });
}

t.test('the generated modules do not load ajv itself, only its small runtime helpers', async (t) => {
  for (const { path, text } of validatorModules()) {
    const specifiers = [...text.matchAll(/(?:from |require\()["']([^"']+)["']/g)].map((m) => m[1]);
    t.ok(specifiers.length > 0, `${path} has imports`);
    for (const s of specifiers) t.match(s, /^(node:|\.\/|ajv\/dist\/runtime\/)/, `${path} imports ${s}`);
  }
});
