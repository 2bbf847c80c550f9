import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/**
 * Optional FAPI headers sent with every token request of a provider (the OFP token endpoint OpenAPI description). Values are checked
 * again, more strictly, when the strategy is created (see headers/fapiHeaders.ts).
 */
export class FapiHeadersConfig {
  /** When the customer last logged in: `Sun, 10 Sep 2017 19:43:31 GMT` (RFC 7231 IMF-fixdate). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(64)
  authDate?: string;

  /** The customer's IPv4 or IPv6 address, when the customer is present. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(64)
  customerIpAddress?: string;

  /** The customer's user agent, when the customer is present. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(1024)
  customerUserAgent?: string;
}
