import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A PEM string (or a reference to one) or a JWK object: which of the two is checked at creation. */
export function IsKeyMaterial(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isKeyMaterial',
      validator: {
        validate: (value: unknown) => (typeof value === 'string' && value.length > 0) || (typeof value === 'object' && value !== null && !Array.isArray(value)),
        defaultMessage: () => 'signingKey must be a PKCS#8 PEM string, an env:/file: reference, or a JWK object',
      },
    },
    options,
  );
}

/** An object with a `sign` function and an `alg` (a KMS or HSM adapter): programmatic config only. */
export function IsSigner(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSigner',
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && typeof (value as { sign?: unknown }).sign === 'function' && typeof (value as { alg?: unknown }).alg === 'string',
        defaultMessage: () => 'signer must be an object with an alg and a sign(payload, header) function',
      },
    },
    options,
  );
}
