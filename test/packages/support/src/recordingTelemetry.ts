import type { Telemetry, TelemetryEvent } from '@finauth/core';

/** A Telemetry sink that keeps every event finauth emits. */
export class RecordingTelemetry implements Telemetry {
  readonly events: TelemetryEvent[] = [];
  emit(event: TelemetryEvent): void {
    this.events.push(event);
  }
  named(name: string): TelemetryEvent[] {
    return this.events.filter((e) => e.name === name);
  }
}
