import type { StrongGzip } from '../emit/cloud-init/gzip-user-data.js';

// 5 iterations: within a few bytes of zopfli's default 15 on a control plane's
// user-data, at about half the time (~0.1 s).
const OPTIONS = { numiterations: 5 };

/**
 * zopfli's gzip encoder (@gfx/zopfli, WebAssembly), for --compress gzip. Loaded only
 * when asked for: instantiating the module is asynchronous, compressing afterwards is
 * synchronous, which is what the generator's pure core needs.
 */
export async function loadZopfli(): Promise<StrongGzip> {
  const zopfli = await import('@gfx/zopfli');
  // Resolves once the WebAssembly runtime is up; from then on gzip() calls back at once.
  await zopfli.gzipAsync(new Uint8Array(0), OPTIONS);
  return (text) => {
    let out: Uint8Array | undefined;
    zopfli.gzip(text, OPTIONS, (err, bytes) => {
      if (err) throw err;
      out = bytes;
    });
    if (out === undefined) throw new Error('bug: zopfli did not compress synchronously');
    return out;
  };
}
