import { ProviderConfig } from '@finauth/core';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, MaxLength, ValidateNested } from 'class-validator';
import { DpopField, type DpopConfig } from '@finauth/client-auth';
import { ClientAuthConfig } from './ClientAuthConfig.js';
import { FapiHeadersConfig } from './FapiHeadersConfig.js';

const HTTPS_URL = { protocols: ['https'], require_protocol: true, require_tld: false, allow_fragments: false, allow_query_components: false, disallow_auth: true, allow_underscores: true };

/**
 * A FAPI 2.0 provider such as Open Finance Malaysia's OFP (the OFM developer portal, Section 4, and the OFP token endpoint OpenAPI description).
 * `scope`, `tls` (required here: cert and key), `timeoutMs` and `retry` come from ProviderConfig.
 */
export class Fapi2Config extends ProviderConfig {
  /**
   * The authorization server's issuer identifier: https, no query, no fragment. The discovery
   * document must name exactly this issuer.
   * @see RFC 8414 §2 and §3.3
   */
  @IsString() @IsUrl(HTTPS_URL, { message: 'issuer must be an https URL without query, fragment or user info (RFC 8414 §2)' })
  issuer!: string;

  /** The client id PayNet issued at registration. @see RFC 6749 §2.2 */
  @IsString() @IsNotEmpty() @MaxLength(255)
  clientId!: string;

  @IsDefined({ message: 'clientAuth is required: { "method": "private_key_jwt", ... } or { "method": "tls_client_auth" }' })
  @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => ClientAuthConfig)
  clientAuth!: ClientAuthConfig;

  /** Skips discovery. The OFM developer portal (Section 4) says the token endpoint comes from the well-known document: use only when the bank has none. */
  @IsOptional() @IsString() @IsUrl(HTTPS_URL, { message: 'tokenEndpoint must be an https URL without query, fragment or user info' })
  tokenEndpoint?: string;

  /** Optional FAPI headers for every token request (the OFP token endpoint OpenAPI description); per-call values override them. */
  @IsOptional() @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => FapiHeadersConfig)
  fapiHeaders?: FapiHeadersConfig;

  /**
   * Sender-constrained tokens with DPoP (RFC 9449) instead of, or besides, the certificate:
   * `true` (an ES256 key generated in memory), or `{ "alg", "key" }` / `{ "signer" }`.
   * @see FAPI 2.0 Security Profile §5.3.2.2
   */
  @DpopField()
  dpop?: boolean | DpopConfig;
}
