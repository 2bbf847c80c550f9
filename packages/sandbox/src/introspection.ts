import { request } from 'node:https';
import { OFP_CLIENT_IDS } from './ofpClients.js';

export interface IntrospectionTls {
  ca: string;
  cert: string;
  key: string;
}

/**
 * RFC 7662 introspection against the OFP, authenticated as the internal `ofp-introspector`
 * tls_client_auth client (the transport certificate). One connection per call, no keep-alive,
 * so nothing is left open.
 */
export function introspect(endpoint: string, tls: IntrospectionTls, accessToken: string): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ token: accessToken, client_id: OFP_CLIENT_IDS.introspector }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      endpoint,
      {
        method: 'POST',
        ...tls,
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
          accept: 'application/json',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new Error(`introspection answered HTTP ${String(res.statusCode)}: ${text}`));
            return;
          }
          try {
            resolve(JSON.parse(text) as Record<string, unknown>);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
