import { ProviderConfig } from '@finauth/core';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, MaxLength, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { DpopField, type DpopConfig } from '@finauth/client-auth';
import { PROFILE_NAMES } from '../profiles/index.js';
import { Oauth2ClientAuthConfig } from './Oauth2ClientAuthConfig.js';

const HTTPS_URL = { protocols: ['https'], require_protocol: true, require_tld: false, allow_fragments: false, disallow_auth: true, allow_underscores: true };

/** Parameter names core or the client authentication set: `extraParams` may not replace them. */
export const RESERVED_PARAMS = ['grant_type', 'scope', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'resource'];

/** A flat object of string values (form parameters). */
function IsStringRecord(): PropertyDecorator {
  return ValidateBy({
    name: 'isStringRecord',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null && !Array.isArray(value) && Object.entries(value).every(([k, v]) => k.length > 0 && typeof v === 'string' && !RESERVED_PARAMS.includes(k)),
      defaultMessage: () => `extraParams must map parameter names to strings, and may not set ${RESERVED_PARAMS.join(', ')} (use scope, resource and clientAuth)`,
    },
  });
}

/** A string or a non-empty array of strings, each an absolute URI (RFC 8707 §2). */
function IsResource(): PropertyDecorator {
  return ValidateBy({
    name: 'isResource',
    validator: {
      validate: (value: unknown) => {
        const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
        return list.length > 0 && list.every((v) => typeof v === 'string' && /^[a-z][a-z0-9+.-]*:[^#]+$/i.test(v));
      },
      defaultMessage: () => 'resource must be an absolute URI without a fragment, or an array of them (RFC 8707 §2)',
    },
  });
}

/**
 * A provider on any OAuth 2.0 / OpenID authorization server that is not FAPI-strict (DESIGN.md §5).
 * `scope`, `tls`, `timeoutMs` and `retry` come from ProviderConfig.
 */
export class Oauth2Config extends ProviderConfig {
  /** The issuer identifier: the token endpoint is discovered from it (RFC 8414 / OIDC Discovery) unless `tokenEndpoint` is given. */
  @ValidateIf((o: Oauth2Config) => o.issuer !== undefined || o.tokenEndpoint === undefined)
  @IsString({ message: 'issuer or tokenEndpoint is required' })
  @IsUrl(HTTPS_URL, { message: 'issuer must be an https URL without fragment or user info (RFC 8414 §2)' })
  issuer?: string;

  /** Where token requests go, when the server publishes no metadata (or to skip discovery). */
  @IsOptional() @IsString() @IsUrl(HTTPS_URL, { message: 'tokenEndpoint must be an https URL without fragment or user info' })
  tokenEndpoint?: string;

  @IsString() @IsNotEmpty() @MaxLength(255)
  clientId!: string;

  @IsDefined({ message: 'clientAuth is required: { "method": "client_secret_basic", "clientSecret": "env:..." } or another method' })
  @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => Oauth2ClientAuthConfig)
  clientAuth!: Oauth2ClientAuthConfig;

  /** A provider family's rules (docs/guides/oauth2.md): entra, okta, auth0, ob-uk, cdr-au, obb-br, paynet-ofp. */
  @IsOptional() @IsString() @IsIn([...PROFILE_NAMES], { message: `profile must be one of: ${PROFILE_NAMES.join(', ')}` })
  profile?: string;

  /** Extra form parameters on every token request (Auth0's `audience`, a gateway's own). */
  @IsOptional() @IsStringRecord()
  extraParams?: Record<string, string>;

  /** RFC 8707 resource indicator(s): one `resource` parameter each. */
  @IsOptional() @IsResource()
  resource?: string | string[];

  /** Send an `x-fapi-interaction-id` on every token request (default: the profile's choice). */
  @IsOptional() @IsBoolean()
  interactionId?: boolean;

  /** Sender-constrained tokens (RFC 9449): `true` (a generated ES256 key) or `{ "alg", "key" }` / `{ "signer" }`. */
  @DpopField()
  dpop?: boolean | DpopConfig;
}
