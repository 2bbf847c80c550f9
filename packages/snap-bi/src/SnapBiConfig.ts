import { ProviderConfig, SecretRef } from '@finauth/core';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, Matches, ValidateBy } from 'class-validator';
import { OFFSET_PATTERN, type TimestampPrecision } from './snapTimestamp.js';

/** An HTTP header field name (RFC 9110 §5.1 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII and spaces/tabs inside (RFC 9110 §5.5): no CR/LF, so no header injection. */
const HEADER_VALUE = /^[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?$/;

/** `headers` is an object of header names to string values, both sendable. */
function HeaderMap(): PropertyDecorator {
  return ValidateBy({
    name: 'headerMap',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null && !Array.isArray(value) &&
        Object.entries(value).every(([name, v]) => HEADER_NAME.test(name) && typeof v === 'string' && HEADER_VALUE.test(v)),
      defaultMessage: () => 'must map header names to visible-ASCII string values (no line breaks)',
    },
  });
}

/**
 * A provider reached with SNAP BI's B2B access token (Bank Indonesia's Standar Nasional Open API
 * Pembayaran). `tls` (`ca`, and `cert`/`key` if a bank also wants mutual TLS), `timeoutMs` and
 * `retry` come from ProviderConfig; `scope` has no meaning here (SNAP's request has none).
 */
export class SnapBiConfig extends ProviderConfig {
  /** The full URL of the access-token API, e.g. `https://api.bank.example/snap/v1.0/access-token/b2b` (path prefixes vary by bank). */
  @IsString()
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false, allow_fragments: false, disallow_auth: true, allow_underscores: true },
    { message: 'must be an https URL without a fragment or user info' },
  )
  tokenEndpoint!: string;

  /** `X-CLIENT-KEY`: the client id the bank gave at onboarding. */
  @IsString() @IsNotEmpty() @Matches(/^[\x21-\x7e]+$/, { message: 'must be visible ASCII without spaces (it goes in a header)' })
  clientKey!: string;

  /** The RSA private key (PKCS#8 or PKCS#1 PEM), or an `env:` / `file:` reference to it. One of `privateKey` and `signer`. */
  @IsOptional() @IsString() @IsNotEmpty() @SecretRef()
  privateKey?: string;

  /** For an encrypted PEM. */
  @IsOptional() @IsString() @IsNotEmpty() @SecretRef()
  privateKeyPassphrase?: string;

  /** The name of a signer given to `snapBi({ signers })` (an HSM or a KMS). One of `privateKey` and `signer`. */
  @IsOptional() @IsString() @IsNotEmpty()
  signer?: string;

  /** The offset `X-TIMESTAMP` is written in, `±HH:MM`; default `+07:00` (WIB). */
  @IsOptional() @IsString() @Matches(OFFSET_PATTERN, { message: 'must be a UTC offset ±HH:MM, e.g. +07:00' })
  timestampOffset?: string;

  /** `seconds` (default, `…T17:10:15+07:00`) or `milliseconds` (`…T17:10:15.123+07:00`) for banks that document it. */
  @IsOptional() @IsIn(['seconds', 'milliseconds'], { message: 'must be one of: seconds, milliseconds' })
  timestampPrecision?: TimestampPrecision;

  /** Extra headers on the token request (e.g. `X-PARTNER-ID`, `CHANNEL-ID`); they cannot replace the signed ones. */
  @IsOptional() @IsObject({ message: 'must be an object' }) @HeaderMap()
  headers?: Record<string, string>;
}
