import { get } from 'node:http';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { expect } from 'chai';
import { gatewayProvider, QUICK_RETRY, sandboxSuite } from '@finauth-test/support';
import { startWithPrometheus } from '../examples/prometheus.js';

function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text));
    }).on('error', reject);
  });
}

describe('the Prometheus example of the observability guide', () => {
  const suite = sandboxSuite();

  it('serves finauth metrics in the Prometheus text format', async () => {
    const app = await startWithPrometheus({ strategies: [clientSecretBasic()], providers: [gatewayProvider(suite.sandbox, { retry: { ...QUICK_RETRY, baseDelayMs: 10 } })] });
    try {
      await app.auth.getToken('bnp');
      await app.auth.getToken('bnp');
      const text = await scrape(app.metricsUrl);
      // OpenTelemetry's Prometheus naming: dots become underscores, counters end in _total.
      expect(text).to.match(/finauth_token_requests_total\{[^}]*finauth_provider_id="bnp"[^}]*finauth_outcome="success"[^}]*\} 1/);
      expect(text).to.match(/finauth_token_cache_lookups_total\{[^}]*finauth_cache_result="hit"[^}]*\} 1/);
      expect(text).to.match(/finauth_token_acquisition_duration_count\{[^}]*finauth_provider_id="bnp"[^}]*\} 1/);
      expect(text).to.match(/finauth_token_time_to_expiry\{[^}]*finauth_provider_id="bnp"[^}]*\} \d+/);
      expect(text).to.not.include(suite.sandbox.gateway.clientSecret);
    } finally {
      await app.stop();
    }
  });
});
