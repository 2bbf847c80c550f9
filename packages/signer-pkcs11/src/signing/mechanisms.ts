import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { Pkcs11Alg } from './algorithms.js';
import { CKM_EDDSA } from './keyProfile.js';

type Mechanism = { mechanism: number; parameter?: { type: number; hashAlg: number; mgf: number; saltLen: number } };

/** How one algorithm is asked of the token: the mechanism, what bytes go in, how long the signature is. */
export interface SignRecipe {
  readonly mechanism: Mechanism;
  /** The JWS signing input becomes this (a SHA-256 digest when the token signs a prehashed value). */
  prepare(signingInput: Buffer): Buffer;
  readonly signatureLength: number;
  /** For doctor and errors: "CKM_RSA_PKCS_PSS over SHA-256". */
  readonly description: string;
}

const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();
const whole = (data: Buffer): Buffer => data;

/** RFC 7518 §3.5: SHA-256, MGF1 with SHA-256, a salt as long as the hash (32 bytes). */
const PSS_SHA256 = { type: pkcs11js.CK_PARAMS_RSA_PSS, hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256, saltLen: 32 };

/**
 * The mechanism for `alg` among those the token offers. A digest computed here and signed there
 * (CKM_RSA_PKCS_PSS, CKM_ECDSA) sends 32 bytes to a network HSM instead of the whole input; the
 * hashing mechanisms are the fallback for tokens that only offer those.
 * @see PKCS#11 v2.40 current mechanisms §2.1.10-2.1.11 (PSS), §2.3.6 (ECDSA: r || s), v3.0 §2.3.14 (EdDSA)
 */
export function signRecipe(alg: Pkcs11Alg, offered: ReadonlySet<number>, modulusBytes: number): SignRecipe | { problem: string } {
  switch (alg) {
    case 'PS256':
      if (offered.has(pkcs11js.CKM_RSA_PKCS_PSS)) return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter: PSS_SHA256 }, prepare: sha256, signatureLength: modulusBytes, description: 'CKM_RSA_PKCS_PSS over a SHA-256 digest (MGF1-SHA256, 32-byte salt)' };
      if (offered.has(pkcs11js.CKM_SHA256_RSA_PKCS_PSS)) return { mechanism: { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS_PSS, parameter: PSS_SHA256 }, prepare: whole, signatureLength: modulusBytes, description: 'CKM_SHA256_RSA_PKCS_PSS (MGF1-SHA256, 32-byte salt)' };
      return { problem: 'the token offers neither CKM_RSA_PKCS_PSS nor CKM_SHA256_RSA_PKCS_PSS, which PS256 needs' };
    case 'ES256':
      if (offered.has(pkcs11js.CKM_ECDSA)) return { mechanism: { mechanism: pkcs11js.CKM_ECDSA }, prepare: sha256, signatureLength: 64, description: 'CKM_ECDSA over a SHA-256 digest' };
      if (offered.has(pkcs11js.CKM_ECDSA_SHA256)) return { mechanism: { mechanism: pkcs11js.CKM_ECDSA_SHA256 }, prepare: whole, signatureLength: 64, description: 'CKM_ECDSA_SHA256' };
      return { problem: 'the token offers neither CKM_ECDSA nor CKM_ECDSA_SHA256, which ES256 needs' };
    case 'EdDSA':
      // Ed25519 hashes internally: the whole input goes to the token (RFC 8032 §5.1.6).
      if (offered.has(CKM_EDDSA)) return { mechanism: { mechanism: CKM_EDDSA }, prepare: whole, signatureLength: 64, description: 'CKM_EDDSA (Ed25519)' };
      return { problem: 'the token does not offer CKM_EDDSA, which EdDSA needs (SoftHSM >= 2.6 built with EdDSA, or a PKCS#11 v3.0 module)' };
  }
}
