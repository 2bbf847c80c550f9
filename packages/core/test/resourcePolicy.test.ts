import { expect } from 'chai';
import { TransportError } from '../src/errors/index.js';
import { httpsOriginProblems, ResourcePolicy } from '../src/http/resourcePolicy.js';

describe('ResourcePolicy (where http() may send a token)', () => {
  const reasonOf = (policy: ResourcePolicy, url: string, extra: object = {}): string | undefined => {
    try {
      policy.check({ url, ...extra });
      return undefined;
    } catch (error) {
      expect(TransportError.is(error)).to.equal(true);
      return (error as TransportError).reason;
    }
  };

  describe('without resourceOrigins', () => {
    const policy = new ResourcePolicy('p', undefined);
    it('allows any https URL', () => {
      expect(reasonOf(policy, 'https://api.bank.example/v1/accounts?x=1')).to.equal(undefined);
      expect(policy.origins).to.equal(undefined);
    });
    for (const url of ['http://api.bank.example/x', 'HTTP://api.bank.example/x', 'ws://api.bank.example/', 'file:///etc/passwd', '/relative', '//api.bank.example/x', '', 'https://user:pw@api.bank.example/', 'https://user@api.bank.example/']) {
      it(`refuses ${JSON.stringify(url)} (reason protocol)`, () => expect(reasonOf(policy, url)).to.equal('protocol'));
    }
    it('refuses axios options that send elsewhere: maxRedirects above 0, a proxy, a socketPath', () => {
      expect(reasonOf(policy, 'https://a.example/', { maxRedirects: 1 })).to.equal('protocol');
      expect(reasonOf(policy, 'https://a.example/', { proxy: { host: 'p', port: 1 } })).to.equal('protocol');
      expect(reasonOf(policy, 'https://a.example/', { socketPath: '/tmp/s' })).to.equal('protocol');
      expect(reasonOf(policy, 'https://a.example/', { maxRedirects: 0, proxy: false, socketPath: undefined })).to.equal(undefined);
    });
    it('never puts user info, query or fragment in the message', () => {
      try {
        policy.check({ url: 'http://Canary-User:Canary-Pass@a.example/p?token=Canary-Q#Canary-F' });
        expect.fail('should refuse');
      } catch (error) {
        expect((error as Error).message).to.equal("Refusing to send p's token to http://a.example/p: only https URLs receive a token; nothing was sent");
      }
    });
  });

  describe('with resourceOrigins', () => {
    const policy = new ResourcePolicy('p', ['https://API.Bank.example:443/', 'https://127.0.0.1:8443']);
    it('normalises the origins (case, default port, trailing slash)', () => {
      expect(policy.origins).to.deep.equal(['https://api.bank.example', 'https://127.0.0.1:8443']);
    });
    it('allows any path on a listed origin, however it is spelled', () => {
      expect(reasonOf(policy, 'https://api.bank.example/v1/x')).to.equal(undefined);
      expect(reasonOf(policy, 'https://API.BANK.EXAMPLE:443/v1/x')).to.equal(undefined);
      expect(reasonOf(policy, 'https://127.0.0.1:8443/')).to.equal(undefined);
    });
    for (const url of ['https://api.bank.example.evil.example/', 'https://evil.example/api.bank.example', 'https://127.0.0.1:8444/', 'https://127.0.0.1/', 'https://sub.api.bank.example/']) {
      it(`refuses ${url} (reason origin)`, () => expect(reasonOf(policy, url)).to.equal('origin'));
    }
    it('checks the protocol before the origin', () => expect(reasonOf(policy, 'http://api.bank.example/')).to.equal('protocol'));
  });

  describe('httpsOriginProblems (config validation)', () => {
    for (const ok of ['https://a.example', 'https://a.example/', 'https://a.example:8443', 'https://[::1]:8443', 'https://127.0.0.1']) {
      it(`accepts ${ok}`, () => expect(httpsOriginProblems(ok)).to.deep.equal([]));
    }
    for (const [bad, problem] of [
      ['http://a.example', 'must use https'],
      ['https://a.example/.', 'must not have a path'],
      ['https://a.example//', 'must not have a path'],
      ['https://a.example/?', 'must not have a query'],
      ['https://a.example/#', 'must not have a fragment'],
      ['https://u@a.example', 'must not carry user info'],
      ['a.example', 'is not a URL'],
    ] as const) {
      it(`refuses ${bad}: ${problem}`, () => expect(httpsOriginProblems(bad).join('; ')).to.include(problem));
    }
  });
});
