// rawSigner adapters for cloud KMS APIs, as docs/guides/hsm-and-kms.md shows them.
//
// STAND-INS, clearly: the functions named `...StandIn` below play AWS KMS and Azure Key Vault with a
// local node:crypto key, returning exactly the shapes those APIs document (AWS KMS Sign: DER ECDSA,
// RSASSA-PSS with a salt as long as the hash; Key Vault signData: r || s for ES256). The real SDK
// calls cannot run here (no cloud account, no network): what is tested is the adapter around them
// (which bytes go in, which signature form comes back, the DER → r || s conversion), verified by jose.
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { expect } from 'chai';
import { compactVerify } from 'jose';
import { rawSigner, type Signer } from '@finauth/client-auth';

/** The adapter the guide shows for AWS KMS: `send` is `(input) => kms.send(new SignCommand(input))`. */
function awsKmsSigner(send: (input: { KeyId: string; Message: Uint8Array; MessageType: 'RAW'; SigningAlgorithm: string }) => Promise<{ Signature?: Uint8Array }>, keyId: string, alg: 'PS256' | 'ES256', kid: string): Signer {
  return rawSigner({
    alg,
    kid,
    signBytes: async (signingInput) => {
      // RAW: KMS hashes the message itself (up to 4096 bytes; a client assertion is ~600).
      const out = await send({ KeyId: keyId, Message: signingInput, MessageType: 'RAW', SigningAlgorithm: alg === 'ES256' ? 'ECDSA_SHA_256' : 'RSASSA_PSS_SHA_256' });
      if (!out.Signature) throw new Error('KMS returned no signature');
      return out.Signature; // ES256: DER (ECDSA-Sig-Value), converted by rawSigner
    },
  });
}

/** The adapter the guide shows for Azure Key Vault: `signData` is `(alg, data) => cryptographyClient.signData(alg, data)`. */
function keyVaultSigner(signData: (algorithm: string, data: Uint8Array) => Promise<{ result: Uint8Array }>, alg: 'PS256' | 'ES256', kid: string): Signer {
  return rawSigner({ alg, kid, signBytes: async (signingInput) => (await signData(alg, signingInput)).result });
}

/** STAND-IN for AWS KMS Sign (MessageType RAW). */
function awsKmsSignStandIn(keys: Record<string, KeyObject>) {
  return async (input: { KeyId: string; Message: Uint8Array; MessageType: 'RAW'; SigningAlgorithm: string }): Promise<{ Signature?: Uint8Array }> => {
    const key = keys[input.KeyId]!;
    if (input.SigningAlgorithm === 'ECDSA_SHA_256') return { Signature: sign('sha256', input.Message, { key, dsaEncoding: 'der' }) };
    if (input.SigningAlgorithm === 'RSASSA_PSS_SHA_256') return { Signature: sign('sha256', input.Message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) };
    throw new Error(`stand-in does not know ${input.SigningAlgorithm}`);
  };
}

/** STAND-IN for Azure Key Vault CryptographyClient.signData (ES256 answers r || s, 64 bytes). */
function keyVaultSignDataStandIn(key: KeyObject) {
  return async (algorithm: string, data: Uint8Array): Promise<{ result: Uint8Array }> => {
    if (algorithm === 'ES256') return { result: sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }) };
    if (algorithm === 'PS256') return { result: sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) };
    throw new Error(`stand-in does not know ${algorithm}`);
  };
}

describe('rawSigner adapters for cloud KMS (local stand-ins for the KMS call, see the file comment)', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const claims = { iss: 'c', sub: 'c', aud: 'https://as.example', jti: 'j', iat: 1, exp: 4_000_000_000 };

  it('AWS KMS ES256: the DER signature KMS returns becomes the 64-byte r || s jose verifies', async () => {
    const signer = awsKmsSigner(awsKmsSignStandIn({ 'alias/ec': ec.privateKey }), 'alias/ec', 'ES256', 'k1');
    for (let i = 0; i < 20; i++) {
      // 20 signatures: DER integers of 31, 32 and 33 bytes (leading zero) all occur.
      const jws = await signer.sign({ ...claims, jti: `j${i}` }, { kid: 'k1' });
      expect(Buffer.from(jws.split('.')[2]!, 'base64url')).to.have.length(64);
      const { protectedHeader } = await compactVerify(jws, ec.publicKey);
      expect(protectedHeader).to.deep.equal({ kid: 'k1', alg: 'ES256' });
    }
  });

  it('AWS KMS PS256 (RSASSA_PSS_SHA_256: salt 32 bytes) verifies as PS256', async () => {
    const signer = awsKmsSigner(awsKmsSignStandIn({ 'alias/rsa': rsa.privateKey }), 'alias/rsa', 'PS256', 'k2');
    await compactVerify(await signer.sign(claims, { kid: 'k2' }), rsa.publicKey, { algorithms: ['PS256'] });
  });

  it('Azure Key Vault ES256 and PS256 through signData verify', async () => {
    await compactVerify(await keyVaultSigner(keyVaultSignDataStandIn(ec.privateKey), 'ES256', 'k3').sign(claims, {}), ec.publicKey, { algorithms: ['ES256'] });
    await compactVerify(await keyVaultSigner(keyVaultSignDataStandIn(rsa.privateKey), 'PS256', 'k4').sign(claims, {}), rsa.publicKey, { algorithms: ['PS256'] });
  });

  it('a KMS signature made with the wrong key does not verify (the check above can fail)', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jws = await awsKmsSigner(awsKmsSignStandIn({ k: other.privateKey }), 'k', 'ES256', 'k').sign(claims, {});
    const error = await compactVerify(jws, ec.publicKey).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/signature verification failed/);
  });
});
