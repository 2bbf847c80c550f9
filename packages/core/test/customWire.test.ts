import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { IsString } from 'class-validator';
import { createFinauth } from '../src/createFinauth.js';
import { ProviderConfig } from '../src/config/ProviderConfig.js';
import { STRATEGY_FACTORY } from '../src/di/identifiers.js';
import { ResponseFormatError, TokenEndpointError } from '../src/errors/index.js';
import type { HttpResponse } from '../src/http/HttpResponse.js';
import type { Strategy, StrategyFactory, TokenRequest } from '../src/strategy/Strategy.js';
import type { AccessToken } from '../src/token/AccessToken.js';
import { accessTokenFrom, parseJsonObject, type TokenResponseContext } from '../src/token/parseTokenResponse.js';
import { FakeClock } from './support/FakeClock.js';
import { rejection } from './support/harness.js';
import { ScriptedTransport, tokenReply } from './support/ScriptedTransport.js';

class WireConfig extends ProviderConfig {
  @IsString()
  tokenEndpoint!: string;
}

/**
 * A strategy that is not OAuth on the wire: a JSON body, a per-attempt signature in a custom
 * header, and a `{code, data}` answer read by its own reader.
 */
class JsonWireStrategy implements Strategy {
  readonly authMethod = 'json_wire';
  readonly identity: string[];
  signatures = 0;
  constructor(private readonly config: WireConfig) {
    this.identity = [config.tokenEndpoint];
  }
  prepareTokenRequest(request: TokenRequest): void {
    request.url = this.config.tokenEndpoint;
    request.payload = { contentType: 'application/json', text: JSON.stringify({ grantType: 'client_credentials' }) };
    const signature = `signature-of-attempt-${++this.signatures}`;
    request.headers['x-signature'] = signature;
    (request.credentials ??= []).push(signature);
  }
  readTokenResponse(response: HttpResponse, context: TokenResponseContext): AccessToken {
    const body = parseJsonObject(response.body) ?? {};
    const code = typeof body['code'] === 'string' ? body['code'] : 'none';
    if (code !== 'OK') {
      const message = typeof body['message'] === 'string' ? context.scrub?.(body['message']) : undefined;
      throw new TokenEndpointError(`Wire answered ${code}: ${message ?? ''}`, { status: response.status, error: code, retryable: code === 'BUSY' }, { providerId: context.providerId });
    }
    const data = (body['data'] ?? {}) as Record<string, unknown>;
    return accessTokenFrom({ accessToken: data['token'], tokenType: data['type'], expiresIn: data['ttl'], raw: body }, context, (problem) => new ResponseFormatError(`bad ${problem}`, { status: response.status }));
  }
}

function wireInstance(): { auth: ReturnType<typeof createFinauth>; transport: ScriptedTransport; clock: FakeClock } {
  const factory: StrategyFactory<WireConfig> = { kind: 'json_wire', configClass: WireConfig, create: (config) => new JsonWireStrategy(config) };
  const clock = new FakeClock();
  const transport = new ScriptedTransport();
  const auth = createFinauth({
    strategies: [new ContainerModule(({ bind }) => {
      bind(STRATEGY_FACTORY).toConstantValue(factory);
    })],
    providers: [{ id: 'wire', strategy: 'json_wire', tokenEndpoint: 'https://127.0.0.1:1/token', retry: { maxRetries: 2, maxDelayMs: 5000 } }],
    clock,
    transportFactory: transport.factory(),
  });
  return { auth, transport, clock };
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Strategy extension for a custom wire format', () => {
  it('sends the payload with its content type instead of the form', async () => {
    const { auth, transport } = wireInstance();
    transport.reply(json(200, { code: 'OK', data: { token: 't1', type: 'bearer', ttl: '900' } }));
    await auth.getToken('wire');
    const sent = transport.requests[0]!;
    expect(sent.body).to.equal('{"grantType":"client_credentials"}');
    expect(sent.headers['content-type']).to.equal('application/json');
    expect(sent.headers['accept']).to.equal('application/json');
    await auth.close();
  });

  it("reads the answer with the strategy's reader: token fields checked by core's rules, raw kept as received", async () => {
    const { auth, transport, clock } = wireInstance();
    transport.reply(json(200, { code: 'OK', data: { token: 't1', type: 'bearer', ttl: '900' }, extra: 1 }));
    const token = await auth.getToken('wire');
    expect(token.accessToken).to.equal('t1');
    expect(token.tokenType).to.equal('Bearer');
    expect(token.expiresAt?.getTime()).to.equal(clock.now() + 900_000);
    expect(token.raw).to.deep.equal({ code: 'OK', data: { token: 't1', type: 'bearer', ttl: '900' }, extra: 1 });
    await auth.close();
  });

  it("retries what the reader marks retryable, and fails at once on what it does not", async () => {
    const { auth, transport } = wireInstance();
    transport.reply(json(200, { code: 'BUSY' }), json(200, { code: 'OK', data: { token: 't2', type: 'Bearer', ttl: 60 } }));
    expect((await auth.getToken('wire')).accessToken).to.equal('t2');
    expect(transport.requests).to.have.length(2);
    transport.reply(json(401, { code: 'DENIED' }));
    const error = await rejection(auth.getToken('wire', { forceRefresh: true }));
    expect(TokenEndpointError.is(error) && error.error).to.equal('DENIED');
    expect(transport.requests).to.have.length(3);
    await auth.close();
  });

  it('maps a bad field to the error the reader chose', async () => {
    const { auth, transport } = wireInstance();
    transport.reply(json(200, { code: 'OK', data: { token: 't1', type: 'Bearer', ttl: '-5' } }));
    const error = await rejection(auth.getToken('wire'));
    expect(ResponseFormatError.is(error) && error.message).to.equal('bad expiresIn');
    await auth.close();
  });

  it("scrubs the attempt's declared credentials from errors and server text", async () => {
    const { auth, transport } = wireInstance();
    transport.fallback = (req) => json(401, { code: 'DENIED', message: `bad signature ${req.headers['x-signature']}` });
    const error = await rejection(auth.getToken('wire'));
    expect(TokenEndpointError.is(error)).to.equal(true);
    const text = `${(error as Error).message} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    expect(text).to.not.contain('signature-of-attempt-');
    expect(text).to.contain('[REDACTED]');
    await auth.close();
  });

  it("never falls back to core's RFC 6749 reader when the strategy has its own", async () => {
    const { auth, transport } = wireInstance();
    // Core's own reader would reject this body (no code): proof the strategy's reader ran above.
    transport.reply(tokenReply('plain'));
    expect(TokenEndpointError.is(await rejection(auth.getToken('wire')))).to.equal(true);
    await auth.close();
  });
});
