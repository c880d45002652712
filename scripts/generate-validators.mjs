// Writes the precompiled schema validators into src/ (see src/build/validator-modules.ts).
// Run through `npm run generate:validators`, which builds dist/ first.
import { writeFileSync } from 'node:fs';
import { validatorModules } from '../dist/build/validator-modules.js';

for (const { path, text } of validatorModules()) {
  writeFileSync(new URL(`../${path}`, import.meta.url), text);
  process.stdout.write(`wrote ${path}\n`);
}
