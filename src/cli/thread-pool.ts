// Imported first by main.ts, before anything can start libuv's thread pool: the pool
// reads UV_THREADPOOL_SIZE once, when it first starts.
//
// A new RSA cluster makes five 2048-bit keys at once (pki/cluster-secrets.ts), each a
// random-length prime search of ~50–150 ms. With libuv's default of four threads the
// fifth key waits for a thread and often finishes alone on one core; with five, all
// five share the cores from the start (measured on 2 cores: median 298 ms against
// 351 ms for the five keys). A value the user set is kept.
const KEYS_MADE_AT_ONCE = 5;

if (process.env['UV_THREADPOOL_SIZE'] === undefined) process.env['UV_THREADPOOL_SIZE'] = String(KEYS_MADE_AT_ONCE);
