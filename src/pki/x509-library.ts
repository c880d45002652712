import { webcrypto } from 'node:crypto';

type X509Module = typeof import('@peculiar/x509');
let loading: Promise<X509Module> | undefined;

/**
 * @peculiar/x509, loaded on first use. Only creating secrets and signing
 * certificates need it; a run that reuses its secrets never loads it (the CLI
 * bundle keeps it in a separate chunk). Its dependency tsyringe needs the
 * reflect-metadata polyfill loaded first. Signing goes through Node's
 * WebCrypto, i.e. OpenSSL, for RSA and ECDSA alike.
 */
export function x509Library(): Promise<X509Module> {
  loading ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    return x509;
  })();
  return loading;
}
