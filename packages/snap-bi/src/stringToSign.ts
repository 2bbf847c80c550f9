/**
 * What the access-token signature covers: `clientId + "|" + X-TIMESTAMP`, signed with
 * SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256) and sent base64-encoded in `X-SIGNATURE`.
 * Transaction calls use a different string (method, path, token, body hash); this is only the
 * B2B access token's.
 * @see docs/guides/snap-bi.md (asymmetric signature for the access token)
 */
export function accessTokenStringToSign(clientKey: string, timestamp: string): string {
  return `${clientKey}|${timestamp}`;
}
