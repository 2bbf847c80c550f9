import { createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, jwtVerify } from 'jose';
import { JWT_BEARER_ASSERTION_TYPE } from '../src/index.js';
import { buildProvider, defaultKey } from './helpers/build.js';
import { FakeTransport, ISSUER, json, MTLS_TOKEN_ENDPOINT, standardServer } from './helpers/FakeTransport.js';
import { ecKey, ed25519Key } from './helpers/material.js';
import { ManualClock } from './helpers/ManualClock.js';

function assertionOf(transport: FakeTransport, index = 0): string {
  const body = transport.tokenBodies()[index];
  const assertion = body?.get('client_assertion');
  if (!assertion) throw new Error(`no client_assertion in token request ${index}`);
  return assertion;
}

describe('private_key_jwt client assertion (RFC 7523 §3, FAPI 2.0 SP §5.3.2.1)', () => {
  it('is signed with PS256 by the configured key and carries iss = sub = client id, aud = issuer', async () => {
    const { auth, transport } = buildProvider();
    try {
      await auth.getToken('ofp');
      const jwt = assertionOf(transport);
      const { payload, protectedHeader } = await jwtVerify(jwt, defaultKey().publicKey, { algorithms: ['PS256'] });
      expect(protectedHeader.alg).to.equal('PS256');
      expect(payload.iss).to.equal('client-123');
      expect(payload.sub).to.equal('client-123');
      // FAPI 2.0: the issuer identifier as a single string, not an array.
      expect(payload.aud).to.equal(ISSUER);
    } finally {
      await auth.close();
    }
  });

  it('lives 60 seconds: exp = iat + 60, nbf = iat, dated by the injected clock', async () => {
    const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000 + 86_400_000 + 678);
    const { auth, transport } = buildProvider({ clock });
    try {
      await auth.getToken('ofp');
      const claims = decodeJwt(assertionOf(transport));
      expect(claims.iat).to.equal(Math.floor(clock.ms / 1000));
      expect(claims.nbf).to.equal(claims.iat);
      expect(claims.exp).to.equal(claims.iat! + 60);
    } finally {
      await auth.close();
    }
  });

  it('puts client_id, client_assertion_type and the assertion in the form body (the OFM developer portal, Section 4)', async () => {
    const { auth, transport } = buildProvider();
    try {
      await auth.getToken('ofp');
      const body = transport.tokenBodies()[0]!;
      expect(body.get('grant_type')).to.equal('client_credentials');
      expect(body.get('client_id')).to.equal('client-123');
      expect(body.get('scope')).to.equal('accounts');
      expect(body.get('client_assertion_type')).to.equal(JWT_BEARER_ASSERTION_TYPE);
      expect(body.get('client_assertion')!.split('.')).to.have.length(3);
      expect(transport.requests.at(-1)!.headers['authorization']).to.equal(undefined);
    } finally {
      await auth.close();
    }
  });

  it('sends the configured kid in the header', async () => {
    const { auth, transport } = buildProvider();
    try {
      await auth.getToken('ofp');
      expect(decodeProtectedHeader(assertionOf(transport)).kid).to.equal('k1');
    } finally {
      await auth.close();
    }
  });

  it('defaults kid to the key\'s RFC 7638 thumbprint', async () => {
    const key = ecKey();
    const { auth, transport } = buildProvider({ clientAuth: { method: 'private_key_jwt', signingKey: key.privatePem, alg: 'ES256' } });
    try {
      await auth.getToken('ofp');
      const expected = await calculateJwkThumbprint(await exportJWK(key.publicKey));
      expect(decodeProtectedHeader(assertionOf(transport)).kid).to.equal(expected);
    } finally {
      await auth.close();
    }
  });

  it('signs ES256 and EdDSA with keys that fit', async () => {
    for (const [alg, key] of [['ES256', ecKey()], ['EdDSA', ed25519Key()]] as const) {
      const { auth, transport } = buildProvider({ clientAuth: { method: 'private_key_jwt', signingKey: key.privatePem, alg, kid: `kid-${alg}` } });
      try {
        await auth.getToken('ofp');
        const { protectedHeader } = await jwtVerify(assertionOf(transport), key.publicKey, { algorithms: [alg] });
        expect(protectedHeader.alg).to.equal(alg);
      } finally {
        await auth.close();
      }
    }
  });

  it('accepts the signing key as a JWK object (its own kid is used)', async () => {
    const key = ecKey();
    const jwk = { ...(createPublicKey(key.privatePem).export({ format: 'jwk' }) as Record<string, unknown>), ...(await exportJWK(await import('node:crypto').then((c) => c.createPrivateKey(key.privatePem)))), kid: 'jwk-kid' };
    const { auth, transport } = buildProvider({ clientAuth: { method: 'private_key_jwt', signingKey: jwk, alg: 'ES256' } });
    try {
      await auth.getToken('ofp');
      const { protectedHeader } = await jwtVerify(assertionOf(transport), key.publicKey, { algorithms: ['ES256'] });
      expect(protectedHeader.kid).to.equal('jwk-kid');
    } finally {
      await auth.close();
    }
  });

  describe('audience (clientAuth.audience)', () => {
    it('"token_endpoint" is the URL the request goes to (the mTLS alias here)', async () => {
      const { auth, transport } = buildProvider({ clientAuth: { method: 'private_key_jwt', signingKey: defaultKey().privatePem, audience: 'token_endpoint' } });
      try {
        await auth.getToken('ofp');
        expect(decodeJwt(assertionOf(transport)).aud).to.equal(MTLS_TOKEN_ENDPOINT);
      } finally {
        await auth.close();
      }
    });

    it('an explicit string is used as given', async () => {
      const { auth, transport } = buildProvider({ clientAuth: { method: 'private_key_jwt', signingKey: defaultKey().privatePem, audience: 'https://ofp.example.my/as' } });
      try {
        await auth.getToken('ofp');
        expect(decodeJwt(assertionOf(transport)).aud).to.equal('https://ofp.example.my/as');
      } finally {
        await auth.close();
      }
    });
  });

  it('uses a fresh jti for every request, retries included', async () => {
    let tokenCalls = 0;
    const transport = new FakeTransport((request) => {
      if (request.method === 'POST' && ++tokenCalls === 1) return json(503, { error: 'temporarily_unavailable' }, { 'retry-after': '0' });
      return standardServer(request);
    });
    const { auth } = buildProvider({ transport });
    try {
      await auth.getToken('ofp');
      await auth.getToken('ofp', { forceRefresh: true });
      const jtis = [0, 1, 2].map((i) => decodeJwt(assertionOf(transport, i)).jti);
      expect(tokenCalls).to.equal(3);
      expect(jtis.every((j) => typeof j === 'string' && j.length >= 16)).to.equal(true);
      expect(new Set(jtis).size).to.equal(3);
    } finally {
      await auth.close();
    }
  });

  it('tls_client_auth sends client_id and no assertion or secret (RFC 8705 §2)', async () => {
    const { auth, transport } = buildProvider({ clientAuth: { method: 'tls_client_auth' } });
    try {
      const token = await auth.getToken('ofp');
      expect(auth.provider('ofp').authMethod).to.equal('tls_client_auth');
      expect(token.tokenType).to.equal('Bearer');
      const body = transport.tokenBodies()[0]!;
      expect(body.get('client_id')).to.equal('client-123');
      expect([...body.keys()].sort()).to.deep.equal(['client_id', 'grant_type', 'scope']);
      expect(transport.requests.at(-1)!.headers['authorization']).to.equal(undefined);
    } finally {
      await auth.close();
    }
  });

  it('a custom Signer (KMS/HSM stand-in) signs instead of an in-memory key', async () => {
    const key = ecKey();
    const { rawSigner } = await import('../src/index.js');
    const { sign } = await import('node:crypto');
    let calls = 0;
    const signer = rawSigner({
      alg: 'ES256',
      kid: 'kms-key-1',
      // DER, as a KMS returns it: rawSigner converts to JOSE r||s.
      signBytes: async (input) => {
        calls++;
        return sign('sha256', input, key.privatePem);
      },
    });
    const { auth, transport } = buildProvider({ clientAuth: { method: 'private_key_jwt', signer } });
    try {
      await auth.getToken('ofp');
      const { protectedHeader, payload } = await jwtVerify(assertionOf(transport), key.publicKey, { algorithms: ['ES256'] });
      expect(calls).to.equal(1);
      expect(protectedHeader.kid).to.equal('kms-key-1');
      expect(payload.iss).to.equal('client-123');
    } finally {
      await auth.close();
    }
  });
});
