/**
 * Injected randomness: returns n fresh bytes. Production passes
 * crypto.randomBytes; tests pass a seeded generator so serial numbers and
 * tokens are reproducible. (Key generation is the one exception: it uses
 * Node's own CSPRNG, see key-pair.ts.)
 */
export type RandomBytes = (n: number) => Uint8Array;
