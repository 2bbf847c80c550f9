import { Agent } from 'node:https';
import type { HttpResponse } from '../../src/http/HttpResponse.js';
import type { HttpRequest, Transport, TransportFactory, TransportOptions } from '../../src/http/Transport.js';

export type Reply = HttpResponse | Error | ((request: HttpRequest) => HttpResponse | Error | Promise<HttpResponse | Error>);

/** A Transport that answers from a script: the unit under test is the pipeline above it. */
export class ScriptedTransport implements Transport {
  readonly agent = new Agent({ keepAlive: false });
  readonly timeoutMs = 1000;
  readonly requests: HttpRequest[] = [];
  readonly created: TransportOptions[] = [];
  closed = false;
  private readonly script: Reply[] = [];
  fallback: Reply | undefined;

  reply(...replies: Reply[]): this {
    this.script.push(...replies);
    return this;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    const next = this.script.shift() ?? this.fallback;
    if (!next) throw new Error('ScriptedTransport: no reply scripted');
    const answer = typeof next === 'function' ? await next(request) : next;
    if (answer instanceof Error) throw answer;
    return answer;
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  factory(): TransportFactory {
    return {
      create: (options) => {
        this.created.push(options);
        return this;
      },
    };
  }
}

export const tokenReply = (token = 'tok', expiresIn: number | string | null = 3600, extra: Record<string, unknown> = {}): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ access_token: token, token_type: 'Bearer', ...(expiresIn === null ? {} : { expires_in: expiresIn }), ...extra }),
});

export const errorReply = (status: number, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
