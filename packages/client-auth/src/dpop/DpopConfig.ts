import { SecretRef } from '@finauth/core';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateBy, ValidateNested } from 'class-validator';
import type { Signer } from '../signing/Signer.js';

/** Algorithms of DPoP proofs (RFC 9449 §5; FAPI 2.0's asymmetric list). ES256 is what servers support most. */
export const DPOP_ALGS = ['ES256', 'PS256', 'EdDSA'] as const;
export type DpopAlg = (typeof DPOP_ALGS)[number];

/**
 * A provider's DPoP key (RFC 9449): `dpop: true` generates an ES256 key in memory when the
 * provider is created (never written anywhere); this object names a configured key, or a signer
 * (a KMS or HSM) that signs the proofs.
 */
export class DpopConfig {
  @IsOptional() @IsIn([...DPOP_ALGS], { message: `alg must be one of: ${DPOP_ALGS.join(', ')}` })
  alg?: DpopAlg;

  /** A PKCS#8 PEM, a private JWK, or an env:/file: reference to either. */
  @IsOptional()
  @ValidateBy({ name: 'isDpopKey', validator: { validate: (v: unknown) => (typeof v === 'string' && v.length > 0) || (typeof v === 'object' && v !== null && !Array.isArray(v)), defaultMessage: () => 'key must be a PKCS#8 PEM, a JWK object, or an env:/file: reference' } })
  @SecretRef()
  key?: string | Record<string, unknown>;

  /** Programmatic config only: an object with `alg`, `sign(payload, header)` and `publicJwk()`. */
  @IsOptional()
  @ValidateBy({ name: 'isDpopSigner', validator: { validate: (v: unknown) => typeof (v as { sign?: unknown } | null)?.sign === 'function' && typeof (v as { publicJwk?: unknown }).publicJwk === 'function', defaultMessage: () => 'signer must have sign(payload, header) and publicJwk()' } })
  @Transform(({ obj }) => (obj as Record<string, unknown>)['signer'], { toClassOnly: true })
  signer?: Signer;
}

/**
 * The decorators of a strategy config's `dpop` field: `true` (read as `{}`: a generated key),
 * `false` (off), or a {@link DpopConfig} object, validated as a nested config so that its `key`
 * reference is resolved like any secret.
 */
export function DpopField(): PropertyDecorator {
  const decorators: PropertyDecorator[] = [
    Transform(({ value }) => (value === true ? new DpopConfig() : value === false ? undefined : value !== null && typeof value === 'object' && !Array.isArray(value) ? plainToInstance(DpopConfig, value) : value), { toClassOnly: true }),
    IsOptional(),
    IsObject({ message: 'dpop must be true, false, or { "alg": "ES256" | "PS256" | "EdDSA", "key": <PEM, JWK or env:/file: reference> }' }),
    ValidateNested(),
  ];
  return (target, property) => {
    for (const d of decorators) d(target, property);
  };
}
