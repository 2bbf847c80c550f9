#!/usr/bin/env node
// Which key form jose signs fastest with (issue 14: "import each signing key into the form jose
// signs fastest with, once"): a node:crypto KeyObject (what JoseSigner held) against a WebCrypto
// CryptoKey imported once (crypto.subtle.importKey), each through SignJWT and through CompactSign
// (the JSON payload serialised by the caller), for PS256 (RSA 2048), ES256 (P-256) and HS256
// (client_secret_jwt). A client
// assertion's claims and header as finauth builds them; signatures per second, sequential and 16 in
// flight, in rounds that alternate the variants' order; ratios against SignJWT + KeyObject, the
// form before this change, taken per round and then the median. `node bench/jose-signing-key.mjs [n] [rounds] [PS256,ES256,HS256]`.
import { generateKeyPairSync, randomUUID, webcrypto } from 'node:crypto';
import { HmacSigner, JoseSigner } from '@finauth/client-auth';
import { CompactSign, SignJWT, compactVerify } from 'jose';
import { alternate, concurrentRate, median, sequentialRate } from './lib/measure.mjs';

const [nArg = '2000', roundsArg = '5', algsArg = 'PS256,ES256,HS256'] = process.argv.slice(2);
const n = Number(nArg);
const rounds = Number(roundsArg);
const encoder = new TextEncoder();

// `held`: the form finauth's signer held before this change (a KeyObject; HmacSigner: the secret's
// UTF-8 bytes, which jose imports with crypto.subtle.importKey('raw') on every call).
const KEYS = {
  PS256: { held: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), importAlg: { name: 'RSA-PSS', hash: 'SHA-256' } },
  ES256: { held: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), importAlg: { name: 'ECDSA', namedCurve: 'P-256' } },
  HS256: { held: () => { const secretText = randomUUID() + randomUUID(); return { secretText, secret: new TextEncoder().encode(secretText) }; }, importAlg: { name: 'HMAC', hash: 'SHA-256' } },
};

const claims = () => {
  const iat = Math.floor(Date.now() / 1000);
  return { iss: 'bench-client', sub: 'bench-client', aud: 'https://as.bank.example/token', jti: randomUUID(), iat, nbf: iat, exp: iat + 60 };
};

function variants(alg, held, cryptoKey, secretText) {
  const header = { alg, kid: 'k1' };
  // What finauth signs with (JoseSigner for the asymmetric algorithms, HmacSigner for HS256).
  const finauthSigner = secretText ? new HmacSigner(secretText, alg) : new JoseSigner(held, alg, 'k1');
  const heldName = held instanceof Uint8Array ? 'Uint8Array' : 'KeyObject';
  const signJwt = (key) => () => new SignJWT(claims()).setProtectedHeader(header).sign(key);
  const compact = (key) => () => new CompactSign(encoder.encode(JSON.stringify(claims()))).setProtectedHeader(header).sign(key);
  return [
    { name: `SignJWT+${heldName}`, acquire: signJwt(held) },
    { name: 'SignJWT+CryptoKey', acquire: signJwt(cryptoKey) },
    { name: `CompactSign+${heldName}`, acquire: compact(held) },
    { name: 'CompactSign+CryptoKey', acquire: compact(cryptoKey) },
    { name: 'finauth signer', acquire: () => finauthSigner.sign(claims(), { kid: 'k1' }) },
  ];
}

const results = {};
for (const [alg, spec] of Object.entries(KEYS).filter(([name]) => algsArg.split(',').includes(name))) {
  const { privateKey, publicKey, secret, secretText } = spec.held();
  const held = secret ?? privateKey;
  const cryptoKey = secret
    ? await webcrypto.subtle.importKey('raw', secret, spec.importAlg, false, ['sign'])
    : await webcrypto.subtle.importKey('jwk', privateKey.export({ format: 'jwk' }), spec.importAlg, false, ['sign']);
  const clients = variants(alg, held, cryptoKey, secretText);
  // Every variant produces a JWS the key verifies (a broken variant would measure nothing).
  for (const c of clients) await compactVerify(await c.acquire(), publicKey ?? secret);
  for (const c of clients) for (let i = 0; i < 200; i++) await c.acquire();
  const seq = await alternate(clients, rounds, (c) => sequentialRate(c, n));
  const conc = await alternate(clients, rounds, (c) => concurrentRate(c, n, 16));
  results[alg] = { sequential: seq, concurrent16: conc };
  for (const [mode, r] of [['sequential', seq], ['16 in flight', conc]]) {
    // Ratio per round (the variants of one round ran back to back), then the median of those: the
    // machine's drift between rounds cancels out.
    const base = Object.values(r)[0].samples;
    const paired = (v) => median(v.samples.map((x, i) => x / base[i]));
    console.log(`${alg} ${mode}: ${Object.entries(r).map(([k, v]) => `${k} ${Math.round(v.median)}/s (${paired(v).toFixed(2)}x)`).join(', ')}`);
  }
}
console.log(JSON.stringify({ node: process.version, n, rounds, results }));
