import type { HttpRequest, Transport } from '../http/Transport.js';
import type { Telemetry, TelemetryAttributes, TelemetryEvent, TelemetrySpan, TelemetrySpanOptions } from './Telemetry.js';

/**
 * Span plumbing for the token pipeline. Everything here runs only when the Telemetry has a
 * `startSpan`; a throwing adapter never breaks token acquisition.
 */

const noopSpan: TelemetrySpan = { setAttributes: () => undefined, addEvent: () => undefined, end: () => undefined };

export function startSpan(telemetry: Telemetry, name: string, options: TelemetrySpanOptions): TelemetrySpan {
  try {
    return telemetry.startSpan?.(name, options) ?? noopSpan;
  } catch {
    return noopSpan;
  }
}

/** Calls one span method, swallowing an adapter's throw. */
export function onSpan(span: TelemetrySpan, use: (span: TelemetrySpan) => void): void {
  try {
    use(span);
  } catch {
    // Telemetry must never break token acquisition.
  }
}

/**
 * OpenTelemetry HTTP client attributes of a request. The URL loses its query and fragment (a
 * query may carry a credential, STET-style) and its user info.
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client
 */
export function httpAttributes(method: string, url: string): TelemetryAttributes {
  try {
    const u = new URL(url);
    const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { 'http.request.method': method, 'url.full': `${u.protocol}//${u.host}${u.pathname}`, 'server.address': u.hostname, 'server.port': port };
  } catch {
    return { 'http.request.method': method };
  }
}

/** `error.type` of a failure: a finauth error's stable code, never its message. */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
}

/**
 * The transport a strategy sees during a traced attempt: each request it makes (discovery, say)
 * becomes a client span under the attempt.
 */
export function tracedTransport(transport: Transport, telemetry: Telemetry, parent: TelemetrySpan, providerId: string): Transport {
  return {
    get agent() {
      return transport.agent;
    },
    timeoutMs: transport.timeoutMs,
    close: () => transport.close(),
    async send(request: HttpRequest) {
      const discovery = /\/\.well-known\//.test(request.url);
      const span = startSpan(telemetry, discovery ? 'finauth.discovery' : 'finauth.http', {
        providerId,
        kind: 'client',
        parent,
        attributes: { 'finauth.provider.id': providerId, ...httpAttributes(request.method, request.url) },
      });
      try {
        const response = await transport.send(request);
        onSpan(span, (s) => {
          s.setAttributes({ 'http.response.status_code': response.status });
          s.end(response.status >= 400 ? { code: String(response.status) } : undefined);
        });
        return response;
      } catch (error) {
        onSpan(span, (s) => s.end(error));
        throw error;
      }
    },
  };
}

/** The telemetry a strategy sees during a traced attempt: its events also land on the attempt's span. */
export function tracedTelemetry(telemetry: Telemetry, span: TelemetrySpan): Telemetry {
  return {
    emit(event: TelemetryEvent) {
      onSpan(span, (s) => s.addEvent(event.name, event.attributes));
      telemetry.emit(event);
    },
    ...(telemetry.startSpan ? { startSpan: telemetry.startSpan.bind(telemetry) } : {}),
  };
}
