import { context, propagation, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { TelemetryAttributes, TelemetrySpan } from '@finauth/core';
import { ATTR, errorType, otelAttributes } from './attributes.js';

/** A finauth span backed by an OpenTelemetry span. */
export class OtelSpan implements TelemetrySpan {
  constructor(
    readonly span: Span,
    private readonly propagate: boolean,
  ) {}

  setAttributes(attributes: TelemetryAttributes): void {
    this.span.setAttributes(otelAttributes(attributes));
  }

  addEvent(name: string, attributes?: TelemetryAttributes): void {
    this.span.addEvent(name, otelAttributes(attributes));
  }

  /**
   * A failure is recorded by its code only: `recordException` would copy the message and stack,
   * and a message can quote what a server answered.
   */
  end(error?: unknown): void {
    if (error !== undefined) {
      const type = errorType(error);
      this.span.setAttribute(ATTR.errorType, type);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    this.span.end();
  }

  /**
   * W3C trace context for the token request, through the application's registered propagator;
   * only when the application asked for it (some banks reject headers they do not know).
   */
  inject(headers: Record<string, string>): void {
    if (this.propagate) propagation.inject(trace.setSpan(context.active(), this.span), headers);
  }
}
