// The three clients measured side by side, each doing the same work: private_key_jwt over mutual
// TLS to the token endpoint the discovery document names (its mTLS alias), keep-alive connections.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { importPKCS8, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { Agent as UndiciAgent, fetch as undiciFetch } from 'undici';

const CLIENT_ID = 'bench-client';
/**
 * The scope worker `w` asks for. Each worker has its own, for every client alike: finauth's forced
 * refreshes for one scope join the fetch in flight, so this is how one finauth provider keeps
 * sixteen token requests in flight, on one agent and one signing key like the bare client.
 */
const scopeFor = (w) => `accounts worker-${w}`;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** PEM material of a bench world, read once. */
export function material(pki, alg) {
  const signing = alg === 'ES256' ? pki.signing.es256 : pki.signing.ps256;
  return {
    cert: readFileSync(pki.clients.transport.cert, 'utf8'),
    key: readFileSync(pki.clients.transport.key, 'utf8'),
    ca: readFileSync(pki.caCert, 'utf8'),
    signingKey: readFileSync(signing.key, 'utf8'),
    kid: signing.kid,
    alg,
  };
}

export function fapiProvider(id, origin, m) {
  return {
    id,
    strategy: 'fapi2',
    issuer: origin,
    clientId: CLIENT_ID,
    clientAuth: { method: 'private_key_jwt', signingKey: m.signingKey, alg: m.alg, kid: m.kid },
    tls: { cert: m.cert, key: m.key, ca: m.ca },
    scope: 'accounts',
  };
}

/** finauth: one provider; each worker forces a refresh of its own scope (scopeFor). */
export async function finauthClient(origin, m) {
  const fa = createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)] });
  const options = Array.from({ length: 16 }, (_, w) => ({ forceRefresh: true, scope: scopeFor(w) }));
  return {
    name: 'finauth',
    acquire: async (worker = 0) => (await fa.getToken('bank', options[worker])).accessToken,
    close: () => fa.close(),
  };
}

/** openid-client 6 with its documented mTLS setup: an undici Agent carrying the certificate, through customFetch. */
export async function openidClient(origin, m) {
  const agent = new UndiciAgent({ connect: { cert: m.cert, key: m.key, ca: m.ca } });
  const key = await importPKCS8(m.signingKey, m.alg);
  const config = await oidc.discovery(new URL(origin), CLIENT_ID, { use_mtls_endpoint_aliases: true }, oidc.PrivateKeyJwt({ key, kid: m.kid }), {
    [oidc.customFetch]: (url, options) => undiciFetch(url, { ...options, dispatcher: agent }),
  });
  return {
    name: 'openid-client',
    acquire: async (worker = 0) => (await oidc.clientCredentialsGrant(config, { scope: scopeFor(worker) })).access_token,
    close: () => agent.close(),
  };
}

function post(url, agent, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve(JSON.parse(data)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The least code doing the same work: node:https keep-alive agent + jose, discovery once. */
export async function bareClient(origin, m) {
  const agent = new Agent({ keepAlive: true, cert: m.cert, key: m.key, ca: m.ca });
  const doc = await new Promise((resolve, reject) => {
    request(`${origin}/.well-known/openid-configuration`, { agent }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve(JSON.parse(data)));
    }).on('error', reject).end();
  });
  const tokenUrl = doc.mtls_endpoint_aliases?.token_endpoint ?? doc.token_endpoint;
  const key = createPrivateKey(m.signingKey);
  return {
    name: 'bare',
    acquire: async (worker = 0) => {
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({ iss: CLIENT_ID, sub: CLIENT_ID, aud: origin, jti: randomUUID(), iat: now, nbf: now, exp: now + 60 }).setProtectedHeader({ alg: m.alg, kid: m.kid }).sign(key);
      const body = new URLSearchParams({ grant_type: 'client_credentials', scope: scopeFor(worker), client_id: CLIENT_ID, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion }).toString();
      return (await post(tokenUrl, agent, body)).access_token;
    },
    close: () => agent.destroy(),
  };
}

export const CLIENTS = { finauth: finauthClient, 'openid-client': openidClient, bare: bareClient };
