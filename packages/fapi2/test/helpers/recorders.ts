import type { Clock, Logger, Telemetry, TelemetryEvent } from '@finauth/core';

export class RecordingTelemetry implements Telemetry {
  readonly events: TelemetryEvent[] = [];
  emit(event: TelemetryEvent): void {
    this.events.push(event);
  }
  named(name: string): TelemetryEvent[] {
    return this.events.filter((e) => e.name === name);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'debug', message, ...(fields ? { fields } : {}) });
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'info', message, ...(fields ? { fields } : {}) });
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) });
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'error', message, ...(fields ? { fields } : {}) });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

/** A clock tests move by hand; sleeps return at once (retry waits are not what these tests measure). */
export class ManualClock implements Clock {
  constructor(public ms: number = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  }
}
