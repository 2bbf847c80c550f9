import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/**
 * The status a protected resource answers for `accessToken`, over a fresh connection trusting `caFile`
 * only: proves a token is one the server issued, independently of finauth's own client.
 */
export function bearerStatus(url: string, accessToken: string, caFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${accessToken}` }, ca: readFileSync(caFile), agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
