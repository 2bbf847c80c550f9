import type { Logger } from '@finauth/core';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** A Logger that keeps every line finauth writes, so a test can search them for a leaked secret, PIN or URL. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  readonly debug = this.at('debug');
  readonly info = this.at('info');
  readonly warn = this.at('warn');
  readonly error = this.at('error');

  /** Everything logged, as one string (to search for secrets). */
  text(): string {
    return JSON.stringify(this.lines);
  }

  // Bound per instance: a test may hand `logger.warn` around on its own.
  private at(level: string): (message: string, fields?: Readonly<Record<string, unknown>>) => void {
    return (message, fields) => void this.lines.push({ level, message, ...(fields ? { fields } : {}) });
  }
}
