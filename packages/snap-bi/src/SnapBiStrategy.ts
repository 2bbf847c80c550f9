import { TransportError, type AccessToken, type HttpResponse, type Strategy, type TokenCallContext, type TokenRequest, type TokenResponseContext } from '@finauth/core';
import { readSnapTokenResponse } from './readSnapTokenResponse.js';
import type { SnapSigner } from './SnapSigner.js';
import { snapTimestamp, type TimestampPrecision } from './snapTimestamp.js';
import { accessTokenStringToSign } from './stringToSign.js';

/** What the strategy needs, already validated and resolved (see snapBiFactory). */
export interface SnapClient {
  readonly tokenEndpoint: string;
  readonly clientKey: string;
  readonly sign: SnapSigner;
  /** `private_key` or the signer's name: part of the cache identity and shown by doctor. */
  readonly signerLabel: string;
  readonly timestampOffset: string;
  readonly timestampPrecision: TimestampPrecision;
  /** Extra headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

/** SNAP's access-token body: always this grant (B2B; B2B2C uses a different endpoint). */
const BODY = JSON.stringify({ grantType: 'client_credentials' });
const utf8 = new TextEncoder();

/**
 * SNAP BI B2B access token: `POST …/access-token/b2b` with a JSON body and three headers —
 * `X-CLIENT-KEY`, `X-TIMESTAMP`, and `X-SIGNATURE` = base64(SHA256withRSA(clientKey|timestamp)).
 * Core calls `prepareTokenRequest` for every attempt, so every retry carries a fresh timestamp
 * and signature (a server rejects a timestamp outside its window).
 */
export class SnapBiStrategy implements Strategy {
  readonly authMethod = 'snap_bi_asymmetric_signature';
  readonly identity: readonly string[];
  readonly secrets: readonly string[];
  readonly #client: SnapClient;

  constructor(client: SnapClient) {
    this.#client = client;
    this.identity = Object.freeze([client.tokenEndpoint, client.clientKey, client.signerLabel]);
    this.secrets = client.secrets;
    Object.defineProperty(this, 'secrets', { enumerable: false });
  }

  async prepareTokenRequest(request: TokenRequest, context: TokenCallContext): Promise<void> {
    const client = this.#client;
    const timestamp = snapTimestamp(context.clock.now(), client.timestampOffset, client.timestampPrecision);
    const signature = await this.signature(accessTokenStringToSign(client.clientKey, timestamp), context);
    request.url = client.tokenEndpoint;
    request.payload = { contentType: 'application/json', text: BODY };
    Object.assign(request.headers, client.headers);
    request.headers['x-client-key'] = client.clientKey;
    request.headers['x-timestamp'] = timestamp;
    request.headers['x-signature'] = signature;
    // Not a secret, but proof of the key for this instant: scrubbed from errors like an assertion.
    (request.credentials ??= []).push(signature);
  }

  readTokenResponse(response: HttpResponse, context: TokenResponseContext): AccessToken {
    return readSnapTokenResponse(response, context);
  }

  private async signature(stringToSign: string, context: TokenCallContext): Promise<string> {
    let signed: Uint8Array;
    try {
      signed = await this.#client.sign(utf8.encode(stringToSign));
    } catch (error) {
      // The signer's own error may describe the key or the HSM session: only its name goes out.
      const name = error instanceof Error ? error.name : 'unknown error';
      throw new TransportError(`The SNAP BI signer (${this.#client.signerLabel}) failed (${name})`, { reason: 'network' }, { providerId: context.providerId });
    }
    if (!(signed instanceof Uint8Array) || signed.length === 0) {
      throw new TransportError(`The SNAP BI signer (${this.#client.signerLabel}) returned no signature bytes`, { reason: 'protocol' }, { providerId: context.providerId });
    }
    return Buffer.from(signed.buffer, signed.byteOffset, signed.byteLength).toString('base64');
  }
}
