import { expect } from 'chai';
import { resolveProxy } from '../src/http/proxy/resolveProxy.js';

describe('egress proxy setting (resolveProxy, ProxyEndpoint)', () => {
  const PASSWORD = 'p@ss word-1';
  const url = `http://svc-user:${encodeURIComponent(PASSWORD)}@proxy.internal:3128`;

  it('names the proxy without its user info, and hands the redactor its password in both spellings', () => {
    const { proxy, issues } = resolveProxy({ proxy: url });
    expect(issues).to.deep.equal([]);
    expect(proxy!.display).to.equal('http://proxy.internal:3128');
    expect(JSON.stringify(proxy)).to.equal('{"proxy":"http://proxy.internal:3128","authenticates":true}');
    const basic = Buffer.from(`svc-user:${PASSWORD}`, 'utf8').toString('base64');
    expect(proxy!.secretValues()).to.deep.equal([PASSWORD, encodeURIComponent(PASSWORD), basic]);
    expect(proxy!.connectRequest('bank.example', 443)).to.equal(`CONNECT bank.example:443 HTTP/1.1\r\nHost: bank.example:443\r\nProxy-Authorization: Basic ${basic}\r\n\r\n`);
  });

  it('has nothing to mask without credentials, and sends none', () => {
    const { proxy } = resolveProxy({ proxy: 'http://proxy.internal:3128' });
    expect(proxy!.secretValues()).to.deep.equal([]);
    expect(proxy!.authenticates).to.equal(false);
    expect(proxy!.connectRequest('bank.example', 443)).to.not.include('Proxy-Authorization');
  });

  it('reports a bad proxy URL by its field, never printing the URL', () => {
    for (const bad of [`https://u:${PASSWORD}@egress.corp:3128`, `http://u:${PASSWORD}@egress.corp`, `http://u:${PASSWORD}@egress.corp:3128/path`]) {
      const { proxy, issues } = resolveProxy({ proxy: bad });
      expect(proxy).to.equal(undefined);
      expect(issues).to.have.length(1);
      expect(issues[0]!.path).to.equal('proxy');
      expect(JSON.stringify(issues)).to.not.include(PASSWORD).and.not.include('egress.corp');
    }
  });

  it('"env" follows HTTPS_PROXY and NO_PROXY as given; "direct" and no setting mean no proxy', () => {
    const { proxy } = resolveProxy({ proxy: 'env' }, { HTTPS_PROXY: url, NO_PROXY: '.internal.bank,localhost' });
    expect(proxy!.display).to.equal('http://proxy.internal:3128');
    expect(proxy!.bypasses('api.internal.bank', 443)).to.equal(true);
    expect(proxy!.bypasses('api.bank.example', 443)).to.equal(false);
    expect(resolveProxy({ proxy: 'env' }, {}).proxy).to.equal(undefined);
    expect(resolveProxy({ proxy: 'direct' }).proxy).to.equal(undefined);
    expect(resolveProxy({}).proxy).to.equal(undefined);
    expect(resolveProxy({ proxyAuth: { username: 'u' } }).issues).to.deep.equal([{ path: 'proxyAuth', message: 'is given without a proxy' }]);
  });
});
