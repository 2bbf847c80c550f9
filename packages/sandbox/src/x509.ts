// @peculiar/x509 resolves its services through tsyringe, which needs a Reflect metadata polyfill
// loaded before it (see the library's README). Every module of this package imports x509 from here.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Sign with node's WebCrypto (the maintained implementation), not a JS polyfill.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
