// Bundles the CLI into one ES module, dist/cli/main.js, replacing tsc's output
// for that entry point. Loading ~170 separate ES modules (ours and the
// dependencies') cost ~80 ms of every run; one file loads in a fraction of that.
// The X.509 library (@peculiar/x509 and its dependencies) is imported dynamically,
// only when creating secrets or signing; with code splitting it lands in its own
// chunk next to main.js, which a run that reuses its secrets never loads.
// @kubernetes/client-node, which only `status` imports (lazily), stays external:
// it is loaded from node_modules as published (CommonJS, ~60 packages), never parsed
// by a generating run. @gfx/zopfli (WebAssembly with Emscripten's CommonJS glue, which
// needs its own __dirname) stays external too.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: drop the previous build's so none go stale.
rmSync(new URL('../dist/cli/chunks/', import.meta.url).pathname, { recursive: true, force: true });

await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outdir: new URL('../dist/cli/', import.meta.url).pathname,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  // Prefer ES module builds (@peculiar/x509 ships both): a CommonJS one imported
  // dynamically would hide its named exports behind `default`.
  mainFields: ['module', 'main'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@kubernetes/client-node', '@gfx/zopfli'],
  // CommonJS dependencies bundled into an ES module still call require() for
  // Node built-ins; give them a real one.
  banner: { js: "import { createRequire as bundleCreateRequire } from 'node:module';\nconst require = bundleCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
