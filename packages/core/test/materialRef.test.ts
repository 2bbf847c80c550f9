import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { IsString } from 'class-validator';
import { ContainerModule } from 'inversify';
import { ProviderConfig } from '../src/config/ProviderConfig.js';
import { MaterialRef, SecretRef } from '../src/config/SecretRef.js';
import { createFinauth } from '../src/createFinauth.js';
import { STRATEGY_FACTORY } from '../src/di/identifiers.js';
import { TokenEndpointError } from '../src/errors/index.js';
import type { Strategy, StrategyFactory, TokenRequest } from '../src/strategy/Strategy.js';
import { errorReply, ScriptedTransport } from './support/ScriptedTransport.js';

class CertBankConfig extends ProviderConfig {
  @IsString()
  tokenEndpoint!: string;

  /** Public: sent to the bank in a header, may be quoted back. */
  @IsString() @MaterialRef()
  certificate!: string;

  @IsString() @SecretRef()
  apiKey!: string;
}

/** A strategy that lists no `secrets` of its own: what is masked comes from the decorators alone. */
class CertBank implements Strategy {
  readonly authMethod = 'cert_bank';
  readonly identity: readonly string[];
  constructor(readonly config: CertBankConfig) {
    this.identity = [config.tokenEndpoint];
  }
  prepareTokenRequest(request: TokenRequest): void {
    request.url = this.config.tokenEndpoint;
    request.body.set('api_key', this.config.apiKey);
  }
}

describe('reference decorators', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-material-'));
  const CERT = 'MIIB-public-certificate-text-for-the-test';
  const KEY = 'k3y-very-secret-value-42';
  writeFileSync(join(dir, 'cert.pem'), CERT);
  after(() => rmSync(dir, { recursive: true, force: true }));

  let seen: CertBank | undefined;
  const factory: StrategyFactory<CertBankConfig> = { kind: 'cert_bank', configClass: CertBankConfig, create: (c) => (seen = new CertBank(c)) };
  const module = () => new ContainerModule(({ bind }) => {
    bind(STRATEGY_FACTORY).toConstantValue(factory);
  });

  it('resolves a file: reference on a @MaterialRef field, and masks only the @SecretRef values in errors', async () => {
    process.env['FINAUTH_CERT_BANK_KEY'] = KEY;
    const transport = new ScriptedTransport().reply(errorReply(400, { error: 'invalid_client', error_description: `certificate ${CERT} is not registered for key ${KEY}` }));
    const auth = createFinauth({
      strategies: [module()],
      baseDir: dir,
      transportFactory: transport.factory(),
      providers: [{ id: 'cert-bank', strategy: 'cert_bank', tokenEndpoint: 'https://127.0.0.1:1/token', certificate: 'file:cert.pem', apiKey: 'env:FINAUTH_CERT_BANK_KEY' }],
    });
    try {
      expect(seen?.config.certificate, 'the file was read').to.equal(CERT);
      expect(seen?.config.apiKey).to.equal(KEY);
      const error = await auth.getToken('cert-bank').then(
        () => expect.fail('expected a TokenEndpointError'),
        (e: unknown) => e,
      );
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      expect(text, 'a declared secret is masked').to.not.include(KEY);
      expect(text, 'public material is not a secret: it is left as the bank wrote it').to.include(CERT);
    } finally {
      await auth.close();
      delete process.env['FINAUTH_CERT_BANK_KEY'];
    }
  });

  it('reports an unreadable @MaterialRef file by field, like a secret reference', () => {
    expect(() =>
      createFinauth({
        strategies: [module()],
        baseDir: dir,
        transportFactory: new ScriptedTransport().factory(),
        providers: [{ id: 'cert-bank', strategy: 'cert_bank', tokenEndpoint: 'https://127.0.0.1:1/token', certificate: 'file:nowhere.pem', apiKey: 'x' }],
      }),
    ).to.throw(/providers\[0\]\.certificate: cannot read file .*nowhere\.pem \(ENOENT\)/);
  });
});
