import { createRequire } from 'node:module';
import type Forge from 'node-forge';

const require = createRequire(import.meta.url);
let loaded: typeof Forge | undefined;

/**
 * node-forge, loaded on first use. Only creating secrets and signing
 * certificates need it; loading it costs ~30 ms, which every run that reuses
 * its secrets would otherwise pay (node-forge is CommonJS, so a synchronous
 * require keeps the callers synchronous).
 */
export function nodeForge(): typeof Forge {
  loaded ??= require('node-forge') as typeof Forge;
  return loaded;
}
