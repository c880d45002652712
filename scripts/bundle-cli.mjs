// Bundles the CLI into one ES module, dist/cli/main.js, replacing tsc's output
// for that entry point. Loading ~170 separate ES modules (ours and the
// dependencies') cost ~80 ms of every run; one file loads in a fraction of that.
// node-forge stays external: it is required lazily, only when signing. So does
// @kubernetes/client-node, which only `status` imports (lazily): bundled, its code
// would be parsed on every run.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/cli/main.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['node-forge', '@kubernetes/client-node'],
  // CommonJS dependencies bundled into an ES module still call require() for
  // Node built-ins; give them a real one.
  banner: { js: "import { createRequire as bundleCreateRequire } from 'node:module';\nconst require = bundleCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
