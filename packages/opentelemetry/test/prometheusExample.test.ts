import { get } from 'node:http';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { startWithPrometheus } from '../examples/prometheus.js';
import { gatewayProvider } from './support/providers.js';

function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text));
    }).on('error', reject);
  });
}

describe('the Prometheus example of the observability guide', () => {
  let sb: Sandbox;
  before(async function () {
    this.timeout(60_000);
    sb = await startSandbox();
  });
  after(async () => {
    await sb?.stop();
  });

  it('serves finauth metrics in the Prometheus text format', async () => {
    const app = await startWithPrometheus({ strategies: [clientSecretBasic()], providers: [gatewayProvider(sb)] });
    try {
      await app.auth.getToken('bnp');
      await app.auth.getToken('bnp');
      const text = await scrape(app.metricsUrl);
      // OpenTelemetry's Prometheus naming: dots become underscores, counters end in _total.
      expect(text).to.match(/finauth_token_requests_total\{[^}]*finauth_provider_id="bnp"[^}]*finauth_outcome="success"[^}]*\} 1/);
      expect(text).to.match(/finauth_token_cache_lookups_total\{[^}]*finauth_cache_result="hit"[^}]*\} 1/);
      expect(text).to.match(/finauth_token_acquisition_duration_count\{[^}]*finauth_provider_id="bnp"[^}]*\} 1/);
      expect(text).to.match(/finauth_token_time_to_expiry\{[^}]*finauth_provider_id="bnp"[^}]*\} \d+/);
      expect(text).to.not.include(sb.gateway.clientSecret);
    } finally {
      await app.stop();
    }
  });
});
